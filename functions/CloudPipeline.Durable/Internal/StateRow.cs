using System.Text.Json;
using Azure;
using CloudPipeline.Storage.Tables;

namespace CloudPipeline.Durable.Internal;

/// <summary>The mutable form of the <c>state</c> row of an instance partition, read and written with its ETag.</summary>
internal sealed class StateRow
{
    public const string RowKey = "state";

    public required string InstanceId { get; init; }
    public InstanceStatus Status { get; set; }
    public required string Definition { get; init; }
    public required string Version { get; init; }
    public int StepIndex { get; set; }
    public string? InputRef { get; set; }
    public string? OutputRef { get; set; }
    public int FanTotal { get; set; }
    public int FanScheduled { get; set; }
    public int FanCompleted { get; set; }
    public List<string> WaitingFor { get; set; } = [];
    public DateTimeOffset? Deadline { get; set; }
    public string? Error { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
    public List<string> Outbox { get; set; } = [];
    public bool OutboxSent { get; set; } = true;
    public ETag ETag { get; set; }

    public bool IsTerminal => Status is InstanceStatus.Completed or InstanceStatus.Failed or InstanceStatus.Quarantined;

    public static StateRow FromEntity(TableEntity e) => new()
    {
        InstanceId = e.PartitionKey,
        Status = Enum.Parse<InstanceStatus>(e.GetString("Status")!),
        Definition = e.GetString("Definition")!,
        Version = e.GetString("Version")!,
        StepIndex = e.GetInt32("StepIndex") ?? 0,
        InputRef = e.GetString("InputRef"),
        OutputRef = e.GetString("OutputRef"),
        FanTotal = e.GetInt32("FanTotal") ?? 0,
        FanScheduled = e.GetInt32("FanScheduled") ?? 0,
        FanCompleted = e.GetInt32("FanCompleted") ?? 0,
        WaitingFor = (e.GetString("WaitingFor") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries).ToList(),
        Deadline = e.GetDateTimeOffset("Deadline"),
        Error = e.GetString("Error"),
        CreatedAt = e.GetDateTimeOffset("CreatedAt") ?? default,
        UpdatedAt = e.GetDateTimeOffset("UpdatedAt") ?? default,
        Outbox = e.GetString("Outbox") is { Length: > 0 } o ? JsonSerializer.Deserialize<List<string>>(o)! : [],
        OutboxSent = e.GetBoolean("OutboxSent") ?? true,
        ETag = e.ETag,
    };

    public TableEntity ToEntity()
    {
        var e = new TableEntity(InstanceId, RowKey)
        {
            ["Status"] = Status.ToString(),
            ["Definition"] = Definition,
            ["Version"] = Version,
            ["StepIndex"] = StepIndex,
            ["FanTotal"] = FanTotal,
            ["FanScheduled"] = FanScheduled,
            ["FanCompleted"] = FanCompleted,
            ["WaitingFor"] = string.Join(',', WaitingFor),
            ["CreatedAt"] = CreatedAt,
            ["UpdatedAt"] = UpdatedAt,
            ["Outbox"] = JsonSerializer.Serialize(Outbox),
            ["OutboxSent"] = OutboxSent,
        };
        e["InputRef"] = InputRef;
        e["OutputRef"] = OutputRef;
        e["Deadline"] = Deadline;
        e["Error"] = Error;
        e.ETag = ETag;
        return e;
    }

    public InstanceState ToPublic(OrchestrationDefinition? definition) => new()
    {
        InstanceId = InstanceId,
        Status = Status,
        Definition = Definition,
        DefinitionVersion = Version,
        StepIndex = StepIndex,
        StepName = definition is not null && StepIndex < definition.Steps.Count ? definition.Steps[StepIndex].Name : null,
        FanOut = (FanTotal, FanScheduled, FanCompleted),
        WaitingFor = WaitingFor,
        Deadline = Deadline,
        Error = Error,
        CreatedAt = CreatedAt,
        UpdatedAt = UpdatedAt,
    };
}
