namespace CloudPipeline.Functions.Hosting;

/// <summary>The containers, queues and tables of the pipeline (ARCHITECTURE §4).</summary>
public static class StorageLayout
{
    /// <summary>Instrument uploads, <c>{site}/{experiment}/{relative path}</c>; never modified or deleted by the pipeline.</summary>
    public const string RawContainer = "raw";

    /// <summary>Stage outputs: arrays, plots, reports.</summary>
    public const string ArtifactsContainer = "artifacts";

    /// <summary>Orchestration inputs and outputs too large for a queue message.</summary>
    public const string DurablePayloadsContainer = "durable-payloads";

    /// <summary>BlobCreated events in Event Grid schema.</summary>
    public const string BlobEventsQueue = "blob-events";

    /// <summary>Activity work items.</summary>
    public const string WorkItemsQueue = "work-items";

    /// <summary>Work items that exceeded the attempt limit, with their error.</summary>
    public const string WorkItemsPoisonQueue = "work-items-poison";

    /// <summary>All containers.</summary>
    public static readonly IReadOnlyList<string> Containers = [RawContainer, ArtifactsContainer, DurablePayloadsContainer];

    /// <summary>All queues.</summary>
    public static readonly IReadOnlyList<string> Queues = [BlobEventsQueue, WorkItemsQueue, WorkItemsPoisonQueue];

    /// <summary>All tables.</summary>
    public static readonly IReadOnlyList<string> Tables =
        ["Datasets", "Experiments", "Results", "Instances", "History", "Sites", "Shares", "AlgorithmVersions"];
}
