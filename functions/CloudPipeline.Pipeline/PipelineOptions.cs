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

    /// <summary>
    /// The drift-velocity versions the MRI stage computes side by side for every experiment: <c>1.0.0</c> (the seed
    /// paper's D(c) with c in mol/L) and <c>2.0.0</c> (D at the EO:Li ratio); a manifest's own D model is computed as
    /// well. Default (null): both. A host that adds a version here finds the experiments analysed without it through a
    /// reanalysis campaign. Set as <c>CloudPipeline__MriDriftVersions__0=1.0.0</c> and so on.
    /// </summary>
    public string[]? MriDriftVersions { get; set; }

    /// <summary>Reanalysis campaigns.</summary>
    public ReanalysisSettings Reanalysis { get; set; } = new();
}

/// <summary>How reanalysis campaigns run.</summary>
public sealed class ReanalysisSettings
{
    /// <summary>
    /// Six-field NCRONTAB schedule of the scheduled reanalysis, which starts a campaign for every stage with stale
    /// results. Default none: off. (The Functions app's timer reads the <c>ReanalysisSchedule</c> app setting and is
    /// disabled by <c>AzureWebJobs.ScheduledReanalysis.Disabled=true</c> unless switched on.)
    /// </summary>
    public string? Schedule { get; set; }

    /// <summary>Experiments per page: a campaign finds this many, reanalyses them, then continues as new. Default 25.</summary>
    public int PageSize { get; set; } = 25;

    /// <summary>Experiments reanalysed at once within a page. Default 4.</summary>
    public int Parallelism { get; set; } = 4;
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
