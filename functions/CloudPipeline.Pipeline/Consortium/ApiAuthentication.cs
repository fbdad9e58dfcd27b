using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CloudPipeline.Pipeline.Consortium;

/// <summary>
/// The API's one authentication step, the same in both hosts: an API key in the <c>X-Api-Key</c> header, or an Entra ID
/// bearer token (validated by ASP.NET Core's JwtBearer handler against <see cref="AuthOptions.Authority"/>) whose app
/// roles name the site (<c>Site.{id}</c>, from the site's registered tenant) or the operator. It yields the request's
/// <see cref="AccessScope"/>, or why the request is not authenticated (401). Keys are never logged: only their public id.
/// </summary>
public sealed partial class ApiAuthentication(ApiKeys keys, SiteRegistry sites, Shares shares, AuditLog audit, IOptions<AuthOptions> options, ILogger<ApiAuthentication> logger)
{
    /// <summary>The header that carries an API key.</summary>
    public const string KeyHeader = "X-Api-Key";

    /// <summary>The app-role prefix that maps a token to a site.</summary>
    public const string SiteRolePrefix = "Site.";

    /// <summary>Authenticates the request and builds its scope.</summary>
    public async Task<(AccessScope? Scope, AuthenticationFailure? Failure)> AuthenticateAsync(HttpContext context, CancellationToken ct)
    {
        var (caller, failure) = await CallerAsync(context, ct).ConfigureAwait(false);
        if (caller is null)
        {
            LogRejected(context.Request.Method, context.Request.Path, failure!.Reason);
            return (null, failure);
        }
        var received = caller.Site is { } site ? await shares.ReceivedByAsync(site, ct).ConfigureAwait(false) : [];
        var scope = new AccessScope(caller, received, audit);
        scope.Attach(context);
        return (scope, null);
    }

    private async Task<(Caller?, AuthenticationFailure?)> CallerAsync(HttpContext context, CancellationToken ct)
    {
        if (context.Request.Headers.TryGetValue(KeyHeader, out var key) && key.Count == 1 && !string.IsNullOrWhiteSpace(key[0]))
        {
            return await keys.VerifyAsync(key[0]!.Trim(), ct).ConfigureAwait(false);
        }
        string? authorization = context.Request.Headers.Authorization;
        if (authorization is not null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            if (string.IsNullOrEmpty(options.Value.Authority))
            {
                return (null, new AuthenticationFailure("This host accepts no bearer tokens (no Entra ID authority is configured); send an API key in the X-Api-Key header."));
            }
            var result = await context.AuthenticateAsync(JwtBearerDefaults.AuthenticationScheme).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                return (null, new AuthenticationFailure($"The bearer token was not accepted: {result.Failure?.Message ?? "no valid token"}."));
            }
            return await FromTokenAsync(result.Principal, ct).ConfigureAwait(false);
        }
        return (null, new AuthenticationFailure($"No credential: send an API key in the {KeyHeader} header or an Entra ID token as Authorization: Bearer."));
    }

    /// <summary>Maps a validated token to a caller: the operator role, else exactly one <c>Site.{id}</c> role of a registered site whose tenant issued the token.</summary>
    public async Task<(Caller?, AuthenticationFailure?)> FromTokenAsync(ClaimsPrincipal principal, CancellationToken ct)
    {
        string tenant = principal.FindFirstValue("tid") ?? "";
        string subject = principal.FindFirstValue("oid") ?? principal.FindFirstValue("sub") ?? "";
        string credential = $"entra:{tenant}/{subject}";
        var roles = principal.FindAll("roles").Concat(principal.FindAll(ClaimTypes.Role)).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        if (roles.Contains(options.Value.OperatorRole))
        {
            return (new Caller(null, true, credential), null);
        }
        var siteRoles = roles.Where(r => r.StartsWith(SiteRolePrefix, StringComparison.Ordinal)).Select(r => r[SiteRolePrefix.Length..]).ToList();
        if (siteRoles.Count != 1)
        {
            return (null, new AuthenticationFailure($"The token carries {siteRoles.Count} site roles ({SiteRolePrefix}<site>); exactly one is needed."));
        }
        var site = await sites.GetAsync(siteRoles[0], ct).ConfigureAwait(false);
        if (site is null)
        {
            return (null, new AuthenticationFailure($"The token's site '{siteRoles[0]}' is not registered."));
        }
        if (site.EntraTenantId is null || !string.Equals(site.EntraTenantId, tenant, StringComparison.OrdinalIgnoreCase))
        {
            return (null, new AuthenticationFailure($"Site '{site.Id}' does not accept tokens of tenant '{tenant}'."));
        }
        return (new Caller(site.Id, false, credential), null);
    }

    /// <summary>Endpoint metadata that marks a route as needing a caller (every API route but health).</summary>
    public sealed class RequiresCaller
    {
        /// <summary>The one instance.</summary>
        public static readonly RequiresCaller Instance = new();
    }

    /// <summary>
    /// The local host's middleware: on an endpoint marked <see cref="RequiresCaller"/>, authenticates before the handler's
    /// parameters are bound (the handler's <see cref="AccessScope"/> is the one attached here), or answers 401.
    /// </summary>
    public static async Task Middleware(HttpContext context, RequestDelegate next)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<RequiresCaller>() is not null)
        {
            var authentication = context.RequestServices.GetRequiredService<ApiAuthentication>();
            var (_, failure) = await authentication.AuthenticateAsync(context, context.RequestAborted).ConfigureAwait(false);
            if (failure is not null)
            {
                await Challenge(failure).ExecuteAsync(context).ConfigureAwait(false);
                return;
            }
        }
        await next(context).ConfigureAwait(false);
    }

    /// <summary>Answers an unauthenticated request: 401 with the reason and a WWW-Authenticate challenge.</summary>
    public static IResult Challenge(AuthenticationFailure failure)
    {
        return new ChallengeResult(failure.Reason);
    }

    private sealed class ChallengeResult(string reason) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status401Unauthorized;
            httpContext.Response.Headers.WWWAuthenticate = "Bearer, ApiKey header=\"X-Api-Key\"";
            await httpContext.Response.WriteAsJsonAsync(new Api.PipelineApi.ProblemView(reason)).ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 2801, Level = LogLevel.Information, Message = "Unauthenticated {Method} {Path}: {Reason}")]
    private partial void LogRejected(string method, string path, string reason);
}
