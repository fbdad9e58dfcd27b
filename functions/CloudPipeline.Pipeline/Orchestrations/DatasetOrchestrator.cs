using CloudPipeline.Pipeline.Activities;
using CloudPipeline.Pipeline.Catalog;
using Microsoft.DurableTask;

namespace CloudPipeline.Pipeline.Orchestrations;

/// <summary>
/// Per dataset: validates the upload with its reader (full parse) and marks it Completed; an error that another
/// attempt cannot fix, or a transient one that outlasts the retries, marks it Failed with the activity's message.
/// </summary>
public sealed class DatasetOrchestrator : TaskOrchestrator<DatasetInput, DatasetSummary?>
{
    /// <inheritdoc/>
    public override async Task<DatasetSummary?> RunAsync(TaskOrchestrationContext context, DatasetInput input)
    {
        try
        {
            return await context.CallActivityAsync<DatasetSummary>(ValidateDatasetActivity.Name, input, PipelineTasks.Retry);
        }
        catch (TaskFailedException ex)
        {
            await context.CallActivityAsync(RecordDatasetOutcomeActivity.Name, new DatasetOutcome(input, DatasetStatus.Failed, ex.FailureDetails.ErrorMessage), PipelineTasks.Retry);
            return null;
        }
    }
}
