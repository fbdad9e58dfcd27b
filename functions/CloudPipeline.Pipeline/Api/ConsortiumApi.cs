using CloudPipeline.Pipeline.Catalog;
using CloudPipeline.Pipeline.Consortium;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using static CloudPipeline.Pipeline.Api.PipelineApi;

namespace CloudPipeline.Pipeline.Api;

/// <summary>
/// The consortium's routes: the site registry and its API keys (operator, or a site for its own keys), shares and their
/// revocation (by the owning site), the audit (each site its own rows; the operator all), the consortium-wide view of one
/// technique's results, and upload links. Same authentication and <see cref="AccessScope"/> as every other route.
/// </summary>
public static class ConsortiumApi
{
    /// <summary>The techniques a share can name.</summary>
    public static readonly IReadOnlySet<string> Techniques = new HashSet<string>(StringComparer.Ordinal) { "mri", "eis", "cycler", "nmr" };

    /// <summary>GET /api/sites: the member sites (every caller may list them, to name them in shares).</summary>
    public static async Task<Ok<IReadOnlyList<SiteRecord>>> ListSitesAsync(AccessScope scope, SiteRegistry sites, CancellationToken ct) =>
        TypedResults.Ok(await sites.ListAsync(ct));

    /// <summary>POST /api/sites {id, displayName, entraTenantId}: adds a site (operator); 409 when it exists.</summary>
    public static async Task<Results<Created<SiteRecord>, BadRequest<ProblemView>, Conflict<ProblemView>, ForbidResult>> AddSiteAsync(AccessScope scope, SiteRegistry sites,
        AuditLog audit, TimeProvider time, SiteRequest request, CancellationToken ct)
    {
        if (!scope.Caller.IsOperator)
        {
            return OperatorOnly;
        }
        if (!SiteRegistry.IsValidId(request.Id ?? ""))
        {
            return TypedResults.BadRequest(new ProblemView($"Site id '{request.Id}' is not usable: 1-63 of a-z, 0-9 and '-', starting with a letter or digit."));
        }
        var site = new SiteRecord(request.Id!, request.DisplayName ?? request.Id!, string.IsNullOrWhiteSpace(request.EntraTenantId) ? null : request.EntraTenantId, time.GetUtcNow());
        if (!await sites.AddAsync(site, ct))
        {
            return TypedResults.Conflict(new ProblemView($"Site '{site.Id}' is already registered."));
        }
        await audit.WriteAsync(site.Id, AuditAction.SiteAdded, scope.Caller, site.Id, site.DisplayName, ct);
        return TypedResults.Created($"/api/sites/{site.Id}", site);
    }

    /// <summary>GET /api/sites/{site}/keys: the site's keys, without secrets (operator or the site).</summary>
    public static async Task<Results<Ok<IReadOnlyList<ApiKeyInfo>>, ForbidResult>> ListKeysAsync(AccessScope scope, ApiKeys keys, string site, CancellationToken ct) =>
        ManagesKeysOf(scope, site) ? TypedResults.Ok(await keys.ListAsync(site, ct)) : KeysForbidden(site);

