using CloudPipeline.Core.Pipeline;
using CloudPipeline.Pipeline.Catalog;

namespace CloudPipeline.Pipeline.Campaigns;

/// <summary>What a campaign reanalyses: one stage (algorithm), the versions results must have, optionally one site or experiment.</summary>
/// <param name="Algorithm">The algorithm id, e.g. <c>mri-drift-velocity</c>.</param>
/// <param name="Versions">The versions every experiment's results of it must have.</param>
/// <param name="Site">Only this site (null: every site).</param>
/// <param name="Experiment">Only this experiment of <paramref name="Site"/>.</param>
public sealed record CampaignRequest(string Algorithm, IReadOnlyList<string> Versions, string? Site = null, string? Experiment = null);

/// <summary>Why an experiment is reanalysed.</summary>
public enum ReanalysisReason
{
    /// <summary>It has no result at a version the host computes (its newest is older, or another model).</summary>
    NewVersion,

    /// <summary>Its results were computed with a manifest it no longer has.</summary>
    ParametersChanged,
}

/// <summary>One experiment's results of one technique that a campaign reanalyses, and why.</summary>
/// <param name="Site">Site.</param>
/// <param name="Experiment">Experiment.</param>
/// <param name="Technique">The chain that reruns it (mri, eis, cycler, nmr).</param>
/// <param name="Reason">Why.</param>
/// <param name="From">The newest version it has (or the manifest hash it was computed with).</param>
/// <param name="To">The version it needs (or the manifest hash it has now).</param>
public sealed record CampaignTarget(string Site, string Experiment, string Technique, ReanalysisReason Reason, string From, string To)
{
    /// <summary>The order campaigns page in: the experiment's partition key, then the technique.</summary>
    public string Key => $"{Keys.Experiment(Site, Experiment)}~{Technique}";

    /// <summary>The reason in words.</summary>
    public string Why => Reason == ReanalysisReason.NewVersion ? $"{From} → {To}" : $"parameters changed (manifest {From} → {To})";
}

/// <summary>How many experiments of a site a campaign would reanalyse for a stage.</summary>
/// <param name="Site">Site.</param>
/// <param name="Algorithm">The stage.</param>
/// <param name="Experiments">Experiments to reanalyse.</param>
public sealed record CampaignCount(string Site, string Algorithm, int Experiments);

/// <summary>What a campaign would do (the dry run), or one page of it.</summary>
/// <param name="Algorithm">The stage.</param>
/// <param name="Versions">The versions results must have.</param>
/// <param name="Total">Experiments to reanalyse in all.</param>
/// <param name="Targets">These (all, or the page asked for), in key order.</param>
/// <param name="Counts">Per site.</param>
/// <param name="Query">The partitions read and the rows they held: the query plan.</param>
/// <param name="ElapsedMs">How long the plan took.</param>
/// <param name="Next">The key to continue after, when the page did not reach the end.</param>
public sealed record CampaignPlan(string Algorithm, IReadOnlyList<string> Versions, int Total, IReadOnlyList<CampaignTarget> Targets, IReadOnlyList<CampaignCount> Counts,
    string Query, double ElapsedMs, string? Next);

/// <summary>A campaign request that cannot run (unknown stage or version); nothing is started.</summary>
public sealed class CampaignRequestException(string message) : Exception(message);

