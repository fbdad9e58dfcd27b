using CloudPipeline.Pipeline.Activities;
using CloudPipeline.Pipeline.Catalog;
using Microsoft.DurableTask;

namespace CloudPipeline.Pipeline.Orchestrations;

/// <summary>
/// Per EIS experiment: fan-out/fan-in over its spectra. Each catalogued spectrum raises
/// <see cref="PipelineTasks.DatasetArrivedEvent"/> with its dataset row key. The orchestration collects arrivals
/// until none has come for <see cref="QuietPeriod"/> (the payload <see cref="PipelineTasks.ReanalyseEvery"/>, sent when a
/// new manifest arrives, asks for every spectrum again), analyses the new spectra in parallel (at most
/// <see cref="MaxParallelism"/> at once), marks failures on their datasets, then rebuilds the experiment's series
/// once from every spectrum's results, and continues as new (history stays small) to wait for more. It finishes
/// when no spectrum has arrived within the experiment's input timeout; a later spectrum starts it again.
/// The arrival wait is never cancelled (a cancelled waiter would stay registered and swallow the next event): one
/// waiter stays outstanding, and an arrival that completes it while the batch is analysed is carried into the next run.
/// </summary>
public sealed class EisExperimentOrchestrator : TaskOrchestrator<ExperimentOrchestrationInput, int>
{
    /// <summary>How long arrivals must pause before a batch is analysed.</summary>
    public static readonly TimeSpan QuietPeriod = TimeSpan.FromSeconds(1);

    /// <summary>Spectra analysed at once.</summary>
    public const int MaxParallelism = 8;

    /// <inheritdoc/>
    public override async Task<int> RunAsync(TaskOrchestrationContext context, ExperimentOrchestrationInput input)
    {
        var analysed = new HashSet<string>(input.Analysed ?? [], StringComparer.Ordinal);
        var batch = new List<string>(input.Carried ?? []);
        var arrivals = new Arrivals(context);
        if (batch.Count == 0)
        {
            context.SetCustomStatus($"{analysed.Count} spectra analysed; waiting for more");
            if (await arrivals.NextAsync(input.InputTimeout) is not { } first)
            {
                return analysed.Count; // idle: done until the next spectrum starts it again
            }
            batch.Add(first);
        }
        while (await arrivals.NextAsync(QuietPeriod) is { } next)
        {
            batch.Add(next);
        }

        // A new manifest asks for every spectrum again: those analysed before and those in the batch.
        bool again = batch.RemoveAll(k => k == PipelineTasks.ReanalyseEvery) > 0;
        var fresh = again
            ? analysed.Order(StringComparer.Ordinal).Concat(batch).Distinct(StringComparer.Ordinal).ToList()
            : batch.Distinct(StringComparer.Ordinal).Where(k => !analysed.Contains(k)).ToList();
        context.SetCustomStatus($"analysing {fresh.Count} spectra");
        foreach (var chunk in fresh.Chunk(MaxParallelism))
        {
            var calls = chunk.Select(key => (Key: key, Task: context.CallActivityAsync<IReadOnlyList<EisSpectrumSummary>>(
                EisSpectrumActivity.Name, new DatasetInput(input.Site, input.Experiment, key), PipelineTasks.Retry))).ToList();
            foreach (var (key, call) in calls)
            {
                try
                {
                    await call;
                }
                catch (TaskFailedException ex)
                {
                    await context.CallActivityAsync(RecordDatasetOutcomeActivity.Name,
                        new DatasetOutcome(new DatasetInput(input.Site, input.Experiment, key), DatasetStatus.Failed, ex.FailureDetails.ErrorMessage), PipelineTasks.Retry);
                }
                analysed.Add(key);
            }
        }
        await context.CallActivityAsync(EisSeriesActivity.Name, input.Key, PipelineTasks.Retry);
        context.ContinueAsNew(input with
        {
            Analysed = analysed.Order(StringComparer.Ordinal).ToList(),
            Carried = arrivals.TakeCompleted() is { } late ? [late] : null,
        }, preserveUnprocessedEvents: true);
        return analysed.Count;
    }
}