    /// <summary>
    /// POST /api/sites/{site}/keys {name, expiresInDays}: creates a key (operator or the site). The answer is the only
    /// place its secret ever appears.
    /// </summary>
    public static async Task<Results<Created<CreatedApiKey>, BadRequest<ProblemView>, NotFound<ProblemView>, ForbidResult>> CreateKeyAsync(AccessScope scope, ApiKeys keys,
        SiteRegistry sites, AuditLog audit, IOptions<AuthOptions> options, string site, KeyRequest request, CancellationToken ct)
    {
        if (!ManagesKeysOf(scope, site))
        {
            return KeysForbidden(site);
        }
        if (await sites.GetAsync(site, ct) is null)
        {
            return TypedResults.NotFound(new ProblemView($"No site '{site}' (cloudpipeline site add {site})."));
        }
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 100)
        {
            return TypedResults.BadRequest(new ProblemView("Give the key a name of 1-100 characters (what it is for, e.g. the instrument PC)."));
        }
        double maxDays = options.Value.MaxKeyLifetime.TotalDays;
        var lifetime = request.ExpiresInDays is { } days ? (days >= 1 && days <= maxDays ? TimeSpan.FromDays(days) : TimeSpan.Zero) : options.Value.DefaultKeyLifetime;
        if (lifetime <= TimeSpan.Zero || lifetime > options.Value.MaxKeyLifetime)
        {
            return TypedResults.BadRequest(new ProblemView($"expiresInDays must be between 1 and {options.Value.MaxKeyLifetime.TotalDays:0}."));
        }
        var created = await keys.CreateAsync(site, request.Name, lifetime, scope.Caller.Credential, ct);
        await audit.WriteAsync(site, AuditAction.KeyCreated, scope.Caller, "key:" + created.Info.Id, $"'{created.Info.Name}', expires {created.Info.ExpiresAt:u}", ct);
        return TypedResults.Created($"/api/sites/{site}/keys/{created.Info.Id}", created);
    }

    /// <summary>DELETE /api/sites/{site}/keys/{keyId}: revokes a key at once (operator or the site).</summary>
    public static async Task<Results<Ok<ApiKeyInfo>, NotFound<ProblemView>, ForbidResult>> RevokeKeyAsync(AccessScope scope, ApiKeys keys, AuditLog audit, string site, string keyId,
        CancellationToken ct)
    {
        if (!ManagesKeysOf(scope, site))
        {
            return KeysForbidden(site);
        }
        if (await keys.GetAsync(keyId, ct) is not { } info || info.Site != site)
        {
            return TypedResults.NotFound(new ProblemView($"Site '{site}' has no key '{keyId}'."));
        }
        var revoked = (await keys.RevokeAsync(keyId, ct))!;
        await audit.WriteAsync(site, AuditAction.KeyRevoked, scope.Caller, "key:" + keyId, $"'{revoked.Name}'", ct);
        return TypedResults.Ok(revoked);
    }

    /// <summary>GET /api/shares: what the caller's site shares, and what is shared with it (the operator: every share).</summary>
    public static async Task<Ok<SharesView>> ListSharesAsync(AccessScope scope, Shares shares, CancellationToken ct) =>
        TypedResults.Ok(scope.Caller.Site is { } site
            ? new SharesView(await shares.GivenByAsync(site, ct), await shares.ReceivedByAsync(site, ct))
            : new SharesView(await shares.AllAsync(ct), []));

    /// <summary>POST /api/shares {experiment | technique, with}: the caller's site shares, read-only, with a site or <c>consortium</c>.</summary>
    public static async Task<Results<Created<Share>, BadRequest<ProblemView>, ForbidResult>> GrantShareAsync(AccessScope scope, Shares shares, SiteRegistry sites, AuditLog audit,
        ShareRequest request, CancellationToken ct)
    {
        if (scope.Caller.Site is not { } owner)
        {
            return new ForbidResult("Shares are made by the site that owns the data, with its own credential.");
        }
        var (target, problem) = await ValidateAsync(owner, request.Experiment, request.Technique, request.With, sites, ct);
        if (problem is not null)
        {
            return TypedResults.BadRequest(problem);
        }
        var share = await shares.GrantAsync(owner, target!.Value.Kind, target.Value.Target, target.Value.Grantee, scope.Caller.Credential, ct);
        await audit.WriteAsync(owner, AuditAction.ShareGranted, scope.Caller, $"{share.Kind.ToString().ToLowerInvariant()}:{share.Target}", "with " + GranteeName(share.Grantee), ct);
        return TypedResults.Created("/api/shares", share);
    }

    /// <summary>DELETE /api/shares?experiment=|technique=&amp;with=: revokes a share of the caller's site; its grantee loses access at its next request.</summary>
    public static async Task<Results<Ok<ProblemView>, BadRequest<ProblemView>, NotFound<ProblemView>, ForbidResult>> RevokeShareAsync(AccessScope scope, Shares shares,
        SiteRegistry sites, AuditLog audit, string? experiment, string? technique, string? with, CancellationToken ct)
    {
        if (scope.Caller.Site is not { } owner)
        {
            return new ForbidResult("Shares are revoked by the site that owns the data, with its own credential.");
        }
        var (target, problem) = await ValidateAsync(owner, experiment, technique, with, sites, ct);
        if (problem is not null)
        {
            return TypedResults.BadRequest(problem);
        }
        var (kind, value, grantee) = target!.Value;
        if (!await shares.RevokeAsync(owner, kind, value, grantee, ct))
        {
            return TypedResults.NotFound(new ProblemView($"Site '{owner}' has no share of {kind.ToString().ToLowerInvariant()} '{value}' with {GranteeName(grantee)}."));
        }
        await audit.WriteAsync(owner, AuditAction.ShareRevoked, scope.Caller, $"{kind.ToString().ToLowerInvariant()}:{value}", "with " + GranteeName(grantee), ct);
        return TypedResults.Ok(new ProblemView($"Revoked: {kind.ToString().ToLowerInvariant()} '{value}' is no longer shared with {GranteeName(grantee)}."));
    }

    /// <summary>
    /// GET /api/audit?site=&amp;since=&amp;top=: audit rows, newest first (default 200, at most 5,000). A site sees the rows
    /// about its own data, keys and shares; the operator every site's, or one site's with <c>site</c>. Read-only: the API
    /// has no route that changes an audit row.
    /// </summary>
    public static async Task<Results<Ok<IReadOnlyList<AuditEntry>>, ForbidResult>> ListAuditAsync(AccessScope scope, AuditLog audit, string? site, DateTimeOffset? since, int? top,
        CancellationToken ct)
    {
        if (!scope.Caller.IsOperator && site is not null && site != scope.Caller.Site)
        {
            return new ForbidResult($"A site reads its own audit only ('{scope.Caller.Site}').");
        }
        return TypedResults.Ok(await audit.ListAsync(scope.Caller.Site ?? site, since, Math.Clamp(top ?? 200, 1, 5000), ct));
    }

    /// <summary>
    /// GET /api/consortium/results?technique=&amp;quantity=: the latest results of one technique at every site the caller
    /// may read (its own, and what is shared with it), site as a column; <c>quantity</c> keeps one quantity.
    /// </summary>
    public static async Task<Results<Ok<IReadOnlyList<ResultRecord>>, BadRequest<ProblemView>>> ConsortiumResultsAsync(AccessScope scope, DatasetCatalog catalog, string? technique,
        string? quantity, CancellationToken ct)
    {
        if (technique is null || !Techniques.Contains(technique))
        {
            return TypedResults.BadRequest(new ProblemView($"Give technique= one of {string.Join(", ", Techniques)}."));
        }
        IReadOnlyList<ResultRecord> rows = [.. (await catalog.ListLatestResultsOfTechniqueAsync(technique, ct))
            .Where(r => quantity is null || r.Quantity == quantity)
            .Where(r => scope.CanRead(r.Site, r.Experiment, r.Technique))
            .OrderBy(r => r.Site, StringComparer.Ordinal).ThenBy(r => r.Experiment, StringComparer.Ordinal).ThenBy(r => r.Quantity, StringComparer.Ordinal)];
        await scope.AuditReadsAsync("ConsortiumResults", rows.Select(r => (r.Site, r.Experiment)), ct);
        return TypedResults.Ok(rows);
    }

    /// <summary>
    /// POST /api/uploads/{experiment}/{path}?site=: a SAS link that may create and write <c>raw/{site}/{experiment}/{path}</c>
    /// and nothing else (no read, no list), valid for <see cref="AuthOptions.UploadSasLifetime"/>. A site uploads under
    /// its own id only; the operator names the site.
    /// </summary>
    public static async Task<Results<Ok<SasLink>, BadRequest<ProblemView>, ForbidResult>> GrantUploadAsync(AccessScope scope, StorageSas sas, string experiment, string path, string? site,
        CancellationToken ct)
    {
        string? owner = scope.Caller.Site ?? site;
        if (owner is null)
        {
            return TypedResults.BadRequest(new ProblemView("The operator names the site (?site=S)."));
        }
        if (site is not null && site != owner)
        {
            return new ForbidResult($"A site uploads under its own id only ('{owner}').");
        }
        if (!SiteRegistry.IsValidId(owner) || experiment.Length == 0 || experiment.Contains('/', StringComparison.Ordinal)
            || path.Split('/').Any(s => s is "" or "." or ".."))
        {
            return TypedResults.BadRequest(new ProblemView($"'{experiment}/{path}' is not an upload path (experiment/relative/path, no empty, '.' or '..' segments)."));
        }
        return TypedResults.Ok(await sas.UploadAsync(owner, experiment, path, ct));
    }

    private static bool ManagesKeysOf(AccessScope scope, string site) => scope.Caller.IsOperator || scope.Caller.Site == site;

    private static ForbidResult KeysForbidden(string site) => new($"Only site '{site}' or the operator manage its keys.");

    private static string GranteeName(string grantee) => grantee == Share.Consortium ? "the consortium" : $"site '{grantee}'";

    private static async Task<((ShareKind Kind, string Target, string Grantee)?, ProblemView?)> ValidateAsync(string owner, string? experiment, string? technique, string? with,
        SiteRegistry sites, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(experiment) == string.IsNullOrWhiteSpace(technique))
        {
            return (null, new ProblemView("Give either experiment or technique (not both)."));
        }
        if (technique is not null && !Techniques.Contains(technique))
        {
            return (null, new ProblemView($"Unknown technique '{technique}': one of {string.Join(", ", Techniques)}."));
        }
        if (string.IsNullOrWhiteSpace(with))
        {
            return (null, new ProblemView("Give with: a site id, or consortium for every member."));
        }
        string grantee = with is "consortium" or Share.Consortium ? Share.Consortium : with;
        if (grantee == owner)
        {
            return (null, new ProblemView("A site always reads its own data; share with another site or the consortium."));
        }
        if (grantee != Share.Consortium && await sites.GetAsync(grantee, ct) is null)
        {
            return (null, new ProblemView($"No site '{grantee}' is registered (GET /api/sites lists them)."));
        }
        return ((technique is null ? ShareKind.Experiment : ShareKind.Technique, (technique ?? experiment)!, grantee), null);
    }

    /// <summary>A site to add.</summary>
    /// <param name="Id">Its id (a-z, 0-9, '-').</param>
    /// <param name="DisplayName">The lab's name.</param>
    /// <param name="EntraTenantId">The tenant whose tokens (with app role <c>Site.{Id}</c>) act for it; none: API keys only.</param>
    public sealed record SiteRequest(string? Id, string? DisplayName, string? EntraTenantId);

    /// <summary>A key to create.</summary>
    /// <param name="Name">What it is for.</param>
    /// <param name="ExpiresInDays">Its lifetime (default <see cref="AuthOptions.DefaultKeyLifetime"/>).</param>
    public sealed record KeyRequest(string? Name, int? ExpiresInDays);

    /// <summary>A share to grant.</summary>
    /// <param name="Experiment">The experiment, or</param>
    /// <param name="Technique">the technique (mri, eis, cycler, nmr) of every experiment.</param>
    /// <param name="With">A site id, or <c>consortium</c>.</param>
    public sealed record ShareRequest(string? Experiment, string? Technique, string? With);

    /// <summary>The shares a site gave and received.</summary>
    /// <param name="Given">Its own data shared with others.</param>
    /// <param name="Received">Others' data shared with it.</param>
    public sealed record SharesView(IReadOnlyList<Share> Given, IReadOnlyList<Share> Received);
}
