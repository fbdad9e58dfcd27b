using CloudPipeline.Pipeline.Activities;
using Microsoft.DurableTask;

namespace CloudPipeline.Pipeline.Orchestrations;

/// <summary>
/// Per MRI experiment. The orchestration owns the experiment's readiness: each catalogued profile, polarisation
/// record or manifest raises <see cref="PipelineTasks.DatasetArrivedEvent"/>; after each, a readiness check
/// compares what is present with what the record covers (or the manifest's maxProfiles). The wait for the next
/// arrival races a durable timer at the experiment's input deadline; the timer is cancelled when an arrival wins.
/// The arrival wait itself is never cancelled: a cancelled waiter would stay registered and swallow the next
/// event, so one waiter stays outstanding until an event completes it.
/// Once ready, the drift analysis runs (both D-model versions) and the experiment is Completed; a timeout or an
/// analysis error marks it Failed with the reason.
/// </summary>
public sealed class MriExperimentOrchestrator : TaskOrchestrator<ExperimentOrchestrationInput, IReadOnlyList<MriDriftSummary>?>
{
    /// <inheritdoc/>
    public override async Task<IReadOnlyList<MriDriftSummary>?> RunAsync(TaskOrchestrationContext context, ExperimentOrchestrationInput input)
    {
        DateTime deadline = context.CurrentUtcDateTime + input.InputTimeout;
        int? required = null;
        Task<string>? arrival = null;
        while (true)
        {
            var readiness = await context.CallActivityAsync<MriReadiness>(CheckMriReadinessActivity.Name,
                new MriReadinessRequest(input.Site, input.Experiment, required, context.InstanceId), PipelineTasks.Retry);
            required = readiness.RequiredProfiles;
            context.SetCustomStatus(readiness.Detail);
            if (readiness.Ready)
            {
                break;
            }

            using var cancel = new CancellationTokenSource();
            Task timeout = context.CreateTimer(deadline, cancel.Token);
            arrival ??= context.WaitForExternalEvent<string>(PipelineTasks.DatasetArrivedEvent);
            if (await Task.WhenAny(timeout, arrival) == timeout)
            {
                string reason = $"Timed out after {input.InputTimeout} waiting for inputs: {readiness.Detail}.";
                await RecordAsync(context, input, "Failed", reason);
                return null;
            }
            cancel.Cancel();
            arrival = null;
        }

        try
        {
            var results = await context.CallActivityAsync<IReadOnlyList<MriDriftSummary>>(MriDriftActivity.Name, input.Key, PipelineTasks.Retry);
            context.SetCustomStatus("analysed");
            return results;
        }
        catch (TaskFailedException ex)
        {
            await RecordAsync(context, input, "Failed", ex.FailureDetails.ErrorMessage);
            return null;
        }
    }

    private static Task RecordAsync(TaskOrchestrationContext context, ExperimentOrchestrationInput input, string status, string detail) =>
        context.CallActivityAsync(RecordExperimentOutcomeActivity.Name, new ExperimentOutcome(input.Site, input.Experiment, status, detail, context.InstanceId), PipelineTasks.Retry);
}
