namespace CloudPipeline.LocalHost.Hosting;

/// <summary>
/// Settings of the local host, bound from <c>CloudPipeline:LocalHost</c>. The defaults are chosen by measurement on
/// a 2-core machine against Azurite (docs/ARCHITECTURE.md, "The local host").
/// </summary>
public sealed class LocalHostOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "CloudPipeline:LocalHost";

    /// <summary>The Durable Task hub name (its queues, tables and blob container are named after it). Hosts that share work use the same one. Default <c>cloudpipeline</c>.</summary>
    public string TaskHub { get; set; } = "cloudpipeline";

    /// <summary>Control-queue partitions: at most this many hosts share orchestration work. Default 4.</summary>
    public int PartitionCount { get; set; } = 4;

    /// <summary>Activities one host runs at once (analyses are CPU-bound; keep near the core count). Default 8.</summary>
    public int MaxConcurrentActivities { get; set; } = 8;

    /// <summary>Orchestration episodes one host runs at once. Default 16.</summary>
    public int MaxConcurrentOrchestrations { get; set; } = 16;

    /// <summary>The longest pause between polls of an idle queue; it bounds the latency of each step. Default 0.5 s.</summary>
    public TimeSpan MaxQueuePollingInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How long a message a host took stays invisible to others: after a host dies mid-step, its work reappears
    /// this long after it was taken (live hosts renew it). Default 30 s.
    /// </summary>
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a partition lease lasts without renewal: a dead host's partitions move after this. Default 20 s.</summary>
    public TimeSpan LeaseInterval { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// How long an orchestration's history stays in memory after an episode (Durable Task's extended sessions), so
    /// the next episode of an orchestration that waits for events does not read its history again. Zero (the
    /// default) turns extended sessions off: with several hosts, the provider waits for open sessions before it
    /// hands a partition over, and partitions move while hosts start and stop. Turn it on (e.g. 30 s) for one host
    /// with large fan-outs (5,000 activities: 277 s instead of 349 s).
    /// </summary>
    public TimeSpan ExtendedSessionIdleTimeout { get; set; } = TimeSpan.Zero;

    /// <summary>Deliveries of a blob event before it moves to the poison queue. Default 5.</summary>
    public int MaxEventDeliveries { get; set; } = 5;

    /// <summary>
    /// Where the host keeps the consortium operator's API key for the person running it (created at first start, owner-only).
    /// Default <c>.cloudpipeline/operator.key</c> in the repository root (git-ignored), else beside the host.
    /// </summary>
    public string? OperatorKeyFile { get; set; }
}

/// <summary>The embedded local storage emulator, bound from <c>CloudPipeline:Azurite</c>.</summary>
public sealed class AzuriteSettings
{
    /// <summary>The configuration section.</summary>
    public const string Section = "CloudPipeline:Azurite";

    /// <summary>
    /// With the development connection string and nothing listening on the development ports, start Azurite
    /// (installing it with npm if needed) and stop it on exit. Default true.
    /// </summary>
    public bool AutoStart { get; set; } = true;

    /// <summary>Azurite's data folder. Default <c>.azurite</c> in the repository root (or beside a published host), so data persists between runs.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>The folder with Azurite's package.json. Default: <c>azurite/</c> beside the host, else <c>infra/local</c> above it.</summary>
    public string? InstallDirectory { get; set; }
}
