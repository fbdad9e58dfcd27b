using Azure;
using Azure.Data.Tables;
using CloudPipeline.Contracts;

namespace CloudPipeline.Pipeline.Consortium;

/// <summary>A member site of the consortium.</summary>
/// <param name="Id">Its id: the first segment of its uploads (<c>raw/{Id}/...</c>) and of its results' keys.</param>
/// <param name="DisplayName">The lab's name, for people.</param>
/// <param name="EntraTenantId">
/// The Entra ID tenant whose tokens may act for the site (with the app role <c>Site.{Id}</c>); null: API keys only.
/// </param>
/// <param name="AddedAt">When it joined.</param>
public sealed record SiteRecord(string Id, string DisplayName, string? EntraTenantId, DateTimeOffset AddedAt);

/// <summary>The <c>Sites</c> table: one row per site (partition <c>site</c>, row key the site id; a consortium has tens of sites).</summary>
public sealed class SiteRegistry(TableServiceClient tables, TimeProvider time)
{
    private const string Partition = "site";

    private TableClient Table => tables.GetTableClient(StorageLayout.SitesTable);

    /// <summary>True for a usable site id: 1–63 of a–z, 0–9 and '-', starting with a letter or digit (it is a blob path segment and a table key).</summary>
    public static bool IsValidId(string id) =>
        id.Length is > 0 and <= 63 && char.IsAsciiLetterLower(id[0]) | char.IsAsciiDigit(id[0]) && id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');

    /// <summary>Adds a site; false when it already exists (nothing changes).</summary>
    public async Task<bool> AddAsync(SiteRecord site, CancellationToken ct)
    {
        try
        {
            await Table.AddEntityAsync(new TableEntity(Partition, site.Id)
            {
                ["DisplayName"] = site.DisplayName,
                ["EntraTenantId"] = site.EntraTenantId,
                ["AddedAt"] = site.AddedAt == default ? time.GetUtcNow() : site.AddedAt,
            }, ct).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    /// <summary>The site, or null.</summary>
    public async Task<SiteRecord?> GetAsync(string id, CancellationToken ct)
    {
        if (!IsValidId(id))
        {
            return null;
        }
        var response = await Table.GetEntityIfExistsAsync<TableEntity>(Partition, id, cancellationToken: ct).ConfigureAwait(false);
        return response.HasValue ? Record(response.Value!) : null;
    }

    /// <summary>Every site, by id.</summary>
    public async Task<IReadOnlyList<SiteRecord>> ListAsync(CancellationToken ct)
    {
        var list = new List<SiteRecord>();
        await foreach (var e in Table.QueryAsync<TableEntity>(e => e.PartitionKey == Partition, cancellationToken: ct).ConfigureAwait(false))
        {
            list.Add(Record(e));
        }
        return list;
    }

    private static SiteRecord Record(TableEntity e) =>
        new(e.RowKey, e.GetString("DisplayName") ?? e.RowKey, e.GetString("EntraTenantId") is { Length: > 0 } t ? t : null, e.GetDateTimeOffset("AddedAt") ?? default);
}
