using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using CloudPipeline.Contracts;

namespace CloudPipeline.Pipeline.Consortium;

/// <summary>An API key as listed: never its secret.</summary>
/// <param name="Id">The public id (the part of the key after <c>cpk_</c> and before the secret).</param>
/// <param name="Site">The site it acts for; null for an operator key.</param>
/// <param name="Name">What it is for (e.g. the instrument PC).</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="ExpiresAt">When it stops working.</param>
/// <param name="RevokedAt">When it was revoked, if it was.</param>
/// <param name="CreatedBy">The credential that created it.</param>
public sealed record ApiKeyInfo(string Id, string? Site, string Name, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? RevokedAt, string CreatedBy);

/// <summary>A key just created: the only time its secret exists outside the caller's hands.</summary>
/// <param name="Key">The whole key, <c>cpk_{id}_{secret}</c>: shown once, stored nowhere.</param>
/// <param name="Info">Its listing.</param>
public sealed record CreatedApiKey(string Key, ApiKeyInfo Info);

/// <summary>
/// API keys for instrument PCs and scripts, in the <c>ApiKeys</c> table: one row per key (partition = its public id),
/// holding a random 16-byte salt and SHA-256(salt ‖ secret), never the secret. The secret is 32 random bytes, so a
/// fast salted hash is enough (a password hash's work factor guards low-entropy secrets); comparisons run in fixed
/// time. A key has a name, an expiry, and can be revoked (the row stays, marked, so the audit can name it).
/// </summary>
public sealed class ApiKeys(TableServiceClient tables, TimeProvider time)
{
    private const string Prefix = "cpk_";
    private const int IdLength = 16;

    private TableClient Table => tables.GetTableClient(StorageLayout.ApiKeysTable);

    /// <summary>Creates a key for <paramref name="site"/> (null: an operator key) valid for <paramref name="lifetime"/>.</summary>
    public async Task<CreatedApiKey> CreateAsync(string? site, string name, TimeSpan lifetime, string createdBy, CancellationToken ct)
    {
        string id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(IdLength / 2));
        string secret = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        byte[] salt = RandomNumberGenerator.GetBytes(16);
        var now = time.GetUtcNow();
        var info = new ApiKeyInfo(id, site, name, now, now + lifetime, null, createdBy);
        await Table.AddEntityAsync(new TableEntity(id, "")
        {
            ["Site"] = site ?? "",
            ["Name"] = name,
            ["Salt"] = salt,
            ["Hash"] = Hash(salt, secret),
            ["CreatedAt"] = now,
            ["ExpiresAt"] = info.ExpiresAt,
            ["CreatedBy"] = createdBy,
        }, ct).ConfigureAwait(false);
        return new CreatedApiKey($"{Prefix}{id}_{secret}", info);
    }

    /// <summary>Marks a key revoked; returns its listing, or null when there is no such key.</summary>
    public async Task<ApiKeyInfo?> RevokeAsync(string id, CancellationToken ct)
    {
        var entity = await FindAsync(id, ct).ConfigureAwait(false);
        if (entity is null)
        {
            return null;
        }
        if (entity.GetDateTimeOffset("RevokedAt") is null)
        {
            entity["RevokedAt"] = time.GetUtcNow();
            await Table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Merge, ct).ConfigureAwait(false);
        }
        return Info(entity);
    }

    /// <summary>The key's listing, or null.</summary>
    public async Task<ApiKeyInfo?> GetAsync(string id, CancellationToken ct) => await FindAsync(id, ct).ConfigureAwait(false) is { } e ? Info(e) : null;

    /// <summary>Every key of a site (null: every key).</summary>
    public async Task<IReadOnlyList<ApiKeyInfo>> ListAsync(string? site, CancellationToken ct)
    {
        var list = new List<ApiKeyInfo>();
        string? filter = site is null ? null : TableClient.CreateQueryFilter($"Site eq {site}");
        await foreach (var e in Table.QueryAsync<TableEntity>(filter, cancellationToken: ct).ConfigureAwait(false))
        {
            list.Add(Info(e));
        }
        return [.. list.OrderBy(k => k.Site, StringComparer.Ordinal).ThenBy(k => k.CreatedAt)];
    }

    /// <summary>
    /// Checks a presented key: the caller it stands for, or why it does not count (malformed, unknown, wrong secret,
    /// expired, revoked). Messages name the key's public id at most.
    /// </summary>
    public async Task<(Caller? Caller, AuthenticationFailure? Failure)> VerifyAsync(string presented, CancellationToken ct)
    {
        if (!TrySplit(presented, out string id, out string secret))
        {
            return (null, new AuthenticationFailure($"The API key is not of the form {Prefix}<id>_<secret>."));
        }
        var entity = await FindAsync(id, ct).ConfigureAwait(false);
        if (entity is null || entity.GetBinary("Salt") is not { } salt || entity.GetBinary("Hash") is not { } hash
            || !CryptographicOperations.FixedTimeEquals(hash, Hash(salt, secret)))
        {
            return (null, new AuthenticationFailure($"API key {id} is not valid."));
        }
        var info = Info(entity);
        if (info.RevokedAt is { } revoked)
        {
            return (null, new AuthenticationFailure($"API key {id} ('{info.Name}') was revoked at {revoked:u}."));
        }
        if (info.ExpiresAt <= time.GetUtcNow())
        {
            return (null, new AuthenticationFailure($"API key {id} ('{info.Name}') expired at {info.ExpiresAt:u}; ask for a new one (cloudpipeline site key create)."));
        }
        return (new Caller(info.Site, info.Site is null, "key:" + id), null);
    }

    /// <summary>Splits <c>cpk_{id}_{secret}</c>.</summary>
    private static bool TrySplit(string presented, out string id, out string secret)
    {
        id = secret = "";
        if (!presented.StartsWith(Prefix, StringComparison.Ordinal) || presented.Length < Prefix.Length + IdLength + 2 || presented[Prefix.Length + IdLength] != '_')
        {
            return false;
        }
        id = presented.Substring(Prefix.Length, IdLength);
        secret = presented[(Prefix.Length + IdLength + 1)..];
        return id.All(char.IsAsciiHexDigitLower);
    }

    private async Task<TableEntity?> FindAsync(string id, CancellationToken ct)
    {
        if (id.Length != IdLength || !id.All(char.IsAsciiHexDigitLower))
        {
            return null;
        }
        var response = await Table.GetEntityIfExistsAsync<TableEntity>(id, "", cancellationToken: ct).ConfigureAwait(false);
        return response.HasValue ? response.Value : null;
    }

    private static ApiKeyInfo Info(TableEntity e) => new(e.PartitionKey, e.GetString("Site") is { Length: > 0 } s ? s : null, e.GetString("Name") ?? "",
        e.GetDateTimeOffset("CreatedAt") ?? default, e.GetDateTimeOffset("ExpiresAt") ?? default, e.GetDateTimeOffset("RevokedAt"), e.GetString("CreatedBy") ?? "");

    private static byte[] Hash(byte[] salt, string secret) => SHA256.HashData([.. salt, .. Encoding.UTF8.GetBytes(secret)]);
}
