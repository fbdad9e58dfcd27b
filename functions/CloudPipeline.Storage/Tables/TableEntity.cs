using System.Collections;
using Azure;

namespace CloudPipeline.Storage.Tables;

/// <summary>
/// A table entity: partition key, row key and typed properties. Property values may be
/// <see cref="string"/>, <see cref="int"/>, <see cref="long"/>, <see cref="double"/>, <see cref="bool"/>,
/// <see cref="DateTimeOffset"/>, <see cref="Guid"/> or <see cref="byte"/>[]; each is sent with its OData
/// type so that it comes back as the same type.
/// </summary>
public sealed class TableEntity : IEnumerable<KeyValuePair<string, object>>
{
    private readonly Dictionary<string, object> _properties = new(StringComparer.Ordinal);

    /// <summary>Creates an entity with its keys.</summary>
    public TableEntity(string partitionKey, string rowKey)
    {
        PartitionKey = partitionKey ?? throw new ArgumentNullException(nameof(partitionKey));
        RowKey = rowKey ?? throw new ArgumentNullException(nameof(rowKey));
    }

    /// <summary>The partition key: entities of one partition can be changed together in a transaction.</summary>
    public string PartitionKey { get; }

    /// <summary>The row key, unique within the partition.</summary>
    public string RowKey { get; }

    /// <summary>The service-maintained modification time (set on entities read from the service).</summary>
    public DateTimeOffset? Timestamp { get; set; }

    /// <summary>The ETag for optimistic concurrency (set on entities read from the service).</summary>
    public ETag ETag { get; set; }

    /// <summary>Gets or sets a property. Setting null removes it.</summary>
    public object? this[string name]
    {
        get => _properties.TryGetValue(name, out var value) ? value : null;
        set
        {
            if (value is null)
            {
                _properties.Remove(name);
            }
            else
            {
                _properties[name] = Validate(name, value);
            }
        }
    }

    /// <summary>The property names (keys and timestamp excluded).</summary>
    public IEnumerable<string> Keys => _properties.Keys;

    /// <summary>True if the property is present.</summary>
    public bool ContainsKey(string name) => _properties.ContainsKey(name);

    /// <summary>A string property, or null.</summary>
    public string? GetString(string name) => this[name] as string;

    /// <summary>An Int32 property, or null.</summary>
    public int? GetInt32(string name) => this[name] as int?;

    /// <summary>An Int64 property (Int32 values widen), or null.</summary>
    public long? GetInt64(string name) => this[name] switch { long l => l, int i => i, _ => null };

    /// <summary>A Double property (integers widen), or null.</summary>
    public double? GetDouble(string name) => this[name] switch { double d => d, int i => i, long l => l, _ => null };

    /// <summary>A Boolean property, or null.</summary>
    public bool? GetBoolean(string name) => this[name] as bool?;

    /// <summary>A DateTime property, or null.</summary>
    public DateTimeOffset? GetDateTimeOffset(string name) => this[name] as DateTimeOffset?;

    /// <summary>A Guid property, or null.</summary>
    public Guid? GetGuid(string name) => this[name] as Guid?;

    /// <summary>A Binary property, or null.</summary>
    public byte[]? GetBinary(string name) => this[name] as byte[];

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, object>> GetEnumerator() => _properties.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Adds a property (collection-initialiser support).</summary>
    public void Add(string name, object value) => this[name] = value;

    private static object Validate(string name, object value) => value switch
    {
        string or int or long or double or bool or DateTimeOffset or Guid or byte[] => value,
        DateTime dt => new DateTimeOffset(dt.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(dt, DateTimeKind.Utc) : dt),
        float f => (double)f,
        _ => throw new ArgumentException(
            $"Property '{name}' has type {value.GetType().Name}; table properties must be string, int, long, double, bool, DateTimeOffset, Guid or byte[].", nameof(value)),
    };
}

/// <summary>How an update treats properties absent from the sent entity.</summary>
public enum TableUpdateMode
{
    /// <summary>Merge: absent properties keep their stored values.</summary>
    Merge,

    /// <summary>Replace: absent properties are removed.</summary>
    Replace,
}

/// <summary>What an action in an entity-group transaction does.</summary>
public enum TableTransactionActionType
{
    /// <summary>Insert; fails if the entity exists.</summary>
    Add,

    /// <summary>Update with merge semantics; honours the entity's ETag (<see cref="ETag.All"/> if unset).</summary>
    UpdateMerge,

    /// <summary>Update with replace semantics; honours the entity's ETag (<see cref="ETag.All"/> if unset).</summary>
    UpdateReplace,

    /// <summary>Delete; honours the entity's ETag (<see cref="ETag.All"/> if unset).</summary>
    Delete,

    /// <summary>Insert or merge.</summary>
    UpsertMerge,

    /// <summary>Insert or replace.</summary>
    UpsertReplace,
}

/// <summary>One action of an entity-group transaction.</summary>
/// <param name="ActionType">What to do.</param>
/// <param name="Entity">The entity; all entities of one transaction share a partition key.</param>
/// <param name="ETag">The ETag condition for updates and deletes; default: the entity's ETag, or any.</param>
public sealed record TableTransactionAction(TableTransactionActionType ActionType, TableEntity Entity, ETag ETag = default);

/// <summary>An entity-group transaction that the service rejected as a whole; nothing in it was applied.</summary>
public sealed class TableTransactionFailedException : RequestFailedException
{
    internal TableTransactionFailedException(int status, string message, string? errorCode, int? failedActionIndex)
        : base(status, message, errorCode, null)
    {
        FailedTransactionActionIndex = failedActionIndex;
    }

    /// <summary>The index of the action that caused the failure, when the service says which.</summary>
    public int? FailedTransactionActionIndex { get; }
}
