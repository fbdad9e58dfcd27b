namespace CloudPipeline.Pipeline;

/// <summary>
/// Pipeline configuration, bound from the <c>CloudPipeline</c> section (appsettings.json, local.settings.json
/// or environment variables such as <c>CloudPipeline__Storage__ConnectionString</c>).
/// </summary>
public sealed class PipelineOptions
{
    /// <summary>The configuration section name.</summary>
    public const string Section = "CloudPipeline";

    /// <summary>Storage settings.</summary>
    public StorageSettings Storage { get; set; } = new();

    /// <summary>
    /// NCRONTAB schedule (six fields, seconds first) of the change detector that turns new blobs in <c>raw</c>
    /// into BlobCreated events, the local stand-in for Event Grid. Default every 2 s.
    /// </summary>
    public string ChangeDetectorSchedule { get; set; } = "*/2 * * * * *";

    /// <summary>Run the change detector. Default true; switch it off where an Event Grid subscription delivers the events.</summary>
    public bool ChangeDetectorEnabled { get; set; } = true;

    /// <summary>How long an experiment waits for its remaining inputs before it fails. Default 7 days.</summary>
    public TimeSpan ExperimentInputTimeout { get; set; } = TimeSpan.FromDays(7);
}

/// <summary>Where the pipeline keeps its data.</summary>
public sealed class StorageSettings
{
    /// <summary>
    /// An Azure Storage connection string. Default <c>UseDevelopmentStorage=true</c>: local Azurite on
    /// 127.0.0.1:10000–10002 with the well-known development account. Ignored when <see cref="AccountName"/> is set.
    /// </summary>
    public string ConnectionString { get; set; } = "UseDevelopmentStorage=true";

    /// <summary>
    /// The storage account name for an identity-based connection (endpoints <c>https://{name}.{service}.core.windows.net</c>,
    /// credential <c>DefaultAzureCredential</c>, with <see cref="ClientId"/> for a user-assigned identity). Default none.
    /// </summary>
    public string? AccountName { get; set; }

    /// <summary>The client id of a user-assigned managed identity, with <see cref="AccountName"/>. Default none (system identity or developer sign-in).</summary>
    public string? ClientId { get; set; }
}
