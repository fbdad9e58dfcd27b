using CloudPipeline.Contracts;
using CloudPipeline.Core.Pipeline;
using Azure;
using Azure.Data.Tables;
using CloudPipeline.Pipeline.Storage;

namespace CloudPipeline.Pipeline.Catalog;

/// <summary>A dataset row: one distinct content uploaded under one path of an experiment.</summary>
public sealed record DatasetRecord
{
    /// <summary>Site.</summary>
    public required string Site { get; init; }

    /// <summary>Experiment.</summary>
    public required string Experiment { get; init; }

    /// <summary>Path relative to the experiment folder.</summary>
    public required string Path { get; init; }

    /// <summary>The raw blob name.</summary>
    public required string BlobName { get; init; }

    /// <summary>Content SHA-256 (hex).</summary>
    public required string Sha256 { get; init; }

    /// <summary>The blob ETag it was read at.</summary>
    public string? ETag { get; init; }

    /// <summary>Size in bytes.</summary>
    public long Size { get; init; }

    /// <summary>Status.</summary>
    public DatasetStatus Status { get; init; }

    /// <summary>Why it was rejected or failed.</summary>
    public string? Reason { get; init; }

    /// <summary>Identified format.</summary>
    public string? FormatId { get; init; }

    /// <summary>Technique.</summary>
    public string? Technique { get; init; }

    /// <summary>Role within the experiment (profile, polarisation, manifest).</summary>
    public string? Role { get; init; }

    /// <summary>Reader and version.</summary>
    public string? Reader { get; init; }

    /// <summary>Points/rows read.</summary>
    public string? Summary { get; init; }

    /// <summary>The dataset's orchestration instance.</summary>
    public string? InstanceId { get; init; }

    /// <summary>When it was first seen.</summary>
    public DateTimeOffset ReceivedAt { get; init; }

    /// <summary>Last change.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The row key: escaped path plus the first 16 hex digits of the content hash, so new content is a new version.</summary>
    public string RowKey => $"{Keys.Escape(Path)}~{Sha256[..16]}";

    internal DatasetEntity ToEntity() => new()
    {
        PartitionKey = Keys.Experiment(Site, Experiment),
        RowKey = RowKey,
        Site = Site,
        Experiment = Experiment,
        Path = Path,
        BlobName = BlobName,
        Sha256 = Sha256,
        ETagSeen = ETag,
        Size = Size,
        Status = Status.ToString(),
        Reason = Reason,
        FormatId = FormatId,
        Technique = Technique,
        Role = Role,
        Reader = Reader,
        Summary = Summary,
        InstanceId = InstanceId,
        ReceivedAt = ReceivedAt,
        UpdatedAt = UpdatedAt,
    };

    internal static DatasetRecord FromEntity(DatasetEntity e) => new()
    {
        Site = e.Site,
        Experiment = e.Experiment,
        Path = e.Path,
        BlobName = e.BlobName,
        Sha256 = e.Sha256 ?? "",
        ETag = e.ETagSeen,
        Size = e.Size,
        Status = Enum.Parse<DatasetStatus>(e.Status),
        Reason = e.Reason,
        FormatId = e.FormatId,
        Technique = e.Technique,
        Role = e.Role,
        Reader = e.Reader,
        Summary = e.Summary,
        InstanceId = e.InstanceId,
        ReceivedAt = e.ReceivedAt,
        UpdatedAt = e.UpdatedAt,
    };
}

/// <summary>One result value with its provenance (ARCHITECTURE §6).</summary>
public sealed record ResultRecord
{
    /// <summary>Site.</summary>
    public required string Site { get; init; }

    /// <summary>Experiment.</summary>
    public required string Experiment { get; init; }

    /// <summary>Cell id from the manifest.</summary>
    public string? CellId { get; init; }

    /// <summary>Technique.</summary>
    public required string Technique { get; init; }

    /// <summary>Stage.</summary>
    public required string Stage { get; init; }

    /// <summary>Quantity name, e.g. <c>vMaxAbs</c>.</summary>
    public required string Quantity { get; init; }

    /// <summary>The value (NaN when only <see cref="Text"/> applies).</summary>
    public double Value { get; init; } = double.NaN;

    /// <summary>A textual value (flags, booleans).</summary>
    public string? Text { get; init; }

    /// <summary>Unit.</summary>
    public string Unit { get; init; } = "";

