namespace CloudPipeline.Pipeline.Consortium;

/// <summary>Who made a request, as the one authentication step established it.</summary>
/// <param name="Site">The site the caller acts for; null for the consortium operator.</param>
/// <param name="IsOperator">The consortium operator: manages sites and keys and runs reanalysis campaigns, and reads every site's data.</param>
/// <param name="Credential">
/// Which credential: <c>key:{id}</c> for an API key (its public id, never its secret) or <c>entra:{tenant}/{object id}</c>
/// for an Entra ID token. Written to the audit with every action.
/// </param>
public sealed record Caller(string? Site, bool IsOperator, string Credential)
{
    /// <summary>How the audit names the actor: the site, or <c>operator</c>.</summary>
    public string Actor => Site ?? "operator";
}

/// <summary>Why a request carries no usable credential (each answered 401 with this reason).</summary>
public sealed class AuthenticationFailure(string reason)
{
    /// <summary>What was wrong, for the caller: never the presented secret.</summary>
    public string Reason { get; } = reason;
}

/// <summary>The consortium's security settings, bound from <c>CloudPipeline:Auth</c>.</summary>
public sealed class AuthOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "CloudPipeline:Auth";

    /// <summary>
    /// The Entra ID authority that issues bearer tokens, e.g. <c>https://login.microsoftonline.com/{tenant}/v2.0</c>
    /// (for a multi-tenant consortium app, <c>.../organizations/v2.0</c> with issuer validation by the site registry's
    /// tenants). Default none: bearer tokens are not accepted, API keys only.
    /// </summary>
    public string? Authority { get; set; }

    /// <summary>The audience tokens must be issued for (the API's application id URI or client id). Required with <see cref="Authority"/>.</summary>
    public string? Audience { get; set; }

    /// <summary>
    /// Fetch the authority's metadata over HTTPS only. Default true; false is for a development identity provider on
    /// loopback (an on-premises test of the token path), never for Entra ID.
    /// </summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>The app role that makes a token's holder the consortium operator. Default <c>CloudPipeline.Operator</c>.</summary>
    public string OperatorRole { get; set; } = "CloudPipeline.Operator";

    /// <summary>An API key's lifetime when its creator names none. Default 90 days.</summary>
    public TimeSpan DefaultKeyLifetime { get; set; } = TimeSpan.FromDays(90);

    /// <summary>The longest lifetime a key may be given. Default 365 days.</summary>
    public TimeSpan MaxKeyLifetime { get; set; } = TimeSpan.FromDays(365);

    /// <summary>How long an upload SAS (create and write on one blob under <c>raw/{site}/</c>) stays valid. Default 1 hour.</summary>
    public TimeSpan UploadSasLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long an artifact's read SAS link stays valid. Default 5 minutes.</summary>
    public TimeSpan ArtifactSasLifetime { get; set; } = TimeSpan.FromMinutes(5);
}
