using CloudPipeline.Durable;

namespace CloudPipeline.Functions.Orchestrations;

/// <summary>The orchestrations of the pipeline, versioned; change a version whenever its steps change.</summary>
public static class PipelineOrchestrations
{
    /// <summary>Per dataset: validate the upload with its reader and mark it completed.</summary>
    public const string Dataset = "dataset";

    /// <summary>Per EIS spectrum: Lin-KK, DRT and the manifest's circuit fit.</summary>
    public const string EisDataset = "eis";

    /// <summary>Per MRI experiment: wait until the profile series and polarisation record are complete, then analyse.</summary>
    public const string MriDrift = "mri-drift";

    /// <summary>The event that releases an MRI experiment's wait.</summary>
    public const string InputsReady = "inputs-ready";

    /// <summary>Every definition this host runs.</summary>
    public static IReadOnlyList<OrchestrationDefinition> All(TimeSpan experimentInputTimeout) =>
    [
        new(Dataset, "1", [new ActivityStep("validate", Activities.ValidateDatasetActivity.ActivityName)]),
        new(EisDataset, "1", [new ActivityStep("analyze", Activities.EisActivity.ActivityName)]),
        new(MriDrift, "1",
        [
            new WaitForInputsStep("inputs", [InputsReady], experimentInputTimeout),
            new ActivityStep("analyze", Activities.MriDriftActivity.ActivityName),
        ]),
    ];

    /// <summary>The deterministic instance id of a dataset's orchestration.</summary>
    public static string DatasetInstanceId(string site, string experiment, string datasetRowKey) =>
        "ds-" + Catalog.Keys.Hash(site, experiment, datasetRowKey);

    /// <summary>The deterministic instance id of an experiment's MRI orchestration.</summary>
    public static string MriInstanceId(string site, string experiment) => "exp-mri-" + Catalog.Keys.Hash(site, experiment);
}