    /// <summary>Standard uncertainty, if known.</summary>
    public double? Uncertainty { get; init; }

    /// <summary>Lower end of the 95 % confidence interval, where the analysis computes one (a fit's t-interval).</summary>
    public double? Ci95Low { get; init; }

    /// <summary>Upper end of the 95 % confidence interval, where the analysis computes one.</summary>
    public double? Ci95High { get; init; }

    /// <summary>Algorithm id.</summary>
    public required string Algorithm { get; init; }

    /// <summary>Algorithm version.</summary>
    public required string Version { get; init; }

    /// <summary>Hash of the parameter set.</summary>
    public required string ParameterHash { get; init; }

    /// <summary>Input datasets with their content hashes, as stored (a JSON array of <see cref="InputReference"/>).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public required string Inputs { get; init; }

    /// <summary>The input datasets with their content hashes (what the API gives as <c>inputs</c>: nested JSON, not a string).</summary>
    [System.Text.Json.Serialization.JsonPropertyName("inputs")]
    public IReadOnlyList<InputReference> InputFiles =>
        Inputs.Length == 0 ? [] : System.Text.Json.JsonSerializer.Deserialize<List<InputReference>>(Inputs) ?? [];

    /// <summary>Where the arrays and plots of this result live (blob prefix in <c>artifacts</c>).</summary>
    public string? ArtifactPrefix { get; init; }

    /// <summary>QC flags of the result.</summary>
    public string? Flags { get; init; }

    /// <summary>When it was computed.</summary>
    public DateTimeOffset ComputedAt { get; init; }

    /// <summary>The orchestration instance that computed it.</summary>
    public string? InstanceId { get; init; }

    /// <summary>Of each quantity, the computation made last (whatever its version or parameters): what a series over an experiment's files shows.</summary>
    public static IReadOnlyList<ResultRecord> NewestPerQuantity(IEnumerable<ResultRecord> results) =>
        [.. results.GroupBy(r => (r.Technique, r.Quantity)).Select(g => g.MaxBy(r => r.ComputedAt)!)];

    /// <summary>The key of the latest index row: technique, quantity, algorithm and version (any parameter hash).</summary>
    public string LatestKey => $"{Technique}~{Quantity}~{Algorithm}@{Version}";

    /// <summary>Row key: technique, quantity, algorithm, version and parameter hash; rerunning the same analysis overwrites, a new version adds.</summary>
    public string RowKey => $"{Technique}~{Quantity}~{Algorithm}@{Version}~{ParameterHash}";

    internal ResultEntity ToEntity() => new()
    {
        PartitionKey = Keys.Experiment(Site, Experiment),
        RowKey = RowKey,
        Site = Site,
        Experiment = Experiment,
        CellId = CellId,
        Technique = Technique,
        Stage = Stage,
        Quantity = Quantity,
        Value = Value,
        Text = Text,
        Unit = Unit,
        Uncertainty = Uncertainty,
        Ci95Low = Ci95Low,
        Ci95High = Ci95High,
        Algorithm = Algorithm,
        Version = Version,
        ParameterHash = ParameterHash,
        Inputs = Inputs,
        ArtifactPrefix = ArtifactPrefix,
        Flags = Flags,
        ComputedAt = ComputedAt,
        InstanceId = InstanceId,
    };

    internal static ResultRecord FromEntity(ResultEntity e) => new()
    {
        Site = e.Site,
        Experiment = e.Experiment,
        CellId = e.CellId,
        Technique = e.Technique,
        Stage = e.Stage,
        Quantity = e.Quantity,
        Value = e.Value ?? double.NaN,
        Text = e.Text,
        Unit = e.Unit ?? "",
        Uncertainty = e.Uncertainty,
        Ci95Low = e.Ci95Low,
        Ci95High = e.Ci95High,
        Algorithm = e.Algorithm,
        Version = e.Version,
        ParameterHash = e.ParameterHash,
        Inputs = e.Inputs,
        ArtifactPrefix = e.ArtifactPrefix,
        Flags = e.Flags,
        ComputedAt = e.ComputedAt,
        InstanceId = e.InstanceId,
    };
}

