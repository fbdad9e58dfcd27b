using Microsoft.DurableTask;

namespace CloudPipeline.Pipeline.Orchestrations;

/// <summary>
/// Arrivals of new datasets (<see cref="PipelineTasks.DatasetArrivedEvent"/>) with one outstanding waiter at a time: a
/// cancelled waiter would stay registered and swallow the next event, so the waiter is kept until an event completes it.
/// </summary>
internal sealed class Arrivals(TaskOrchestrationContext context)
{
    private Task<string>? _pending;

    /// <summary>The next arrival's dataset row key, or null if none comes within <paramref name="wait"/>.</summary>
    public async Task<string?> NextAsync(TimeSpan wait)
    {
        _pending ??= context.WaitForExternalEvent<string>(PipelineTasks.DatasetArrivedEvent);
        using var cancel = new CancellationTokenSource();
        Task timer = context.CreateTimer(wait, cancel.Token);
        if (await Task.WhenAny(timer, _pending) == timer)
        {
            return null;
        }
        cancel.Cancel();
        return TakeCompleted();
    }

    /// <summary>The arrival that completed the outstanding waiter, if one did.</summary>
    public string? TakeCompleted()
    {
        if (_pending is not { IsCompletedSuccessfully: true } done)
        {
            return null;
        }
        _pending = null;
        return done.Result;
    }
}
