using CloudPipeline.Storage.Tables;

namespace CloudPipeline.Durable.Internal;

/// <summary>
/// What one state change writes, atomically in one entity-group transaction on the instance partition:
/// the new state (guarded by the ETag it was read with), history rows and extra rows; and the work items
/// to enqueue once it has committed.
/// </summary>
internal sealed class Transition
{
    public Transition(StateRow state) => State = state;

    public StateRow State { get; }

    public List<TableEntity> History { get; } = [];

    public List<TableEntity> Rows { get; } = [];

    public List<WorkItemMessage> Messages { get; } = [];

    /// <summary>
    /// Record <see cref="Messages"/> in the state's outbox so the sweeper can re-send them if this host dies
    /// before sending. Fan-out element completions turn it off: their outbox would cost a second write on the
    /// hottest row, and the sweeper repairs a stalled fan-out from the result rows instead.
    /// </summary>
    public bool UseOutbox { get; set; } = true;

    /// <summary>Rows that must not exist yet (e.g. a fan-out result); a conflict means a duplicate completed first.</summary>
    public List<TableEntity> NewRows { get; } = [];
}
