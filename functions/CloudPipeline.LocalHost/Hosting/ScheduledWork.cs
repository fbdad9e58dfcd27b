using CloudPipeline.Pipeline;
using CloudPipeline.Pipeline.Campaigns;
using CloudPipeline.Pipeline.Ingestion;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using NCrontab;

namespace CloudPipeline.LocalHost.Hosting;

/// <summary>
/// The local host's timer triggers: work run on a six-field NCRONTAB schedule, the same schedule the Functions app's
/// timer trigger uses. A failed run is logged and the next occurrence still runs.
/// </summary>
internal abstract partial class ScheduledWork(TimeProvider time, ILogger logger) : BackgroundService
{
    /// <summary>The schedule.</summary>
    protected abstract string Schedule { get; }

    /// <summary>What runs at each occurrence.</summary>
    protected abstract Task RunAsync(CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var schedule = CrontabSchedule.Parse(Schedule, new CrontabSchedule.ParseOptions { IncludingSeconds = true });
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            var next = new DateTimeOffset(schedule.GetNextOccurrence(now.UtcDateTime), TimeSpan.Zero);
            try
            {
                await Task.Delay(next - now, time, stoppingToken);
                await RunAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogFailed(logger, GetType().Name, ex.Message);
            }
        }
    }

    [LoggerMessage(EventId = 2301, Level = LogLevel.Warning, Message = "{Work} failed ({Error}); it runs again at its next occurrence.")]
    private static partial void LogFailed(ILogger logger, string work, string error);
}

/// <summary>The change detector on <see cref="PipelineOptions.ChangeDetectorSchedule"/>.</summary>
internal sealed class ChangeDetectorTimer(ChangeDetector detector, IOptions<PipelineOptions> options, TimeProvider time, ILogger<ChangeDetectorTimer> logger)
    : ScheduledWork(time, logger)
{
    protected override string Schedule => options.Value.ChangeDetectorSchedule;

    protected override Task RunAsync(CancellationToken ct) => detector.RunAsync(ct);
}

/// <summary>The scheduled reanalysis on <see cref="ReanalysisSettings.Schedule"/> (registered only when one is set).</summary>
internal sealed class ReanalysisTimer(ReanalysisCampaigns campaigns, DurableTaskClient durable, IOptions<PipelineOptions> options, TimeProvider time, ILogger<ReanalysisTimer> logger)
    : ScheduledWork(time, logger)
{
    protected override string Schedule => options.Value.Reanalysis.Schedule!;

    protected override Task RunAsync(CancellationToken ct) => campaigns.StartDueAsync(durable, ct);
}
