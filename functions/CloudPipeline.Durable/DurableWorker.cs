using Azure;
using CloudPipeline.Durable.Internal;
using CloudPipeline.Storage.Queues;
using CloudPipeline.Storage.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CloudPipeline.Durable;

/// <summary>
/// Takes work items from the queue and runs them: activities (with a visibility heartbeat), timers and wait
/// deadlines. Guarantees, given at-least-once delivery: a step's completion is recorded exactly once (an
/// ETag-guarded transition that first checks whether the step is still pending); transient failures are
/// retried with exponential backoff; permanent ones fail the instance at once; after
/// <see cref="DurableOptions.MaxAttempts"/> deliveries the instance is quarantined and the message moved to
/// the poison queue. Run any number of workers in any number of processes against one account.
/// </summary>
public sealed class DurableWorker
{
    private readonly Engine _engine;
    private readonly Dictionary<string, IActivity> _activities;
    private readonly ILogger _logger;

    /// <summary>Creates a worker for the client's storage and definitions.</summary>
    public DurableWorker(DurableClient client, IEnumerable<IActivity> activities, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        _engine = client.Engine;
        _activities = activities.ToDictionary(a => a.Name, StringComparer.Ordinal);
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>
    /// Called after this worker moved an instance to Completed, Failed or Quarantined (at most once per
    /// instance, by the worker whose transition committed), e.g. to update a catalog. Exceptions are logged.
    /// </summary>
    public Func<InstanceState, CancellationToken, Task>? OnInstanceTerminal { get; set; }

    private async Task NotifyIfTerminalAsync(string instanceId, CancellationToken ct)
    {
        if (OnInstanceTerminal is not { } callback)
        {
            return;
        }
        var state = await _engine.ReadStateAsync(instanceId, ct).ConfigureAwait(false);
        if (state is { IsTerminal: true })
        {
            try
            {
                await callback(state.ToPublic(_engine.Definition(state.Definition, state.Version)), ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _logger.LogWarning(ex, "Terminal-state callback for {InstanceId} failed.", instanceId);
            }
        }
    }

    /// <summary>Polls and runs work items until cancelled; also re-sends stale outboxes periodically.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var options = _engine.Options;
        using var slots = new SemaphoreSlim(options.MaxConcurrentWorkItems);
        var running = new HashSet<Task>();
        var idle = TimeSpan.FromMilliseconds(50);
        var nextSweep = _engine.Now + options.OutboxResendAfter;
        using var wake = new SemaphoreSlim(0);
        void OnWorkSent()
        {
            if (wake.CurrentCount == 0)
            {
                wake.Release();
            }
        }
        _engine.WorkSent += OnWorkSent;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    if (_engine.Now >= nextSweep)
                    {
                        nextSweep = _engine.Now + options.OutboxResendAfter;
                        await SweepAsync(cancellationToken).ConfigureAwait(false);
                    }
                    int free = slots.CurrentCount;
                    if (free == 0)
                    {
                        await Task.WhenAny(running).ConfigureAwait(false);
                        running.RemoveWhere(t => t.IsCompleted);
                        continue;
                    }
                    var messages = (await _engine.Work.ReceiveMessagesAsync(Math.Min(32, free), options.VisibilityTimeout, cancellationToken).ConfigureAwait(false)).Value;
                    if (messages.Count == 0)
                    {
                        // Sleep until the idle delay passes or this process sends new work, whichever is first.
                        if (await wake.WaitAsync(idle, cancellationToken).ConfigureAwait(false))
                        {
                            idle = TimeSpan.FromMilliseconds(50);
                            continue;
                        }
                        idle = TimeSpan.FromMilliseconds(Math.Min(idle.TotalMilliseconds * 2, options.MaxPollInterval.TotalMilliseconds));
                        continue;
                    }
                    idle = TimeSpan.FromMilliseconds(50);
                    foreach (var message in messages)
                    {
                        await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
                        var task = Task.Run(async () =>
                        {
                            try
                            {
                                await ProcessAsync(message, cancellationToken).ConfigureAwait(false);
                            }
                            finally
                            {
                                slots.Release();
                            }
                        }, CancellationToken.None);
                        running.Add(task);
                    }
                    running.RemoveWhere(t => t.IsCompleted);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    break;
                }
                catch (RequestFailedException ex)
                {
                    _logger.LogWarning(ex, "Work queue poll failed; retrying.");
                    await Task.Delay(options.MaxPollInterval, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            _engine.WorkSent -= OnWorkSent;
        }
        await Task.WhenAll(running).ConfigureAwait(false);
    }

    /// <summary>Runs until the queue has been empty for <paramref name="quiet"/>; for tests and batch jobs.</summary>
    public async Task RunUntilIdleAsync(TimeSpan quiet, CancellationToken cancellationToken = default)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var run = RunAsync(stop.Token);
        var lastBusy = DateTimeOffset.UtcNow;
        while (!run.IsCompleted)
        {
            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
            var props = (await _engine.Work.GetPropertiesAsync(cancellationToken).ConfigureAwait(false)).Value;
            if (props.ApproximateMessagesCount > 0)
            {
                lastBusy = DateTimeOffset.UtcNow;
            }
            else if (DateTimeOffset.UtcNow - lastBusy > quiet)
            {
                await stop.CancelAsync().ConfigureAwait(false);
            }
        }
        await run.ConfigureAwait(false);
    }

