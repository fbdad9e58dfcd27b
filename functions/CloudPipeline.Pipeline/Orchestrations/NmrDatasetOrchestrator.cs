using CloudPipeline.Pipeline.Activities;
using CloudPipeline.Pipeline.Catalog;
using Microsoft.DurableTask;

namespace CloudPipeline.Pipeline.Orchestrations;

/// <summary>
/// Per NMR dataset (a Bruker experiment folder, a Varian or Spinsolve folder, or one JCAMP-DX file). Each catalogued
/// part of the folder raises <see cref="PipelineTasks.DatasetArrivedEvent"/>. The orchestration checks what the
/// folder holds; once the reader's required files are there (Bruker: <c>acqus</c> and <c>fid</c>) and differ from what
/// was last analysed, it runs the NMR chain and continues as new, so a part that arrives later (a <c>pdata</c> folder
/// after the FID) is analysed again with it. It waits for parts up to the input timeout: a folder still incomplete
/// then is marked Failed on its anchor dataset with what is missing; a complete one simply finishes, and a later part
/// starts it again.
/// </summary>
public sealed class NmrDatasetOrchestrator : TaskOrchestrator<NmrOrchestrationInput, NmrSummary?>
{
    /// <inheritdoc/>
    public override async Task<NmrSummary?> RunAsync(TaskOrchestrationContext context, NmrOrchestrationInput input)
    {
        var arrivals = new Arrivals(context);
        while (true)
        {
            var readiness = await context.CallActivityAsync<NmrReadiness>(CheckNmrReadinessActivity.Name, input.Key, PipelineTasks.Retry);
            context.SetCustomStatus(readiness.Detail);
            if (readiness.Ready && readiness.Fingerprint != input.Analysed)
            {
                NmrSummary? summary = null;
                try
                {
                    summary = await context.CallActivityAsync<NmrSummary>(NmrAnalysisActivity.Name, input.Key, PipelineTasks.Retry);
                }
                catch (TaskFailedException ex) when (readiness.Anchor is not null)
                {
                    await context.CallActivityAsync(RecordDatasetOutcomeActivity.Name,
                        new DatasetOutcome(new DatasetInput(input.Site, input.Experiment, readiness.Anchor), DatasetStatus.Failed, ex.FailureDetails.ErrorMessage), PipelineTasks.Retry);
                }
                context.ContinueAsNew(input with { Analysed = summary?.Fingerprint ?? readiness.Fingerprint }, preserveUnprocessedEvents: true);
                return summary;
            }
            if (await arrivals.NextAsync(input.InputTimeout) is null)
            {
                if (!readiness.Ready && readiness.Anchor is not null)
                {
                    await context.CallActivityAsync(RecordDatasetOutcomeActivity.Name,
                        new DatasetOutcome(new DatasetInput(input.Site, input.Experiment, readiness.Anchor), DatasetStatus.Failed,
                            $"Timed out after {input.InputTimeout} waiting for the rest of the NMR dataset: {readiness.Detail}."), PipelineTasks.Retry);
                }
                return null;
            }
        }
    }
}
