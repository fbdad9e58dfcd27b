using CloudPipeline.Pipeline.Activities;
using CloudPipeline.Pipeline.Campaigns;
using CloudPipeline.Pipeline.Catalog;
using Microsoft.DurableTask;

namespace CloudPipeline.Pipeline.Orchestrations;

/// <summary>A campaign's input: the request, its paging, and what the generations before this one did.</summary>
/// <param name="Request">What to reanalyse.</param>
/// <param name="PageSize">Experiments per page (one generation of the instance).</param>
/// <param name="Parallelism">Experiments reanalysed at once.</param>
/// <param name="After">The key the next page starts after (null: the first page).</param>
/// <param name="Progress">Counts so far (null in the first generation).</param>
public sealed record CampaignInput(CampaignRequest Request, int PageSize, int Parallelism, string? After = null, CampaignProgress? Progress = null);

/// <summary>A campaign's progress (its custom status while it runs, its output when done).</summary>
/// <param name="RunId">This run's id (its sub-orchestrations' ids start with it).</param>
/// <param name="Algorithm">The stage.</param>
/// <param name="Total">Experiments due when it started.</param>
/// <param name="Reanalysed">Reanalysed so far.</param>
/// <param name="Failed">Failed so far.</param>
/// <param name="Pages">Pages done.</param>
/// <param name="Failures">The first failures, with their error.</param>
public sealed record CampaignProgress(string RunId, string Algorithm, int Total, int Reanalysed, int Failed, int Pages, IReadOnlyList<string> Failures);

/// <summary>
/// A reanalysis campaign of one stage (ARCHITECTURE §5): one instance per stage (<see cref="ReanalysisCampaigns.InstanceId"/>).
/// Each generation finds the next page of experiments whose results are due (<see cref="FindCampaignTargetsActivity"/>,
/// in key order after the previous page), reanalyses them through their technique's chain as sub-orchestrations, at
/// most <see cref="CampaignInput.Parallelism"/> at once, and continues as new with the page's last key, so the history
/// stays one page long. A crash resumes from the history; an experiment whose analysis fails is counted with its error
/// and the campaign goes on. Cancelling terminates the instance: reanalyses in flight finish, no new one starts.
/// </summary>
public sealed class ReanalysisCampaignOrchestrator : TaskOrchestrator<CampaignInput, CampaignProgress>
{
    /// <summary>Failures kept in the progress with their error.</summary>
    public const int FailuresKept = 20;

    /// <inheritdoc/>
    public override async Task<CampaignProgress> RunAsync(TaskOrchestrationContext context, CampaignInput input)
    {
        var page = await context.CallActivityAsync<CampaignPlan>(FindCampaignTargetsActivity.Name,
            new CampaignPageRequest(input.Request, input.After, input.PageSize), PipelineTasks.Retry);
        var progress = input.Progress ?? new CampaignProgress(context.NewGuid().ToString("N")[..12], input.Request.Algorithm, page.Total, 0, 0, 0, []);
        context.SetCustomStatus(progress);
        foreach (var chunk in page.Targets.Chunk(input.Parallelism))
        {
            var calls = chunk.Select(t => (Target: t, Task: context.CallSubOrchestratorAsync<int>(PipelineTasks.ReanalyseExperimentOrchestration, t,
                new SubOrchestrationOptions { InstanceId = $"{context.InstanceId}-{progress.RunId}-{Keys.Hash(t.Key)[..16]}" }))).ToList();
            foreach (var (target, call) in calls)
            {
                try
                {
                    await call;
                    progress = progress with { Reanalysed = progress.Reanalysed + 1 };
                }
                catch (TaskFailedException ex)
                {
                    progress = progress with
                    {
                        Failed = progress.Failed + 1,
                        Failures = progress.Failures.Count < FailuresKept
                            ? [.. progress.Failures, $"{target.Site}/{target.Experiment} ({target.Technique}): {ex.FailureDetails.ErrorMessage}"]
                            : progress.Failures,
                    };
                }
            }
            context.SetCustomStatus(progress);
        }
        progress = progress with { Pages = progress.Pages + 1 };
        if (page.Next is null)
        {
            return progress;
        }
        context.ContinueAsNew(input with { After = page.Next, Progress = progress });
        return progress;
    }
}

/// <summary>
/// Reanalyses one experiment's technique with the activities of its normal chain: MRI, the drift stage; EIS, every
/// spectrum (at most <see cref="EisExperimentOrchestrator.MaxParallelism"/> at once) then the series; cycler, each file;
/// NMR, each folder. A spectrum, file or folder that fails is marked Failed on its dataset as in the normal chain, and
/// fails the reanalysis with its error; the others are still analysed. Returns how many units it analysed.
/// </summary>
public sealed class ReanalyseExperimentOrchestrator : TaskOrchestrator<CampaignTarget, int>
{
    /// <inheritdoc/>
    public override async Task<int> RunAsync(TaskOrchestrationContext context, CampaignTarget input)
    {
        var experiment = new ExperimentInput(input.Site, input.Experiment);
        if (input.Technique == "mri")
        {
            await context.CallActivityAsync<IReadOnlyList<MriDriftSummary>>(MriDriftActivity.Name, experiment, PipelineTasks.Retry);
            return 1;
        }
        var work = await context.CallActivityAsync<IReadOnlyList<string>>(ListReanalysisWorkActivity.Name, input, PipelineTasks.Retry);
        var errors = new List<string>();
        foreach (var chunk in work.Chunk(EisExperimentOrchestrator.MaxParallelism))
        {
            var calls = chunk.Select(unit => (Unit: unit, Task: input.Technique switch
            {
                "eis" => context.CallActivityAsync<IReadOnlyList<EisSpectrumSummary>>(EisSpectrumActivity.Name, new DatasetInput(input.Site, input.Experiment, unit), PipelineTasks.Retry),
                "cycler" => context.CallActivityAsync<DatasetSummary>(CyclerAnalysisActivity.Name, new DatasetInput(input.Site, input.Experiment, unit), PipelineTasks.Retry),
                "nmr" => (Task)context.CallActivityAsync<NmrSummary>(NmrAnalysisActivity.Name, new NmrFolder(input.Site, input.Experiment, unit), PipelineTasks.Retry),
                _ => throw new InvalidOperationException($"No reanalysis chain for technique '{input.Technique}'."),
            })).ToList();
            foreach (var (unit, call) in calls)
            {
                try
                {
                    await call;
                }
                catch (TaskFailedException ex)
                {
                    errors.Add($"{unit}: {ex.FailureDetails.ErrorMessage}");
                    if (input.Technique != "nmr")
                    {
                        await context.CallActivityAsync(RecordDatasetOutcomeActivity.Name,
                            new DatasetOutcome(new DatasetInput(input.Site, input.Experiment, unit), DatasetStatus.Failed, ex.FailureDetails.ErrorMessage), PipelineTasks.Retry);
                    }
                }
            }
        }
        if (input.Technique == "eis" && work.Count > errors.Count)
        {
            await context.CallActivityAsync(EisSeriesActivity.Name, experiment, PipelineTasks.Retry);
        }
        if (errors.Count > 0)
        {
            throw new InvalidOperationException($"{errors.Count} of {work.Count} failed: {string.Join("; ", errors)}");
        }
        return work.Count;
    }
}
