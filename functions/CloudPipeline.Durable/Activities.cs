namespace CloudPipeline.Durable;

/// <summary>What an activity knows about the work item it runs.</summary>
/// <param name="InstanceId">The orchestration instance.</param>
/// <param name="Step">The step name.</param>
/// <param name="ItemIndex">The element index within a fan-out step; −1 otherwise.</param>
/// <param name="Attempt">1 on the first delivery, higher on redelivery after a crash or a transient failure.</param>
/// <param name="DefinitionVersion">The definition version the instance runs.</param>
public sealed record ActivityContext(string InstanceId, string Step, int ItemIndex, int Attempt, string DefinitionVersion)
{
    /// <summary>
    /// A name unique to this work item and the same on every attempt: the key under which an activity should
    /// write anything it stores elsewhere (result rows, artifacts), so that a rerun overwrites instead of adding.
    /// </summary>
    public string IdempotencyKey => ItemIndex < 0 ? $"{InstanceId}/{Step}" : $"{InstanceId}/{Step}/{ItemIndex}";
}

/// <summary>
/// A unit of work of an orchestration.
/// <para>
/// Contract: delivery is at least once. An activity may run more than once for the same work item (after a
/// crash, a lost visibility lease or a transient failure), possibly concurrently with a slow earlier attempt.
/// It must therefore be idempotent: derive every name it writes from <see cref="ActivityContext.IdempotencyKey"/>
/// and write with upsert/overwrite semantics; never append. Its return value is recorded exactly once.
/// </para>
/// <para>
/// Failures: throw <see cref="TransientActivityException"/> (or let a storage 408/429/5xx, timeout or I/O
/// error escape) to be retried with exponential backoff; any other exception is permanent and fails the
/// instance at once with its message, which should say what a person must change.
/// </para>
/// </summary>
public interface IActivity
{
    /// <summary>The name steps refer to.</summary>
    string Name { get; }

    /// <summary>Runs the activity on <paramref name="input"/> (JSON) and returns its output (JSON).</summary>
    Task<string> RunAsync(ActivityContext context, string input, CancellationToken cancellationToken);
}

/// <summary>A failure worth retrying (a dependency was briefly unavailable).</summary>
public sealed class TransientActivityException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TransientActivityException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
