namespace CloudPipeline.Functions.Timers;

/// <summary>A function with a timer trigger.</summary>
public interface ITimerFunction
{
    /// <summary>The function name, for logs.</summary>
    string Name { get; }

    /// <summary>The NCRONTAB schedule.</summary>
    NCrontabSchedule Schedule { get; }

    /// <summary>Runs one occurrence.</summary>
    Task RunAsync(CancellationToken cancellationToken);
}

/// <summary>Runs every registered timer function at its schedule's occurrences; a failed run is logged and the next occurrence still runs.</summary>
internal sealed class TimerTriggerService : BackgroundService
{
    private readonly IReadOnlyList<ITimerFunction> _functions;
    private readonly TimeProvider _time;
    private readonly ILogger<TimerTriggerService> _logger;

    public TimerTriggerService(IEnumerable<ITimerFunction> functions, TimeProvider time, ILogger<TimerTriggerService> logger)
    {
        _functions = functions.ToList();
        _time = time;
        _logger = logger;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_functions.Select(f => LoopAsync(f, stoppingToken)));

    private async Task LoopAsync(ITimerFunction function, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var now = _time.GetUtcNow();
            var next = function.Schedule.Next(now);
            try
            {
                await Task.Delay(next - now, _time, ct);
                await function.RunAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                _logger.LogWarning(ex, "Timer function {Name} failed; it runs again at its next occurrence.", function.Name);
            }
        }
    }
}
