using CloudPipeline.Pipeline.Catalog;
using CloudPipeline.Pipeline.Orchestrations;
using CloudPipeline.Pipeline.Telemetry;
using Microsoft.DurableTask;

namespace CloudPipeline.Pipeline.Activities;

/// <summary>Records a dataset's failure (status and reason) on its catalog row. Idempotent.</summary>
public sealed class RecordDatasetOutcomeActivity(DatasetCatalog catalog, TimeProvider time) : TaskActivity<DatasetOutcome, bool>
{
    /// <summary>The activity name.</summary>
    public const string Name = "RecordDatasetOutcomeV1";

    /// <inheritdoc/>
    public override async Task<bool> RunAsync(TaskActivityContext context, DatasetOutcome input)
    {
        using var span = PipelineTelemetry.StartWork("record-dataset-outcome", context.InstanceId, $"{input.Dataset.Site}/{input.Dataset.Experiment}/{input.Dataset.DatasetRowKey}");
        var dataset = await catalog.GetAsync(input.Dataset.Site, input.Dataset.Experiment, input.Dataset.DatasetRowKey, CancellationToken.None);
        if (dataset is null)
        {
            return false;
        }
        await catalog.UpdateAsync(dataset with { Status = input.Status, Reason = input.Reason, UpdatedAt = time.GetUtcNow() }, CancellationToken.None);
        return true;
    }
}

/// <summary>Records an experiment's state on its catalog row. Idempotent.</summary>
public sealed class RecordExperimentOutcomeActivity(DatasetCatalog catalog, TimeProvider time) : TaskActivity<ExperimentOutcome, bool>
{
    /// <summary>The activity name.</summary>
    public const string Name = "RecordExperimentOutcomeV1";

    /// <inheritdoc/>
    public override async Task<bool> RunAsync(TaskActivityContext context, ExperimentOutcome input)
    {
        using var span = PipelineTelemetry.StartWork("record-experiment-outcome", context.InstanceId, $"{input.Site}/{input.Experiment}");
        await catalog.SetExperimentAsync(new ExperimentRecord(input.Site, input.Experiment, input.Status, input.InstanceId, input.Detail, time.GetUtcNow()), CancellationToken.None);
        return true;
    }
}
