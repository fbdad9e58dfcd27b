using Microsoft.AspNetCore.Http;

namespace CloudPipeline.Pipeline.Consortium;

/// <summary>
/// What one authenticated caller may read: everything of its own site, and what other sites share with it (an
/// experiment, or a technique across their experiments), read-only; the operator reads everything. Every API route
/// asks this one object; lists are filtered through it, single resources the caller may not see answer 404 (their
/// existence is not told), operator-only routes answer 403. Reads of another site's data are written to the audit.
/// </summary>
public sealed class AccessScope
{
    private const string ItemKey = "CloudPipeline.AccessScope";

    private readonly HashSet<(string Owner, string Experiment)> _experiments;
    private readonly HashSet<(string Owner, string Technique)> _techniques;
    private readonly AuditLog _audit;

    internal AccessScope(Caller caller, IEnumerable<Share> received, AuditLog audit)
    {
        Caller = caller;
        _audit = audit;
        var list = received.ToList();
        _experiments = [.. list.Where(s => s.Kind == ShareKind.Experiment).Select(s => (s.Owner, s.Target))];
        _techniques = [.. list.Where(s => s.Kind == ShareKind.Technique).Select(s => (s.Owner, s.Target))];
    }

    /// <summary>The caller.</summary>
    public Caller Caller { get; }

    /// <summary>True when the caller may read the experiment's data of <paramref name="technique"/> (null: data of no one technique, such as its combined report).</summary>
    public bool CanRead(string site, string experiment, string? technique) =>
        Caller.IsOperator || Caller.Site == site || _experiments.Contains((site, experiment)) || technique is not null && _techniques.Contains((site, technique));

    /// <summary>True when the caller may see the experiment at all: the whole of it, or one of its techniques.</summary>
    public bool CanSee(string site, string experiment, IEnumerable<string>? techniques) =>
        CanRead(site, experiment, null) || (techniques ?? []).Any(t => CanRead(site, experiment, t));

    /// <summary>
    /// True when the caller may address the experiment at all without learning whether it exists: it may read the
    /// whole of it, or the owner shares some technique with it (the rows of other techniques are filtered out).
    /// </summary>
    public bool MaySee(string site, string experiment) => CanRead(site, experiment, null) || _techniques.Any(t => t.Owner == site);

    /// <summary>
    /// Writes one audit row per other site whose data this request read (nothing for the caller's own data or the
    /// operator's reads): the route as target, the experiments as detail.
    /// </summary>
    public async Task AuditReadsAsync(string route, IEnumerable<(string Site, string Experiment)> read, CancellationToken ct)
    {
        if (Caller.IsOperator)
        {
            return;
        }
        foreach (var owner in read.Where(r => r.Site != Caller.Site).GroupBy(r => r.Site))
        {
            var experiments = owner.Select(r => r.Experiment).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            string detail = string.Join(",", experiments.Take(20)) + (experiments.Count > 20 ? $" and {experiments.Count - 20} more" : "");
            await _audit.WriteAsync(owner.Key, AuditAction.CrossSiteRead, Caller, route, detail, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Stores the request's scope (the hosts' authentication step does this once per request).</summary>
    public void Attach(HttpContext context) => context.Items[ItemKey] = this;

    /// <summary>The request's scope; throws when the host did not authenticate the request (a host wiring error, not a caller's).</summary>
    public static AccessScope From(HttpContext context) =>
        context.Items[ItemKey] as AccessScope ?? throw new InvalidOperationException("The request reached a handler without the authentication step.");

    /// <summary>Minimal-API binding: the scope the authentication filter attached.</summary>
    public static ValueTask<AccessScope?> BindAsync(HttpContext context) => ValueTask.FromResult<AccessScope?>(From(context));
}
