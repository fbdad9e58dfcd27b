namespace CloudPipeline.Contracts;

/// <summary>
/// The containers, queues and tables of the pipeline (ARCHITECTURE §4). The Durable Task hub keeps its own
/// queues, tables and large-message container, named after the task hub.
/// </summary>
public static class StorageLayout
{
    /// <summary>Instrument uploads, <c>{site}/{experiment}/{relative path}</c>; never modified or deleted by the pipeline.</summary>
    public const string RawContainer = "raw";

    /// <summary>Stage outputs: arrays, plots, reports.</summary>
    public const string ArtifactsContainer = "artifacts";

    /// <summary>Lease blobs that elect one host for singleton work (the change detector).</summary>
    public const string LeasesContainer = "leases";

    /// <summary>BlobCreated events in Event Grid schema.</summary>
    public const string BlobEventsQueue = "blob-events";

    /// <summary>Blob events that could not be ingested (malformed, or failing five deliveries), with their error.</summary>
    public const string BlobEventsPoisonQueue = "blob-events-poison";

    /// <summary>Datasets: one row per distinct upload, partitioned by site and experiment.</summary>
    public const string DatasetsTable = "Datasets";

    /// <summary>Experiments: pipeline state per experiment, partitioned by site.</summary>
    public const string ExperimentsTable = "Experiments";

    /// <summary>Results with provenance, partitioned by site and experiment.</summary>
    public const string ResultsTable = "Results";

    /// <summary>Small persistent cursors (the change detector's watermark).</summary>
    public const string CheckpointsTable = "Checkpoints";

    /// <summary>Every analysis stage version a host has run, with its parameter schema (recorded at start-up).</summary>
    public const string AlgorithmVersionsTable = "AlgorithmVersions";

    /// <summary>An index of the results by algorithm and version (what reanalysis campaigns read), and each experiment's current manifest hash.</summary>
    public const string ResultVersionsTable = "ResultVersions";

    /// <summary>The consortium's member sites.</summary>
    public const string SitesTable = "Sites";

    /// <summary>Read-only grants of one site's experiments or techniques to named sites or the consortium, partitioned by owner.</summary>
    public const string SharesTable = "Shares";

    /// <summary>API keys: salted hashes, names, expiries and revocations; never a secret.</summary>
    public const string ApiKeysTable = "ApiKeys";

    /// <summary>Append-only audit of shares, revocations, key changes and cross-site reads, partitioned by the site concerned.</summary>
    public const string AuditTable = "Audit";

    /// <summary>All containers.</summary>
    public static readonly IReadOnlyList<string> Containers = [RawContainer, ArtifactsContainer, LeasesContainer];

    /// <summary>All queues.</summary>
    public static readonly IReadOnlyList<string> Queues = [BlobEventsQueue, BlobEventsPoisonQueue];

    /// <summary>All tables.</summary>
    public static readonly IReadOnlyList<string> Tables =
        [DatasetsTable, ExperimentsTable, ResultsTable, CheckpointsTable, SitesTable, SharesTable, ApiKeysTable, AuditTable, AlgorithmVersionsTable, ResultVersionsTable];
}
