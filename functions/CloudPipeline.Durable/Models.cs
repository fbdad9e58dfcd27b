using CloudPipeline.Storage;

namespace CloudPipeline.Durable;

/// <summary>The lifecycle of an instance.</summary>
public enum InstanceStatus
{
    /// <summary>Steps are scheduled or running.</summary>
    Running,

    /// <summary>Waiting for external inputs (see <see cref="WaitForInputsStep"/>).</summary>
    WaitingForInput,

    /// <summary>All steps completed; the output is available.</summary>
    Completed,

    /// <summary>A permanent error or a timeout ended the instance; <see cref="InstanceState.Error"/> says why.</summary>
    Failed,

    /// <summary>A work item exceeded the attempt limit; its message is in the poison queue.</summary>
    Quarantined,
}

/// <summary>A snapshot of an instance.</summary>
public sealed record InstanceState
{
    /// <summary>The instance id.</summary>
    public required string InstanceId { get; init; }

    /// <summary>The status.</summary>
    public required InstanceStatus Status { get; init; }

    /// <summary>The definition name.</summary>
    public required string Definition { get; init; }

    /// <summary>The definition version the instance started with.</summary>
    public required string DefinitionVersion { get; init; }

    /// <summary>The current step index (equals the step count when completed).</summary>
    public required int StepIndex { get; init; }

    /// <summary>The current step name, or null when completed.</summary>
    public string? StepName { get; init; }

    /// <summary>For a fan-out step: elements in total, scheduled and completed.</summary>
    public (int Total, int Scheduled, int Completed) FanOut { get; init; }

    /// <summary>Inputs still awaited, when waiting.</summary>
    public IReadOnlyList<string> WaitingFor { get; init; } = [];

    /// <summary>The wait deadline, when waiting.</summary>
    public DateTimeOffset? Deadline { get; init; }

    /// <summary>The error a person can act on, when failed or quarantined.</summary>
    public string? Error { get; init; }

    /// <summary>When the instance was started.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the instance last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>True for Completed, Failed and Quarantined.</summary>
    public bool IsTerminal => Status is InstanceStatus.Completed or InstanceStatus.Failed or InstanceStatus.Quarantined;
}

/// <summary>One entry of an instance's append-only history.</summary>
/// <param name="Timestamp">When it happened.</param>
/// <param name="EventType">Started, StepStarted, StepCompleted, StepFailed, RetryScheduled, InputAwaited, InputArrived, TimerScheduled, TimerFired, TimedOut, Completed, Failed or Quarantined.</param>
/// <param name="Step">The step name, if any.</param>
/// <param name="ItemIndex">The fan-out element, or −1.</param>
/// <param name="Attempt">The delivery attempt, or 0.</param>
/// <param name="Detail">Error text, delay, output reference or other detail.</param>
public sealed record HistoryEvent(DateTimeOffset Timestamp, string EventType, string? Step, int ItemIndex, int Attempt, string? Detail);

/// <summary>Settings of the engine, with documented defaults.</summary>
public sealed class DurableOptions
{
    /// <summary>The table holding instance state, history and fan-out results. Default <c>Orchestrations</c>.</summary>
    public string TableName { get; set; } = "Orchestrations";

    /// <summary>The work-item queue. Default <c>work-items</c>.</summary>
    public string WorkQueueName { get; set; } = "work-items";

    /// <summary>Where quarantined work items go, with their error. Default <c>work-items-poison</c>.</summary>
    public string PoisonQueueName { get; set; } = "work-items-poison";

    /// <summary>The container of inputs and outputs. Default <c>durable-payloads</c>.</summary>
    public string PayloadContainerName { get; set; } = "durable-payloads";

    /// <summary>How long a received work item stays hidden before another host may take it. Default 60 s.</summary>
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often a running activity extends its visibility. Default 20 s (a third of the timeout).</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Deliveries of one work item before the instance is quarantined. Default 5.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>First retry delay after a transient failure; doubles per attempt, with ±20 % jitter. Default 2 s.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The cap of the retry delay. Default 5 min.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Work items one host runs at once. Default 16.</summary>
    public int MaxConcurrentWorkItems { get; set; } = 16;

    /// <summary>The longest pause between polls of an empty queue. Default 1 s.</summary>
    public TimeSpan MaxPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Outbox entries older than this are re-sent by the sweeper (a host died between commit and send). Default 30 s.</summary>
    public TimeSpan OutboxResendAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A fan-out whose state has not changed this long is checked for lost element messages, which are re-sent
    /// (an element still running then runs twice, harmlessly for idempotent activities). Default 5 min.
    /// </summary>
    public TimeSpan StalledFanOutAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Options of the engine's storage clients (retries, transport). Default: <see cref="StorageClientOptions"/> defaults.</summary>
    public StorageClientOptions? StorageOptions { get; set; }

    /// <summary>The clock. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
