using System.Globalization;
using System.Security.Cryptography;
using Azure.Data.Tables;
using CloudPipeline.Contracts;
using CloudPipeline.Pipeline.Catalog;

namespace CloudPipeline.Pipeline.Consortium;

/// <summary>What an audit row records.</summary>
public enum AuditAction
{
    /// <summary>A site joined the registry.</summary>
    SiteAdded,

    /// <summary>An API key was created.</summary>
    KeyCreated,

    /// <summary>An API key was revoked.</summary>
    KeyRevoked,

    /// <summary>A site shared an experiment or technique.</summary>
    ShareGranted,

    /// <summary>A site revoked a share.</summary>
    ShareRevoked,

    /// <summary>A site read another site's data (through a share).</summary>
    CrossSiteRead,
}

/// <summary>One audit row.</summary>
/// <param name="At">When.</param>
/// <param name="Site">The site whose data, keys or shares it concerns (its partition).</param>
/// <param name="Action">What happened.</param>
/// <param name="Actor">Who: a site or <c>operator</c>.</param>
/// <param name="Credential">With which credential (<c>key:{id}</c> or <c>entra:{tenant}/{object}</c>).</param>
/// <param name="Target">On what: the experiment, technique, key id or route read.</param>
/// <param name="Detail">More, e.g. the grantee of a share or the rows read.</param>
public sealed record AuditEntry(DateTimeOffset At, string Site, AuditAction Action, string Actor, string Credential, string Target, string Detail);

/// <summary>
/// The append-only <c>Audit</c> table: partition = the site concerned, row key = inverted time (newest first) and a
/// random suffix. Rows are only ever inserted (an insert that meets an existing row fails rather than replacing it);
/// nothing in the pipeline updates or deletes them, and the API has no route that could.
/// </summary>
public sealed class AuditLog(TableServiceClient tables, TimeProvider time)
{
    private TableClient Table => tables.GetTableClient(StorageLayout.AuditTable);

    /// <summary>Appends a row.</summary>
    public async Task WriteAsync(string site, AuditAction action, Caller actor, string target, string detail, CancellationToken ct)
    {
        var at = time.GetUtcNow();
        string rowKey = (DateTimeOffset.MaxValue.Ticks - at.UtcTicks).ToString("D19", CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        await Table.AddEntityAsync(new TableEntity(Keys.Escape(site), rowKey)
        {
            ["At"] = at,
            ["Site"] = site,
            ["Action"] = action.ToString(),
            ["Actor"] = actor.Actor,
            ["Credential"] = actor.Credential,
            ["Target"] = target,
            ["Detail"] = detail,
        }, ct).ConfigureAwait(false);
    }

    /// <summary>The rows of one site (null: every site), newest first, at most <paramref name="top"/>, since <paramref name="since"/>.</summary>
    public async Task<IReadOnlyList<AuditEntry>> ListAsync(string? site, DateTimeOffset? since, int top, CancellationToken ct)
    {
        var filters = new List<string>();
        if (site is not null)
        {
            filters.Add(TableClient.CreateQueryFilter($"PartitionKey eq {Keys.Escape(site)}"));
        }
        if (since is { } from)
        {
            filters.Add(TableClient.CreateQueryFilter($"At ge {from}"));
        }
        var list = new List<AuditEntry>();
        await foreach (var e in Table.QueryAsync<TableEntity>(filters.Count == 0 ? null : string.Join(" and ", filters), cancellationToken: ct).ConfigureAwait(false))
        {
            list.Add(new AuditEntry(e.GetDateTimeOffset("At") ?? default, e.GetString("Site") ?? "", Enum.Parse<AuditAction>(e.GetString("Action") ?? nameof(AuditAction.CrossSiteRead)),
                e.GetString("Actor") ?? "", e.GetString("Credential") ?? "", e.GetString("Target") ?? "", e.GetString("Detail") ?? ""));
        }
        return [.. list.OrderByDescending(e => e.At).Take(top)];
    }
}
