using CloudPipeline.Core.Pipeline;
using CloudPipeline.Pipeline.Orchestrations;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CloudPipeline.Pipeline.Campaigns;

/// <summary>A campaign that was started, or found nothing to do.</summary>
/// <param name="InstanceId">The campaign's instance (null when nothing was due and nothing started).</param>
/// <param name="Plan">What it reanalyses.</param>
public sealed record CampaignStart(string? InstanceId, CampaignPlan Plan);

/// <summary>A second campaign for a stage while one runs; nothing is started.</summary>
public sealed class CampaignConflictException(string message) : Exception(message);

/// <summary>
/// Starts, finds and cancels reanalysis campaigns, the same way for the HTTP API, the CLI (through the API) and the
/// schedule: at most one campaign per stage at a time, under the deterministic instance id <see cref="InstanceId"/>.
/// </summary>
public sealed partial class ReanalysisCampaigns(CampaignPlanner planner, IOptions<PipelineOptions> options, ILogger<ReanalysisCampaigns> logger)
{
    private static readonly OrchestrationRuntimeStatus[] LiveStatuses =
        [OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Suspended];

    /// <summary>The instance id of a stage's campaign.</summary>
    public static string InstanceId(string algorithm) => "campaign-" + algorithm;

    /// <summary>
    /// Starts a campaign for the request unless nothing is due (then nothing starts, and the plan says so).
    /// </summary>
    /// <exception cref="CampaignConflictException">The stage's campaign is running.</exception>
    public async Task<CampaignStart> StartAsync(DurableTaskClient durable, CampaignRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(durable);
        ArgumentNullException.ThrowIfNull(request);
        string id = InstanceId(request.Algorithm);
        await ThrowIfRunningAsync(durable, id, request.Algorithm, ct);
        var plan = await planner.PlanAsync(request, null, 0, ct);
        if (plan.Total == 0)
        {
            return new CampaignStart(null, plan);
        }
        var settings = options.Value.Reanalysis;
        try
        {
            // Refused atomically while an instance of this id is live: two starts at once give one campaign.
            await durable.ScheduleNewOrchestrationInstanceAsync(PipelineTasks.ReanalysisCampaignOrchestration,
                new CampaignInput(request, settings.PageSize, settings.Parallelism), new StartOrchestrationOptions(id).WithDedupeStatuses(LiveStatuses), ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await ThrowIfRunningAsync(durable, id, request.Algorithm, ct);
            throw;
        }
        LogStarted(request.Algorithm, string.Join(", ", request.Versions), plan.Total, id);
        return new CampaignStart(id, plan);
    }

    /// <summary>The stage's campaign (running or finished), or null if it never ran.</summary>
    public static Task<OrchestrationMetadata?> GetAsync(DurableTaskClient durable, string algorithm, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(durable);
        return durable.GetInstanceAsync(InstanceId(algorithm), getInputsAndOutputs: true, ct);
    }

    /// <summary>Cancels the stage's running campaign; false if none runs. Reanalyses in flight finish; no new one starts.</summary>
    public async Task<bool> CancelAsync(DurableTaskClient durable, string algorithm, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(durable);
        var existing = await durable.GetInstanceAsync(InstanceId(algorithm), ct);
        if (existing is null || !LiveStatuses.Contains(existing.RuntimeStatus))
        {
            return false;
        }
        await durable.TerminateInstanceAsync(existing.InstanceId, "cancelled", ct);
        LogCancelled(algorithm, existing.InstanceId);
        return true;
    }

    /// <summary>The scheduled reanalysis: a campaign for every stage with results due whose campaign is not running.</summary>
    public async Task<IReadOnlyList<CampaignStart>> StartDueAsync(DurableTaskClient durable, CancellationToken ct)
    {
        var started = new List<CampaignStart>();
        foreach (string algorithm in AlgorithmRegistry.All.Select(a => a.Name).Distinct(StringComparer.Ordinal))
        {
            try
            {
                var start = await StartAsync(durable, planner.Resolve(algorithm, null, null), ct);
                if (start.InstanceId is not null)
                {
                    started.Add(start);
                }
            }
            catch (CampaignConflictException ex)
            {
                LogSkipped(algorithm, ex.Message);
            }
        }
        return started;
    }

    private static async Task ThrowIfRunningAsync(DurableTaskClient durable, string id, string algorithm, CancellationToken ct)
    {
        if (await durable.GetInstanceAsync(id, ct) is { } existing && LiveStatuses.Contains(existing.RuntimeStatus))
        {
            throw new CampaignConflictException($"A campaign for {algorithm} is already {existing.RuntimeStatus.ToString().ToLowerInvariant()} (instance {id}, started " +
                $"{existing.CreatedAt:u}); wait for it to finish, or cancel it (cloudpipeline reanalyze --stage {algorithm} --cancel).");
        }
    }

    [LoggerMessage(EventId = 2701, Level = LogLevel.Information, Message = "Campaign for {Algorithm} (versions {Versions}) started as {InstanceId}: {Total} experiments due.")]
    private partial void LogStarted(string algorithm, string versions, int total, string instanceId);

    [LoggerMessage(EventId = 2702, Level = LogLevel.Information, Message = "Campaign for {Algorithm} ({InstanceId}) cancelled.")]
    private partial void LogCancelled(string algorithm, string instanceId);

    [LoggerMessage(EventId = 2703, Level = LogLevel.Information, Message = "Scheduled reanalysis of {Algorithm} skipped: {Reason}")]
    private partial void LogSkipped(string algorithm, string reason);
}