/// <summary>An experiment's pipeline state.</summary>
/// <param name="Site">Site.</param>
/// <param name="Experiment">Experiment.</param>
/// <param name="Status">WaitingForInputs, Processing, Completed or Failed.</param>
/// <param name="InstanceId">Its orchestration instance.</param>
/// <param name="Detail">What it waits for, or the error.</param>
/// <param name="UpdatedAt">Last change.</param>
/// <param name="Techniques">The techniques of its datasets (mri, eis, cycler, nmr, manifest).</param>
public sealed record ExperimentRecord(string Site, string Experiment, string Status, string? InstanceId, string? Detail, DateTimeOffset UpdatedAt,
    IReadOnlyList<string>? Techniques = null)
{
    /// <summary>
    /// Every experiment that has datasets, with a status whatever its techniques: an experiment whose orchestration
    /// records its state (MRI) keeps that record, and is Processing until there is one; any other takes its state from
    /// its datasets: Processing while one is received or analysed, Failed when one failed or every file was rejected
    /// (with the first reason), else Completed.
    /// </summary>
    public static IReadOnlyList<ExperimentRecord> WithDatasetStates(IReadOnlyList<ExperimentRecord> recorded, IReadOnlyList<DatasetRecord> datasets)
    {
        var byExperiment = datasets.GroupBy(d => (d.Site, d.Experiment)).ToDictionary(g => g.Key, g => g.ToList());
        var list = new List<ExperimentRecord>();
        foreach (var r in recorded)
        {
            list.Add(r with { Techniques = TechniquesOf(byExperiment.GetValueOrDefault((r.Site, r.Experiment)) ?? []) });
        }
        foreach (var ((site, experiment), files) in byExperiment.Where(kv => !recorded.Any(r => r.Site == kv.Key.Site && r.Experiment == kv.Key.Experiment)))
        {
            if (files.Any(d => d.Role is "profile" or "polarisation" && d.Status is not DatasetStatus.Rejected))
            {
                // MRI data: the experiment's state is its orchestration's, which has not recorded one yet.
                list.Add(new ExperimentRecord(site, experiment, "Processing", Orchestrations.PipelineTasks.MriInstanceId(site, experiment),
                    "the MRI analysis has not recorded its state yet", files.Max(d => d.UpdatedAt), TechniquesOf(files)));
                continue;
            }
            var failed = files.Where(d => d.Status == DatasetStatus.Failed).ToList();
            var rejected = files.Where(d => d.Status == DatasetStatus.Rejected).ToList();
            var (status, detail) = files.Any(d => d.Status is DatasetStatus.Received or DatasetStatus.Identified or DatasetStatus.Processing)
                ? ("Processing", $"{files.Count(d => d.Status is DatasetStatus.Received or DatasetStatus.Identified or DatasetStatus.Processing)} of {files.Count} datasets being analysed")
                : failed.Count > 0 ? ("Failed", $"{failed.Count} of {files.Count} datasets failed; first: {failed[0].Path}: {failed[0].Reason}")
                : rejected.Count == files.Count ? ("Failed", $"every file was rejected; first: {rejected[0].Path}: {rejected[0].Reason}")
                : ("Completed", $"{files.Count - rejected.Count} datasets analysed{(rejected.Count > 0 ? $", {rejected.Count} rejected" : "")}");
            list.Add(new ExperimentRecord(site, experiment, status, null, detail, files.Max(d => d.UpdatedAt), TechniquesOf(files)));
        }
        return [.. list.OrderBy(e => e.Site, StringComparer.Ordinal).ThenBy(e => e.Experiment, StringComparer.Ordinal)];
    }

    private static IReadOnlyList<string> TechniquesOf(IEnumerable<DatasetRecord> files) =>
        [.. files.Select(d => d.Technique).OfType<string>().Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
}

/// <summary>The Datasets, Experiments and Results tables.</summary>
public sealed class DatasetCatalog
{
    private readonly TableClient _datasets;
    private readonly TableClient _experiments;
    private readonly TableClient _results;

    /// <summary>Creates the catalog on the account's table service.</summary>
    public DatasetCatalog(TableServiceClient tables)
    {
        _datasets = tables.GetTableClient(StorageLayout.DatasetsTable);
        _experiments = tables.GetTableClient(StorageLayout.ExperimentsTable);
        _results = tables.GetTableClient(StorageLayout.ResultsTable);
        Versions = new ResultVersionIndex(tables);
    }

    /// <summary>The index of the results by algorithm and version, written with them.</summary>
    public ResultVersionIndex Versions { get; }

    /// <summary>Records a new dataset; false if this content under this path is already known.</summary>
    public async Task<bool> TryAddAsync(DatasetRecord dataset, CancellationToken ct)
    {
        try
        {
            await _datasets.AddEntityAsync(dataset.ToEntity(), ct).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    /// <summary>Writes the dataset's current state.</summary>
    public Task UpdateAsync(DatasetRecord dataset, CancellationToken ct) =>
        _datasets.UpsertEntityAsync(dataset.ToEntity(), TableUpdateMode.Replace, ct);

    /// <summary>One dataset, or null.</summary>
    public async Task<DatasetRecord?> GetAsync(string site, string experiment, string rowKey, CancellationToken ct)
    {
        var response = await _datasets.GetEntityIfExistsAsync<DatasetEntity>(Keys.Experiment(site, experiment), rowKey, cancellationToken: ct).ConfigureAwait(false);
        return response.HasValue && response.Value!.Sha256 is not null ? DatasetRecord.FromEntity(response.Value) : null;
    }

    /// <summary>The dataset an activity works on.</summary>
    /// <exception cref="Activities.PermanentActivityException">It is not in the catalog.</exception>
    public async Task<DatasetRecord> RequireAsync(Orchestrations.DatasetInput input, CancellationToken ct) =>
        await GetAsync(input.Site, input.Experiment, input.DatasetRowKey, ct).ConfigureAwait(false)
        ?? throw new Activities.PermanentActivityException($"Dataset {input.DatasetRowKey} of {input.Site}/{input.Experiment} is not in the catalog.");

    /// <summary>True if this blob version (name + ETag) was already ingested: the cheap idempotency check.</summary>
    public async Task<bool> SeenAsync(string site, string experiment, string path, string etag, CancellationToken ct) =>
        (await _datasets.GetEntityIfExistsAsync<TableEntity>(Keys.Experiment(site, experiment), SeenKey(path, etag), ["RowKey"], ct).ConfigureAwait(false)).HasValue;

    /// <summary>Marks a blob version as ingested.</summary>
    public Task MarkSeenAsync(string site, string experiment, string path, string etag, string datasetRowKey, CancellationToken ct) =>
        _datasets.UpsertEntityAsync(new TableEntity(Keys.Experiment(site, experiment), SeenKey(path, etag)) { ["Dataset"] = datasetRowKey }, TableUpdateMode.Replace, ct);

    private static string SeenKey(string path, string etag) => $"~seen~{Keys.Escape(path)}~{Keys.Escape(etag.Trim('"'))}";

    /// <summary>The datasets of an experiment, or of a site, or all.</summary>
    public async Task<IReadOnlyList<DatasetRecord>> ListAsync(string? site, string? experiment, CancellationToken ct)
    {
        string? filter = SiteOrExperimentFilter(site, experiment);
        var list = new List<DatasetRecord>();
        await foreach (var e in _datasets.QueryAsync<DatasetEntity>(filter, cancellationToken: ct).ConfigureAwait(false))
        {
            if (!e.RowKey.StartsWith("~seen~", StringComparison.Ordinal))
            {
                list.Add(DatasetRecord.FromEntity(e));
            }
        }
        return list;
    }

    /// <summary>A whole experiment's partition, a site's rows across partitions, or everything.</summary>
    private static string? SiteOrExperimentFilter(string? site, string? experiment) => (site, experiment) switch
    {
        ({ } s, { } x) => TableClient.CreateQueryFilter($"PartitionKey eq {Keys.Experiment(s, x)}"),
        ({ } s, null) => TableClient.CreateQueryFilter($"Site eq {s}"),
        _ => null,
    };

    /// <summary>Writes an experiment's state.</summary>
    public Task SetExperimentAsync(ExperimentRecord experiment, CancellationToken ct)
    {
        var e = new ExperimentEntity
        {
            PartitionKey = Keys.Escape(experiment.Site),
            RowKey = Keys.Escape(experiment.Experiment),
            Site = experiment.Site,
            Experiment = experiment.Experiment,
            Status = experiment.Status,
            InstanceId = experiment.InstanceId,
            Detail = experiment.Detail,
            UpdatedAt = experiment.UpdatedAt,
        };
        return _experiments.UpsertEntityAsync(e, TableUpdateMode.Replace, ct);
    }

    /// <summary>Experiments of a site, or all.</summary>
    public async Task<IReadOnlyList<ExperimentRecord>> ListExperimentsAsync(string? site, CancellationToken ct)
    {
        string? filter = site is null ? null : TableClient.CreateQueryFilter($"PartitionKey eq {Keys.Escape(site)}");
        var list = new List<ExperimentRecord>();
        await foreach (var e in _experiments.QueryAsync<ExperimentEntity>(filter, cancellationToken: ct).ConfigureAwait(false))
        {
            list.Add(new ExperimentRecord(e.Site, e.Experiment, e.Status, e.InstanceId, e.Detail, e.UpdatedAt));
        }
        return list;
    }

    /// <summary>
    /// Writes results (upsert: rerunning the same version and parameters replaces its rows), each stamped with the
    /// orchestration instance that made it, and in the same transaction the experiment's "latest" index row of each
    /// quantity and algorithm version (<see cref="LatestPrefix"/>): the computation written last, so the latest view is a
    /// range read of those rows, not a scan of the history. Then the versions they were made with go to the
    /// <see cref="ResultVersionIndex"/>.
    /// </summary>
    public async Task WriteResultsAsync(IReadOnlyList<ResultRecord> results, string instanceId, CancellationToken ct)
    {
        foreach (var chunk in results.GroupBy(r => Keys.Experiment(r.Site, r.Experiment)).SelectMany(g => g.Chunk(50)))
        {
            var actions = new List<TableTransactionAction>(2 * chunk.Length);
            foreach (var r in chunk)
            {
                var entity = (r with { InstanceId = instanceId }).ToEntity();
                actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, entity));
                var latest = entity.Copy();
                latest.RowKey = LatestPrefix + r.LatestKey;
                actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, latest));
            }
            await _results.SubmitTransactionAsync(actions, ct).ConfigureAwait(false);
        }
        await Versions.RecordAsync(results, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The latest index row of a quantity at one algorithm version, or null: what an activity reads to tell whether the
    /// computation it is about to make is already stored (a redelivered activity, a campaign resumed after a crash).
    /// </summary>
    public async Task<ResultRecord?> GetLatestAsync(string site, string experiment, string latestKey, CancellationToken ct)
    {
        var response = await _results.GetEntityIfExistsAsync<ResultEntity>(Keys.Experiment(site, experiment), LatestPrefix + latestKey, cancellationToken: ct).ConfigureAwait(false);
        return response.HasValue ? ResultRecord.FromEntity(response.Value!) : null;
    }

    /// <summary>Every computation of an experiment's results, or of a site's (the history; index rows left out).</summary>
    public Task<IReadOnlyList<ResultRecord>> ListResultsAsync(string? site, string? experiment, CancellationToken ct) =>
        QueryResultsAsync(site, experiment, TableClient.CreateQueryFilter($"RowKey lt {LatestPrefix}"), ct);

    /// <summary>The latest computation of each quantity and algorithm version, read from the index rows only.</summary>
    public Task<IReadOnlyList<ResultRecord>> ListLatestResultsAsync(string? site, string? experiment, CancellationToken ct) =>
        QueryResultsAsync(site, experiment, TableClient.CreateQueryFilter($"RowKey ge {LatestPrefix} and RowKey lt {LatestEnd}"), ct);

    /// <summary>The latest computations of one technique at every site (index rows of that technique only: a row-key range in each partition).</summary>
    public Task<IReadOnlyList<ResultRecord>> ListLatestResultsOfTechniqueAsync(string technique, CancellationToken ct) =>
        QueryResultsAsync(null, null, TableClient.CreateQueryFilter($"RowKey ge {LatestPrefix + technique + "~"} and RowKey lt {LatestPrefix + technique + "\u007f"}"), ct);

    private async Task<IReadOnlyList<ResultRecord>> QueryResultsAsync(string? site, string? experiment, string rows, CancellationToken ct)
    {
        string? filter = SiteOrExperimentFilter(site, experiment);
        var list = new List<ResultRecord>();
        await foreach (var e in _results.QueryAsync<ResultEntity>(filter is null ? rows : $"({filter}) and {rows}", cancellationToken: ct).ConfigureAwait(false))
        {
            list.Add(ResultRecord.FromEntity(e));
        }
        return list;
    }

    /// <summary>Row keys of the latest index rows start with this ('~' sorts after the history's letters).</summary>
    public const string LatestPrefix = "~latest~";

    private const string LatestEnd = "~latest\u007f";
}
