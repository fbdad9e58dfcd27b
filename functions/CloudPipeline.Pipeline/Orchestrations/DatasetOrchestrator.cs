using CloudPipeline.Pipeline.Activities;
using CloudPipeline.Pipeline.Catalog;
using Microsoft.DurableTask;

namespace CloudPipeline.Pipeline.Orchestrations;

/// <summary>
/// A dataset's chain of one activity: the activity marks the dataset Completed; an error that another attempt cannot
/// fix, or a transient one that outlasts the retries, marks it Failed with the activity's message.
/// </summary>
public abstract class SingleActivityDatasetOrchestrator : TaskOrchestrator<DatasetInput, DatasetSummary?>
{
    /// <summary>The activity that does the dataset's work.</summary>
    protected abstract string Activity { get; }

    /// <inheritdoc/>
    public override async Task<DatasetSummary?> RunAsync(TaskOrchestrationContext context, DatasetInput input)
    {
        try
        {
            return await context.CallActivityAsync<DatasetSummary>(Activity, input, PipelineTasks.Retry);
        }
        catch (TaskFailedException ex)
        {
            await context.CallActivityAsync(RecordDatasetOutcomeActivity.Name, new DatasetOutcome(input, DatasetStatus.Failed, ex.FailureDetails.ErrorMessage), PipelineTasks.Retry);
            return null;
        }
    }
}

/// <summary>Per dataset: validates the upload with its reader (full parse).</summary>
public sealed class DatasetOrchestrator : SingleActivityDatasetOrchestrator
{
    /// <inheritdoc/>
    protected override string Activity => ValidateDatasetActivity.Name;
}
