using CloudPipeline.Pipeline;
using CloudPipeline.Pipeline.Ingestion;
using Microsoft.Extensions.Options;
using NCrontab;

namespace CloudPipeline.LocalHost.Hosting;

/// <summary>
/// The local host's timer trigger of the change detector, on the same six-field NCRONTAB schedule
/// (<see cref="PipelineOptions.ChangeDetectorSchedule"/>) that the Functions app's timer trigger uses. A failed run
/// is logged and the next occurrence still runs.
/// </summary>
internal sealed partial class ChangeDetectorTimer(ChangeDetector detector, IOptions<PipelineOptions> options, TimeProvider time, ILogger<ChangeDetectorTimer> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var schedule = CrontabSchedule.Parse(options.Value.ChangeDetectorSchedule, new CrontabSchedule.ParseOptions { IncludingSeconds = true });
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            var next = new DateTimeOffset(schedule.GetNextOccurrence(now.UtcDateTime), TimeSpan.Zero);
            try
            {
                await Task.Delay(next - now, time, stoppingToken);
                await detector.RunAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogFailed(ex.Message);
            }
        }
    }

    [LoggerMessage(EventId = 2301, Level = LogLevel.Warning, Message = "The change detector failed ({Error}); it runs again at its next occurrence.")]
    private partial void LogFailed(string error);
}