/// <summary>
/// Resolves campaign requests against <see cref="AlgorithmRegistry"/> and finds what they would reanalyse from the
/// <see cref="ResultVersionIndex"/>: the stage's partition (narrowed to a site's or an experiment's key range) and the
/// manifests partition over the same range; nothing else is read.
/// </summary>
public sealed class CampaignPlanner(DatasetCatalog catalog, StageVersions versions, TimeProvider time)
{
    /// <summary>
    /// Parses a stage, <c>name</c> (the versions this host computes) or <c>name@version</c> (that version only), and
    /// checks it exists.
    /// </summary>
    /// <exception cref="CampaignRequestException">An unknown stage or version, or an experiment without its site.</exception>
    public CampaignRequest Resolve(string? stage, string? site, string? experiment)
    {
        var names = AlgorithmRegistry.All.Select(a => a.Name).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (string.IsNullOrWhiteSpace(stage))
        {
            throw new CampaignRequestException($"Give the stage to reanalyse: one of {string.Join(", ", names)} (optionally name@version).");
        }
        string name = stage.Split('@')[0];
        string? version = stage.Contains('@', StringComparison.Ordinal) ? stage[(stage.IndexOf('@', StringComparison.Ordinal) + 1)..] : null;
        if (!names.Contains(name, StringComparer.Ordinal))
        {
            throw new CampaignRequestException($"Unknown stage '{name}'; the stages are {string.Join(", ", names)}.");
        }
        var known = AlgorithmRegistry.All.Where(a => a.Name == name).Select(a => a.Version).ToList();
        if (version is not null && !known.Contains(version, StringComparer.Ordinal))
        {
            throw new CampaignRequestException($"Stage {name} has no version {version}; it has {string.Join(", ", known)}.");
        }
        if (experiment is not null && site is null)
        {
            throw new CampaignRequestException("Give the experiment's site too (--site with --experiment).");
        }
        return new CampaignRequest(name, version is null ? versions.Current(name) : [version], NullIfEmpty(site), NullIfEmpty(experiment));
    }

    /// <summary>
    /// The experiments whose results of the stage lack a version the request asks for, or were computed with a manifest
    /// the experiment no longer has; all of them, or the page of <paramref name="take"/> after <paramref name="after"/>.
    /// </summary>
    public async Task<CampaignPlan> PlanAsync(CampaignRequest request, string? after, int? take, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        long started = time.GetTimestamp();
        var rows = await catalog.Versions.ListAsync(request.Algorithm, request.Site, request.Experiment, ct).ConfigureAwait(false);
        var manifests = await catalog.Versions.ListManifestsAsync(request.Site, request.Experiment, ct).ConfigureAwait(false);
        var targets = new List<CampaignTarget>();
        foreach (var g in rows.GroupBy(r => (r.Site, r.Experiment, r.Technique)))
        {
            if (Due(request, g.ToList(), manifests.GetValueOrDefault(Keys.Experiment(g.Key.Site, g.Key.Experiment))) is { } due)
            {
                targets.Add(due);
            }
        }
        targets.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        var counts = targets.GroupBy(t => t.Site).Select(g => new CampaignCount(g.Key, request.Algorithm, g.Count())).OrderBy(c => c.Site, StringComparer.Ordinal).ToList();
        var rest = after is null ? targets : targets.Where(t => string.CompareOrdinal(t.Key, after) > 0).ToList();
        var page = take is { } n ? rest.Take(n).ToList() : rest;
        string range = request.Experiment is not null ? $"experiment {request.Site}/{request.Experiment}" : request.Site is not null ? $"site {request.Site}'s key range" : "whole partition";
        string query = $"{Contracts.StorageLayout.ResultVersionsTable}: partition '{Keys.Escape(request.Algorithm)}' ({range}, {rows.Count} rows) and partition " +
            $"'{ResultVersionIndex.ManifestsPartition}' ({range}, {manifests.Count} rows)";
        return new CampaignPlan(request.Algorithm, request.Versions, targets.Count, page, counts, query, time.GetElapsedTime(started).TotalMilliseconds,
            page.Count > 0 && page.Count < rest.Count ? page[^1].Key : null);
    }

    /// <summary>Whether one experiment's results of the stage are due, and why: the first version it lacks, else a changed manifest.</summary>
    private static CampaignTarget? Due(CampaignRequest request, List<ResultVersionRow> present, string? manifest)
    {
        var first = present[0];
        foreach (string version in request.Versions)
        {
            var row = present.FirstOrDefault(r => r.Version == version);
            if (row is null)
            {
                string newest = present.Select(r => r.Version).MaxBy(v => Version.TryParse(v, out var parsed) ? parsed : new Version(0, 0))!;
                return new CampaignTarget(first.Site, first.Experiment, first.Technique, ReanalysisReason.NewVersion, $"{request.Algorithm}@{newest}", $"{request.Algorithm}@{version}");
            }
            if (row.Manifest.Length > 0 && manifest is { Length: > 0 } current && current != row.Manifest)
            {
                return new CampaignTarget(first.Site, first.Experiment, first.Technique, ReanalysisReason.ParametersChanged, row.Manifest[..12], current[..12]);
            }
        }
        return null;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
