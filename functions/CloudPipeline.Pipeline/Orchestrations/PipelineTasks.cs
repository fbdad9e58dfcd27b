using CloudPipeline.Core.Analysis;
using CloudPipeline.Core.Formats;
using CloudPipeline.Pipeline.Activities;
using Microsoft.DurableTask;

namespace CloudPipeline.Pipeline.Orchestrations;

/// <summary>
/// Every orchestrator and activity of the pipeline, by name. Names carry a version suffix: an orchestration whose
/// steps change gets a new name, so instances in flight finish on the code they started with. Both hosts bind
/// exactly this set (the Functions app by one thin function each, the local host through its registry), and a
/// test holds the Functions app's functions.metadata to it.
/// </summary>
public static class PipelineTasks
{
    /// <summary>Per dataset: validate the upload with its reader; mark it Completed or Failed.</summary>
    public const string DatasetOrchestration = "DatasetV1";

    /// <summary>Per MRI experiment: wait for the record and the profiles it covers, then analyse.</summary>
    public const string MriExperimentOrchestration = "MriExperimentV1";

    /// <summary>Per EIS experiment: fan out over arriving spectra, fan in to the series.</summary>
    public const string EisExperimentOrchestration = "EisExperimentV1";

    /// <summary>Per NMR dataset folder: wait for the files its reader needs, then process; again when a part changes.</summary>
    public const string NmrDatasetOrchestration = "NmrDatasetV1";

    /// <summary>Per cycler dataset: integrate, summarise the cycles, write the time series and results.</summary>
    public const string CyclerDatasetOrchestration = "CyclerDatasetV1";

    /// <summary>Per stage: a reanalysis campaign, page by page (one instance per stage at a time).</summary>
    public const string ReanalysisCampaignOrchestration = "ReanalysisCampaignV1";

    /// <summary>Per experiment and technique of a campaign: its chain's activities again.</summary>
    public const string ReanalyseExperimentOrchestration = "ReanalyseExperimentV1";

    /// <summary>The event an experiment's orchestration receives for each new dataset of its technique.</summary>
    public const string DatasetArrivedEvent = "DatasetArrived";

    /// <summary>The <see cref="DatasetArrivedEvent"/> payload that asks an EIS experiment to analyse every spectrum again (a new manifest).</summary>
    public const string ReanalyseEvery = "*";

    /// <summary>The orchestrators, by name.</summary>
    public static readonly IReadOnlyDictionary<string, Type> Orchestrators = new Dictionary<string, Type>
    {
        [DatasetOrchestration] = typeof(DatasetOrchestrator),
        [MriExperimentOrchestration] = typeof(MriExperimentOrchestrator),
        [EisExperimentOrchestration] = typeof(EisExperimentOrchestrator),
        [NmrDatasetOrchestration] = typeof(NmrDatasetOrchestrator),
        [CyclerDatasetOrchestration] = typeof(CyclerDatasetOrchestrator),
        [ReanalysisCampaignOrchestration] = typeof(ReanalysisCampaignOrchestrator),
        [ReanalyseExperimentOrchestration] = typeof(ReanalyseExperimentOrchestrator),
    };

    /// <summary>The activities, by name.</summary>
    public static readonly IReadOnlyDictionary<string, Type> Activities = new Dictionary<string, Type>
    {
        [ValidateDatasetActivity.Name] = typeof(ValidateDatasetActivity),
        [RecordDatasetOutcomeActivity.Name] = typeof(RecordDatasetOutcomeActivity),
        [RecordExperimentOutcomeActivity.Name] = typeof(RecordExperimentOutcomeActivity),
        [CheckMriReadinessActivity.Name] = typeof(CheckMriReadinessActivity),
        [MriDriftActivity.Name] = typeof(MriDriftActivity),
        [EisSpectrumActivity.Name] = typeof(EisSpectrumActivity),
        [EisSeriesActivity.Name] = typeof(EisSeriesActivity),
        [CheckNmrReadinessActivity.Name] = typeof(CheckNmrReadinessActivity),
        [NmrAnalysisActivity.Name] = typeof(NmrAnalysisActivity),
        [CyclerAnalysisActivity.Name] = typeof(CyclerAnalysisActivity),
        [FindCampaignTargetsActivity.Name] = typeof(FindCampaignTargetsActivity),
        [ListReanalysisWorkActivity.Name] = typeof(ListReanalysisWorkActivity),
    };

    /// <summary>The deterministic instance id of a dataset's orchestration.</summary>
    public static string DatasetInstanceId(string site, string experiment, string datasetRowKey) =>
        "ds-" + Catalog.Keys.Hash(site, experiment, datasetRowKey);

    /// <summary>The deterministic instance id of an experiment's MRI orchestration.</summary>
    public static string MriInstanceId(string site, string experiment) => "exp-mri-" + Catalog.Keys.Hash(site, experiment);

    /// <summary>The deterministic instance id of an experiment's EIS orchestration.</summary>
    public static string EisInstanceId(string site, string experiment) => "exp-eis-" + Catalog.Keys.Hash(site, experiment);

    /// <summary>The deterministic instance id of an NMR dataset folder's orchestration.</summary>
    public static string NmrInstanceId(string site, string experiment, string folder) => "nmr-" + Catalog.Keys.Hash(site, experiment, folder);

    /// <summary>
    /// The retry policy of every activity call: transient faults (storage unreachable, throttling, timeouts) are
    /// retried up to 5 attempts, 2 s then doubling to at most 1 min; bad data (a reader's or an analysis'
    /// exception) is not retried, so the dataset fails at once with the reader's message.
    /// </summary>
    public static TaskOptions Retry { get; } = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 5,
        firstRetryInterval: TimeSpan.FromSeconds(2),
        backoffCoefficient: 2,
        maxRetryInterval: TimeSpan.FromMinutes(1))
    {
        HandleFailure = failure => !IsPermanent(failure),
    });

    /// <summary>True for failures that another attempt cannot fix: bad input data or an analysis that cannot run on it.</summary>
    public static bool IsPermanent(TaskFailureDetails failure) =>
        failure.IsCausedBy<InstrumentFileException>() || failure.IsCausedBy<AnalysisException>() || failure.IsCausedBy<PermanentActivityException>();
}