    /// <summary>Re-sends outboxes of transitions whose sender died before sending (duplicates are harmless).</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var cutoff = _engine.Now - _engine.Options.OutboxResendAfter;
        string filter = TableClient.CreateQueryFilter($"RowKey eq {StateRow.RowKey} and OutboxSent eq {false} and UpdatedAt lt {cutoff}");
        int resent = 0;
        await foreach (var row in _engine.Table.QueryAsync(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var state = StateRow.FromEntity(row);
            await _engine.SendOutboxAsync(state, cancellationToken).ConfigureAwait(false);
            resent++;
            _logger.LogInformation("Re-sent {Count} work item(s) of instance {InstanceId} from its outbox.", state.Outbox.Count, state.InstanceId);
        }
        resent += await RepairStalledFanOutsAsync(cancellationToken).ConfigureAwait(false);
        return resent;
    }

    /// <summary>
    /// A fan-out whose state has not changed for <see cref="DurableOptions.StalledFanOutAfter"/> may have lost the
    /// message of an element (its sender died after committing): re-send every scheduled element without a result.
    /// </summary>
    private async Task<int> RepairStalledFanOutsAsync(CancellationToken cancellationToken)
    {
        var cutoff = _engine.Now - _engine.Options.StalledFanOutAfter;
        string filter = TableClient.CreateQueryFilter($"RowKey eq {StateRow.RowKey} and Status eq {nameof(InstanceStatus.Running)} and FanTotal gt {0} and UpdatedAt lt {cutoff}");
        int resent = 0;
        await foreach (var row in _engine.Table.QueryAsync(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var state = StateRow.FromEntity(row);
            for (int index = 0; index < state.FanScheduled; index++)
            {
                var message = new WorkItemMessage(state.InstanceId, state.StepIndex, index, WorkItemKind.Run, state.Version);
                if (!await ResultExistsAsync(message, cancellationToken).ConfigureAwait(false))
                {
                    await _engine.SendMessagesAsync([message.Serialize()], cancellationToken).ConfigureAwait(false);
                    resent++;
                }
            }
            _logger.LogInformation("Fan-out of instance {InstanceId} stalled since {UpdatedAt}; re-sent its pending elements.", state.InstanceId, state.UpdatedAt);
        }
        return resent;
    }

    private async Task ProcessAsync(QueueMessage received, CancellationToken cancellationToken)
    {
        var lease = new MessageLease(_engine.Work, received);
        var message = WorkItemMessage.TryParse(received.MessageText);
        try
        {
            if (message is null)
            {
                await QuarantineMessageAsync(lease, null, "The work item is not a valid message.", cancellationToken).ConfigureAwait(false);
                return;
            }
            var state = await _engine.ReadStateAsync(message.InstanceId, cancellationToken).ConfigureAwait(false);
            if (state is null || state.IsTerminal || state.StepIndex != message.Step)
            {
                await lease.DeleteAsync(cancellationToken).ConfigureAwait(false); // stale or duplicate
                return;
            }
            var definition = _engine.Definition(state.Definition, state.Version);
            if (definition is null)
            {
                _logger.LogWarning("Instance {InstanceId} runs {Definition} {Version}, which this host does not have; leaving its work for another host.", state.InstanceId, state.Definition, state.Version);
                await lease.ExtendAsync(TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
                return;
            }
            switch (message.Kind)
            {
                case WorkItemKind.Timer:
                    await FireTimerAsync(message, definition, cancellationToken).ConfigureAwait(false);
                    await lease.DeleteAsync(cancellationToken).ConfigureAwait(false);
                    return;
                case WorkItemKind.Deadline:
                    await DeadlineAsync(message, definition, state, lease, cancellationToken).ConfigureAwait(false);
                    return;
                default:
                    await RunActivityAsync(message, definition, state, lease, cancellationToken).ConfigureAwait(false);
                    return;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: the message becomes visible again and another host picks it up.
        }
        catch (Exception ex)
        {
            // An engine-level failure (storage unavailable…): leave the message for redelivery.
            _logger.LogWarning(ex, "Work item {Text} failed in the engine; it will be redelivered.", received.MessageText);
        }
    }

    private async Task RunActivityAsync(WorkItemMessage message, OrchestrationDefinition definition, StateRow state, MessageLease lease, CancellationToken ct)
    {
        var step = definition.Steps[message.Step];
        string activityName = step switch
        {
            ActivityStep a => a.Activity,
            FanOutStep f => f.Activity,
            _ => throw new InvalidOperationException($"Step '{step.Name}' has no activity."),
        };
        bool isItem = message.Index >= 0;
        if (isItem && await ResultExistsAsync(message, ct).ConfigureAwait(false))
        {
            await lease.DeleteAsync(ct).ConfigureAwait(false);
            return;
        }
        int attempt = (int)lease.Message.DequeueCount;
        if (attempt > _engine.Options.MaxAttempts)
        {
            await QuarantineAsync(message, lease, $"Step '{step.Name}'{(isItem ? $" element {message.Index}" : "")} was delivered {attempt} times without completing (limit {_engine.Options.MaxAttempts}).", ct).ConfigureAwait(false);
            return;
        }
        if (!_activities.TryGetValue(activityName, out var activity))
        {
            await FailAsync(message, step.Name, attempt, $"No activity named '{activityName}' is registered on this host.", lease, ct).ConfigureAwait(false);
            return;
        }
        if (!isItem || attempt > 1)
        {
            await _engine.AppendHistoryAsync(_engine.HistoryRow(message.InstanceId, "StepStarted", step.Name, message.Index, attempt), ct).ConfigureAwait(false);
        }

        string input;
        if (isItem)
        {
            var itemRow = (await _engine.Table.GetEntityAsync(message.InstanceId, Engine.StepKey(message.Step, message.Index, 'i'), cancellationToken: ct).ConfigureAwait(false)).Value;
            input = await _engine.LoadTextAsync(itemRow, "Item", ct).ConfigureAwait(false);
        }
        else
        {
            input = await _engine.ReadPayloadAsync(state.InputRef, ct).ConfigureAwait(false);
        }

        string output;
        using (var heartbeat = lease.StartHeartbeat(_engine.Options.HeartbeatInterval, _engine.Options.VisibilityTimeout, _logger))
        {
            try
            {
                output = await activity.RunAsync(new ActivityContext(message.InstanceId, step.Name, message.Index, attempt, state.Version), input, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested && IsTransient(ex))
            {
                await heartbeat.StopAsync().ConfigureAwait(false);
                await RetryLaterAsync(message, step.Name, attempt, ex, lease, ct).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                await heartbeat.StopAsync().ConfigureAwait(false);
                await FailAsync(message, step.Name, attempt, ex.Message, lease, ct).ConfigureAwait(false);
                return;
            }
            await heartbeat.StopAsync().ConfigureAwait(false);
        }

        if (isItem)
        {
            await CompleteItemAsync(message, definition, (FanOutStep)step, output, ct).ConfigureAwait(false);
        }
        else
        {
            string outputRef = await _engine.WritePayloadAsync(Engine.OutputName(message.InstanceId, message.Step, step.Name), output, ct).ConfigureAwait(false);
            bool advanced = await _engine.TransitionAsync(message.InstanceId, async s =>
            {
                if (s.IsTerminal || s.StepIndex != message.Step)
                {
                    return null; // completed meanwhile by a duplicate delivery
                }
                var t = new Transition(s);
                t.History.Add(_engine.HistoryRow(s.InstanceId, "StepCompleted", step.Name, -1, attempt, outputRef));
                await _engine.EnterStepAsync(t, definition, message.Step + 1, outputRef, ct).ConfigureAwait(false);
                return t;
            }, ct).ConfigureAwait(false);
            if (advanced)
            {
                await NotifyIfTerminalAsync(message.InstanceId, ct).ConfigureAwait(false);
            }
        }
        await lease.DeleteAsync(ct).ConfigureAwait(false);
    }

    private async Task CompleteItemAsync(WorkItemMessage message, OrchestrationDefinition definition, FanOutStep step, string output, CancellationToken ct)
    {
        var result = new TableEntity(message.InstanceId, Engine.StepKey(message.Step, message.Index, 'r'));
        await _engine.StoreTextAsync(result, "Output", $"{message.InstanceId}/{message.Step:D3}/results/{message.Index:D6}.json", output, ct).ConfigureAwait(false);
        await _engine.TransitionAsync(message.InstanceId, async s =>
        {
            if (s.IsTerminal || s.StepIndex != message.Step)
            {
                return null;
            }
            var t = new Transition(s) { UseOutbox = false };
            t.NewRows.Add(result);
            s.FanCompleted++;
            if (s.FanScheduled < s.FanTotal)
            {
                t.Messages.Add(new WorkItemMessage(s.InstanceId, message.Step, s.FanScheduled, WorkItemKind.Run, s.Version));
                s.FanScheduled++;
            }
            if (s.FanCompleted == s.FanTotal)
            {
                string all = await _engine.CollectResultsAsync(s.InstanceId, message.Step, result, ct).ConfigureAwait(false);
                string outputRef = await _engine.WritePayloadAsync(Engine.OutputName(s.InstanceId, message.Step, step.Name), all, ct).ConfigureAwait(false);
                t.History.Add(_engine.HistoryRow(s.InstanceId, "StepCompleted", step.Name, -1, 0, $"{s.FanTotal} elements; {outputRef}"));
                await _engine.EnterStepAsync(t, definition, message.Step + 1, outputRef, ct).ConfigureAwait(false);
            }
            return t;
        }, ct).ConfigureAwait(false);
    }

    private async Task<bool> ResultExistsAsync(WorkItemMessage message, CancellationToken ct) =>
        (await _engine.Table.GetEntityIfExistsAsync(message.InstanceId, Engine.StepKey(message.Step, message.Index, 'r'), ["PartitionKey"], ct).ConfigureAwait(false)).Value is not null;

    private async Task FireTimerAsync(WorkItemMessage message, OrchestrationDefinition definition, CancellationToken ct) =>
        await _engine.TransitionAsync(message.InstanceId, async s =>
        {
            if (s.IsTerminal || s.StepIndex != message.Step || definition.Steps[message.Step] is not DelayStep)
            {
                return null;
            }
            var t = new Transition(s);
            t.History.Add(_engine.HistoryRow(s.InstanceId, "TimerFired", definition.Steps[message.Step].Name));
            await _engine.EnterStepAsync(t, definition, message.Step + 1, s.InputRef!, ct).ConfigureAwait(false);
            return t;
        }, ct).ConfigureAwait(false);

    private async Task DeadlineAsync(WorkItemMessage message, OrchestrationDefinition definition, StateRow state, MessageLease lease, CancellationToken ct)
    {
        if (state.Status == InstanceStatus.WaitingForInput && state.Deadline is { } deadline && deadline > _engine.Now)
        {
            // Deadlines beyond the queue's 7-day visibility limit are re-armed until they are due.
            await lease.ExtendAsync(deadline - _engine.Now, ct).ConfigureAwait(false);
            return;
        }
        bool timedOut = await _engine.TransitionAsync(message.InstanceId, s =>
        {
            if (s.Status != InstanceStatus.WaitingForInput || s.StepIndex != message.Step)
            {
                return Task.FromResult<Transition?>(null);
            }
            var wait = (WaitForInputsStep)definition.Steps[message.Step];
            s.Status = InstanceStatus.Failed;
            s.Error = $"Timed out after {wait.Timeout} waiting for input(s): {string.Join(", ", s.WaitingFor)}.";
            var t = new Transition(s);
            t.History.Add(_engine.HistoryRow(s.InstanceId, "TimedOut", wait.Name, detail: s.Error));
            t.History.Add(_engine.HistoryRow(s.InstanceId, "Failed", wait.Name, detail: s.Error));
            return Task.FromResult<Transition?>(t);
        }, ct).ConfigureAwait(false);
        await lease.DeleteAsync(ct).ConfigureAwait(false);
        if (timedOut)
        {
            await NotifyIfTerminalAsync(message.InstanceId, ct).ConfigureAwait(false);
        }
    }

    private async Task RetryLaterAsync(WorkItemMessage message, string step, int attempt, Exception error, MessageLease lease, CancellationToken ct)
    {
        var options = _engine.Options;
        if (attempt >= options.MaxAttempts)
        {
            await QuarantineAsync(message, lease, $"Step '{step}' failed {attempt} times with transient errors; last: {error.Message}", ct).ConfigureAwait(false);
            return;
        }
        double factor = Math.Pow(2, attempt - 1) * (0.8 + 0.4 * Random.Shared.NextDouble());
        var delay = TimeSpan.FromTicks((long)Math.Min(options.RetryBaseDelay.Ticks * factor, options.RetryMaxDelay.Ticks));
        await _engine.AppendHistoryAsync(_engine.HistoryRow(message.InstanceId, "RetryScheduled", step, message.Index, attempt, $"in {delay.TotalSeconds:0.###} s after: {error.Message}"), ct).ConfigureAwait(false);
        await lease.ExtendAsync(delay, ct).ConfigureAwait(false);
        _logger.LogInformation("Transient failure in {Step} of {InstanceId} (attempt {Attempt}); retrying in {Delay}.", step, message.InstanceId, attempt, delay);
    }

    private async Task FailAsync(WorkItemMessage message, string step, int attempt, string error, MessageLease lease, CancellationToken ct)
    {
        bool failed = await _engine.TransitionAsync(message.InstanceId, s =>
        {
            if (s.IsTerminal || s.StepIndex != message.Step)
            {
                return Task.FromResult<Transition?>(null);
            }
            s.Status = InstanceStatus.Failed;
            s.Error = $"Step '{step}'{(message.Index >= 0 ? $" element {message.Index}" : "")} failed: {error}";
            var t = new Transition(s);
            t.History.Add(_engine.HistoryRow(s.InstanceId, "StepFailed", step, message.Index, attempt, error));
            t.History.Add(_engine.HistoryRow(s.InstanceId, "Failed", step, message.Index, attempt, s.Error));
            return Task.FromResult<Transition?>(t);
        }, ct).ConfigureAwait(false);
        await lease.DeleteAsync(ct).ConfigureAwait(false);
        _logger.LogWarning("Instance {InstanceId} failed at {Step}: {Error}", message.InstanceId, step, error);
        if (failed)
        {
            await NotifyIfTerminalAsync(message.InstanceId, ct).ConfigureAwait(false);
        }
    }

    private async Task QuarantineAsync(WorkItemMessage message, MessageLease lease, string error, CancellationToken ct)
    {
        bool quarantined = await _engine.TransitionAsync(message.InstanceId, s =>
        {
            if (s.IsTerminal)
            {
                return Task.FromResult<Transition?>(null);
            }
            s.Status = InstanceStatus.Quarantined;
            s.Error = error;
            var t = new Transition(s);
            t.History.Add(_engine.HistoryRow(s.InstanceId, "Quarantined", null, message.Index, (int)lease.Message.DequeueCount, error));
            return Task.FromResult<Transition?>(t);
        }, ct).ConfigureAwait(false);
        await QuarantineMessageAsync(lease, message, error, ct).ConfigureAwait(false);
        if (quarantined)
        {
            await NotifyIfTerminalAsync(message.InstanceId, ct).ConfigureAwait(false);
        }
    }

    private async Task QuarantineMessageAsync(MessageLease lease, WorkItemMessage? message, string error, CancellationToken ct)
    {
        string poison = System.Text.Json.JsonSerializer.Serialize(new
        {
            message = lease.Message.MessageText,
            error,
            dequeueCount = lease.Message.DequeueCount,
            instanceId = message?.InstanceId,
            at = _engine.Now,
        });
        await _engine.Poison.SendMessageAsync(poison, timeToLive: Timeout.InfiniteTimeSpan, cancellationToken: ct).ConfigureAwait(false);
        await lease.DeleteAsync(ct).ConfigureAwait(false);
        _logger.LogError("Work item moved to the poison queue: {Error}", error);
    }

    /// <summary>Transient: the activity says so, or storage/network trouble (408, 429, 5xx, timeouts, I/O).</summary>
    internal static bool IsTransient(Exception ex) => ex switch
    {
        TransientActivityException => true,
        RequestFailedException r => r.Status is 0 or 408 or 429 or >= 500,
        TimeoutException or IOException or HttpRequestException => true,
        AggregateException a => a.InnerExceptions.All(IsTransient),
        _ => false,
    };
}
