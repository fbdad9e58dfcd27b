namespace CloudPipeline.Azurite;

/// <summary>How to start a local Azurite process.</summary>
public sealed class AzuriteOptions
{
    /// <summary>The folder holding <c>package.json</c> that pins Azurite. Default: <c>infra/local</c> found by walking up from the application folder.</summary>
    public string? InstallDirectory { get; set; }

    /// <summary>Where Azurite keeps its data. Default: <c>.azurite</c> under the repository root.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>Blob port; 0 picks a free port. Default 10000 (the well-known development port).</summary>
    public int BlobPort { get; set; } = 10000;

    /// <summary>
    /// Keep everything in memory (Azurite's <c>--inMemoryPersistence</c>): nothing survives a stop, and Azurite skips
    /// writing its metadata databases to disk, which is most of its work under load. For tests and benchmarks.
    /// Default false.
    /// </summary>
    public bool InMemory { get; set; }

    /// <summary>Queue port; 0 picks a free port. Default 10001.</summary>
    public int QueuePort { get; set; } = 10001;

    /// <summary>Table port; 0 picks a free port. Default 10002.</summary>
    public int TablePort { get; set; } = 10002;

    /// <summary>How long to wait for all three services to accept connections. Default 60 s.</summary>
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Receives Azurite's and npm's output lines, for logging. Default: discarded.</summary>
    public Action<string>? Log { get; set; }
}
