using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure;

namespace CloudPipeline.Storage.Auth;

/// <summary>
/// Creates account shared access signatures (the <c>sv</c>, <c>ss</c>, <c>srt</c>, <c>sp</c>, <c>se</c>,
/// <c>sig</c> query) signed with the account key, for handing limited, expiring access to another party
/// such as an instrument PC or a partner site.
/// </summary>
public sealed class AccountSasBuilder
{
    /// <summary>Permission letters in the order the service expects, e.g. <c>rwdlacup</c>.</summary>
    public string Permissions { get; init; } = "rl";

    /// <summary>Services: any of <c>b</c> (blob), <c>q</c> (queue), <c>t</c> (table), <c>f</c> (file).</summary>
    public string Services { get; init; } = "bqt";

    /// <summary>Resource types: any of <c>s</c> (service), <c>c</c> (container), <c>o</c> (object).</summary>
    public string ResourceTypes { get; init; } = "sco";

    /// <summary>When the signature stops working.</summary>
    public required DateTimeOffset ExpiresOn { get; init; }

    /// <summary>Optional start time; default: immediately.</summary>
    public DateTimeOffset? StartsOn { get; init; }

    /// <summary>Allowed protocols: <c>https</c> or <c>https,http</c> (default, so Azurite over http works).</summary>
    public string Protocol { get; init; } = "https,http";

    /// <summary>The signed service version. Default <c>2025-01-05</c>.</summary>
    public string Version { get; init; } = "2025-01-05";

    /// <summary>Signs the parameters with the account key and returns the query string (without a leading '?').</summary>
    public string ToSasQuery(AzureNamedKeyCredential credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        var (accountName, accountKey) = credential;
        string start = StartsOn is { } s ? Format(s) : string.Empty;
        string expiry = Format(ExpiresOn);
        // Since version 2020-12-06 the encryption scope is part of the string to sign (empty here).
        string stringToSign = string.Join('\n',
            accountName, Permissions, Services, ResourceTypes, start, expiry, string.Empty, Protocol, Version, string.Empty) + "\n";
        using var hmac = new HMACSHA256(Convert.FromBase64String(accountKey));
        string signature = Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(stringToSign)));

        var query = new StringBuilder();
        void Add(string name, string value)
        {
            if (value.Length == 0)
            {
                return;
            }
            if (query.Length > 0)
            {
                query.Append('&');
            }
            query.Append(name).Append('=').Append(Uri.EscapeDataString(value));
        }
        Add("sv", Version);
        Add("ss", Services);
        Add("srt", ResourceTypes);
        Add("sp", Permissions);
        Add("st", start);
        Add("se", expiry);
        Add("spr", Protocol);
        Add("sig", signature);
        return query.ToString();
    }

    private static string Format(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
