using Azure.Data.Tables;
using CloudPipeline.Contracts;

namespace CloudPipeline.Pipeline.Catalog;

/// <summary>
/// Which algorithm versions an experiment's results were last computed with, as the reanalysis campaigns read them.
/// </summary>
/// <param name="Algorithm">Algorithm id (a stage of <see cref="Core.Pipeline.AlgorithmRegistry"/>).</param>
/// <param name="Version">The version.</param>
/// <param name="Site">Site.</param>
/// <param name="Experiment">Experiment.</param>
/// <param name="Technique">The technique of the results (the chain that reruns them: mri, eis, cycler, nmr).</param>
/// <param name="ParameterHash">The parameter hash of the computation written last.</param>
/// <param name="Manifest">The SHA-256 of the manifest it read, when its inputs name one (else empty).</param>
/// <param name="ComputedAt">When.</param>
public sealed record ResultVersionRow(string Algorithm, string Version, string Site, string Experiment, string Technique, string ParameterHash, string Manifest,
    DateTimeOffset ComputedAt);

/// <summary>
/// The ResultVersions table: an index of the Results table by algorithm, so a campaign (or its dry run) over a whole
/// stage reads one partition instead of every experiment's. Partition: the algorithm id; row: the experiment's
/// partition key, <c>~</c>, the version; written with the results (upsert: the computation written last). A second
/// partition, <see cref="ManifestsPartition"/>, holds each experiment's current manifest hash, written when a manifest is
/// catalogued, so "its parameters changed" is a comparison of two partitions too.
/// </summary>
public sealed class ResultVersionIndex(TableServiceClient tables)
{
    /// <summary>The partition of the experiments' current manifests (no algorithm id starts with '~').</summary>
    public const string ManifestsPartition = "~manifest~";

    private TableClient Table => tables.GetTableClient(StorageLayout.ResultVersionsTable);

    /// <summary>Records the versions a set of result rows was computed with (one row per algorithm, version and experiment).</summary>
    public async Task RecordAsync(IEnumerable<ResultRecord> results, CancellationToken ct)
    {
        foreach (var byAlgorithm in results.GroupBy(r => r.Algorithm))
        {
            var rows = byAlgorithm.GroupBy(r => (r.Site, r.Experiment, r.Version)).Select(g => g.First()).ToList();
            foreach (var chunk in rows.Chunk(100))
            {
                await Table.SubmitTransactionAsync(chunk.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace,
                    new TableEntity(Keys.Escape(r.Algorithm), $"{Keys.Experiment(r.Site, r.Experiment)}~{Keys.Escape(r.Version)}")
                    {
                        ["Site"] = r.Site,
                        ["Experiment"] = r.Experiment,
                        ["Technique"] = r.Technique,
                        ["Version"] = r.Version,
                        ["ParameterHash"] = r.ParameterHash,
                        ["Manifest"] = r.InputFiles.FirstOrDefault(i => IsManifest(i.Name))?.Sha256 ?? "",
                        ["ComputedAt"] = r.ComputedAt,
                    })), ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Records the manifest an experiment now has.</summary>
    public Task RecordManifestAsync(string site, string experiment, string sha256, CancellationToken ct) =>
        Table.UpsertEntityAsync(new TableEntity(ManifestsPartition, Keys.Experiment(site, experiment)) { ["Sha256"] = sha256 }, TableUpdateMode.Replace, ct);

    /// <summary>The version rows of one algorithm: of every experiment, of a site's, or of one experiment (a key range of one partition).</summary>
    public async Task<IReadOnlyList<ResultVersionRow>> ListAsync(string algorithm, string? site, string? experiment, CancellationToken ct)
    {
        var list = new List<ResultVersionRow>();
        await foreach (var e in Table.QueryAsync<TableEntity>(Filter(Keys.Escape(algorithm), site, experiment), cancellationToken: ct).ConfigureAwait(false))
        {
            list.Add(new ResultVersionRow(algorithm, e.GetString("Version") ?? "", e.GetString("Site") ?? "", e.GetString("Experiment") ?? "", e.GetString("Technique") ?? "",
                e.GetString("ParameterHash") ?? "", e.GetString("Manifest") ?? "", e.GetDateTimeOffset("ComputedAt") ?? default));
        }
        return list;
    }

    /// <summary>The current manifest hash of each experiment in range, by the experiment's partition key.</summary>
    public async Task<IReadOnlyDictionary<string, string>> ListManifestsAsync(string? site, string? experiment, CancellationToken ct)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var e in Table.QueryAsync<TableEntity>(Filter(ManifestsPartition, site, experiment), cancellationToken: ct).ConfigureAwait(false))
        {
            map[e.RowKey] = e.GetString("Sha256") ?? "";
        }
        return map;
    }

    /// <summary>True for the name of an experiment's manifest blob.</summary>
    public static bool IsManifest(string blobName) => blobName.EndsWith("/experiment.json", StringComparison.Ordinal);

    /// <summary>
    /// One partition, narrowed to the row keys of a site (<c>site|</c>…) or of one experiment (its version rows
    /// <c>site|experiment~</c>…, or its manifest row).
    /// </summary>
    private static string Filter(string partition, string? site, string? experiment)
    {
        if (site is null)
        {
            return TableClient.CreateQueryFilter($"PartitionKey eq {partition}");
        }
        if (experiment is not null)
        {
            string key = Keys.Experiment(site, experiment);
            return partition == ManifestsPartition
                ? TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey eq {key}")
                : TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {key + "~"} and RowKey lt {key + "\u007f"}");
        }
        // '}' sorts right after '|', so [site|, site}) is exactly the site's range.
        return TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {Keys.Escape(site) + "|"} and RowKey lt {Keys.Escape(site) + "}"}");
    }
}
