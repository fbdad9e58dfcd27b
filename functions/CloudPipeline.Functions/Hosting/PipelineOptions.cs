namespace CloudPipeline.Functions.Hosting;

/// <summary>
/// Host configuration, bound from the <c>CloudPipeline</c> section of appsettings.json and from
/// environment variables such as <c>CloudPipeline__Storage__ConnectionString</c>.
/// </summary>
public sealed class PipelineOptions
{
    /// <summary>The configuration section name.</summary>
    public const string Section = "CloudPipeline";

    /// <summary>Storage settings.</summary>
    public StorageSettings Storage { get; set; } = new();

    /// <summary>Embedded Azurite settings.</summary>
    public AzuriteSettings Azurite { get; set; } = new();

    /// <summary>
    /// NCRONTAB schedule of the change detector that turns new blobs in <c>raw</c> into BlobCreated events
    /// (the local stand-in for Event Grid). Default every 2 s; set <see cref="ChangeDetectorEnabled"/> false
    /// where an Event Grid subscription delivers the events.
    /// </summary>
    public string ChangeDetectorSchedule { get; set; } = "*/2 * * * * *";

    /// <summary>Run the change detector. Default true.</summary>
    public bool ChangeDetectorEnabled { get; set; } = true;

    /// <summary>How long an experiment waits for its remaining inputs before its instance fails. Default 7 days.</summary>
    public TimeSpan ExperimentInputTimeout { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Work items one host runs at once. Default 8.</summary>
    public int MaxConcurrentWorkItems { get; set; } = 8;
}

/// <summary>Where the pipeline keeps its data.</summary>
public sealed class StorageSettings
{
    /// <summary>
    /// An Azure Storage connection string. Default <c>UseDevelopmentStorage=true</c>: local Azurite on
    /// 127.0.0.1:10000–10002 with the well-known development account.
    /// </summary>
    public string ConnectionString { get; set; } = "UseDevelopmentStorage=true";
}

/// <summary>The embedded local storage emulator.</summary>
public sealed class AzuriteSettings
{
    /// <summary>
    /// With the development connection string and nothing listening on the development ports, start
    /// Azurite from <c>infra/local</c> and stop it on exit. Default true.
    /// </summary>
    public bool AutoStart { get; set; } = true;

    /// <summary>Azurite's data folder. Default <c>.azurite</c> in the repository root, so data persists between runs.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>The folder with Azurite's package.json. Default: <c>infra/local</c> found above the host binary.</summary>
    public string? InstallDirectory { get; set; }
}
