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

    /// <summary>Blob events that could not be ingested after five deliveries, with their error.</summary>
    public const string BlobEventsPoisonQueue = "blob-events-poison";

    /// <summary>Activity work items.</summary>
    public const string WorkItemsQueue = "work-items";

    /// <summary>Work items that exceeded the attempt limit, with their error.</summary>
    public const string WorkItemsPoisonQueue = "work-items-poison";

    /// <summary>Datasets: one row per distinct upload, partitioned by site and experiment.</summary>
    public const string DatasetsTable = "Datasets";

    /// <summary>Experiments: pipeline state per experiment, partitioned by site.</summary>
    public const string ExperimentsTable = "Experiments";

    /// <summary>Results with provenance, partitioned by site and experiment.</summary>
    public const string ResultsTable = "Results";

    /// <summary>The orchestration engine's instance table.</summary>
    public const string OrchestrationsTable = "Orchestrations";

    /// <summary>Small persistent cursors (the change detector's watermark).</summary>
    public const string CheckpointsTable = "Checkpoints";

    /// <summary>All containers.</summary>
    public static readonly IReadOnlyList<string> Containers = [RawContainer, ArtifactsContainer, DurablePayloadsContainer];

    /// <summary>All queues.</summary>
    public static readonly IReadOnlyList<string> Queues = [BlobEventsQueue, BlobEventsPoisonQueue, WorkItemsQueue, WorkItemsPoisonQueue];

    /// <summary>All tables.</summary>
    public static readonly IReadOnlyList<string> Tables =
        [DatasetsTable, ExperimentsTable, ResultsTable, OrchestrationsTable, CheckpointsTable, "Sites", "Shares", "AlgorithmVersions"];
}
