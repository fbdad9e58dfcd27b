using CloudPipeline.Pipeline.Activities;
using CloudPipeline.Pipeline.Catalog;
using Microsoft.DurableTask;

namespace CloudPipeline.Pipeline.Orchestrations;

/// <summary>
/// Per cycler dataset: the cycler chain (one read of the file: integration, per-cycle summary, plots, Battery Data
/// Format time series, results) marks it Completed; bad data, or a transient error that outlasts the retries,
/// marks it Failed with the activity's message.
/// </summary>
public sealed class CyclerDatasetOrchestrator : TaskOrchestrator<DatasetInput, DatasetSummary?>
{
    /// <inheritdoc/>
    public override async Task<DatasetSummary?> RunAsync(TaskOrchestrationContext context, DatasetInput input)
    {
        try
        {
            return await context.CallActivityAsync<DatasetSummary>(CyclerAnalysisActivity.Name, input, PipelineTasks.Retry);
        }
        catch (TaskFailedException ex)
        {
            await context.CallActivityAsync(RecordDatasetOutcomeActivity.Name, new DatasetOutcome(input, DatasetStatus.Failed, ex.FailureDetails.ErrorMessage), PipelineTasks.Retry);
            return null;
        }
    }
}
