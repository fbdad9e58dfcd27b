using Azure.Data.Tables;
using CloudPipeline.Contracts;
using CloudPipeline.Pipeline.Catalog;

namespace CloudPipeline.Pipeline.Consortium;

/// <summary>What a share covers.</summary>
public enum ShareKind
{
    /// <summary>One experiment, every technique in it.</summary>
    Experiment,

    /// <summary>Every experiment's results of one technique (mri, eis, cycler, nmr), present and future.</summary>
    Technique,
}

/// <summary>A read-only grant from the owner site to a grantee site, or to the whole consortium.</summary>
/// <param name="Owner">The site whose data it is.</param>
/// <param name="Kind">Experiment or technique.</param>
/// <param name="Target">The experiment id or the technique.</param>
/// <param name="Grantee">A site id, or <see cref="Consortium"/> for every member.</param>
/// <param name="CreatedAt">When it was granted.</param>
/// <param name="CreatedBy">The credential that granted it.</param>
public sealed record Share(string Owner, ShareKind Kind, string Target, string Grantee, DateTimeOffset CreatedAt, string CreatedBy)
{
    /// <summary>The grantee that means every member site.</summary>
    public const string Consortium = "*";
}

/// <summary>
/// The <c>Shares</c> table: partition = owner site, one row per (kind, target, grantee). Revoking deletes the row; the
/// audit keeps the history. The grants a caller receives are one query over the grantee column (tens of sites, a few
/// hundred shares).
/// </summary>
public sealed class Shares(TableServiceClient tables, TimeProvider time)
{
    private TableClient Table => tables.GetTableClient(StorageLayout.SharesTable);

    /// <summary>Grants (idempotent: granting again keeps the first grant's time).</summary>
    public async Task<Share> GrantAsync(string owner, ShareKind kind, string target, string grantee, string createdBy, CancellationToken ct)
    {
        var share = new Share(owner, kind, target, grantee, time.GetUtcNow(), createdBy);
        try
        {
            await Table.AddEntityAsync(new TableEntity(Keys.Escape(owner), RowKey(kind, target, grantee))
            {
                ["Owner"] = owner,
                ["Kind"] = kind.ToString(),
                ["Target"] = target,
                ["Grantee"] = grantee,
                ["CreatedAt"] = share.CreatedAt,
                ["CreatedBy"] = createdBy,
            }, ct).ConfigureAwait(false);
            return share;
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == 409)
        {
            var existing = await Table.GetEntityAsync<TableEntity>(Keys.Escape(owner), RowKey(kind, target, grantee), cancellationToken: ct).ConfigureAwait(false);
            return Record(existing.Value);
        }
    }

    /// <summary>Revokes; false when there was no such grant.</summary>
    public async Task<bool> RevokeAsync(string owner, ShareKind kind, string target, string grantee, CancellationToken ct)
    {
        var response = await Table.DeleteEntityAsync(Keys.Escape(owner), RowKey(kind, target, grantee), Azure.ETag.All, ct).ConfigureAwait(false);
        return response.Status != 404;
    }

    /// <summary>The grants an owner has made.</summary>
    public async Task<IReadOnlyList<Share>> GivenByAsync(string owner, CancellationToken ct) =>
        await QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {Keys.Escape(owner)}"), ct).ConfigureAwait(false);

    /// <summary>The grants a site receives: to it by name, and to the whole consortium (others' only).</summary>
    public async Task<IReadOnlyList<Share>> ReceivedByAsync(string grantee, CancellationToken ct) =>
        [.. (await QueryAsync(TableClient.CreateQueryFilter($"Grantee eq {grantee} or Grantee eq {Share.Consortium}"), ct).ConfigureAwait(false)).Where(s => s.Owner != grantee)];

    /// <summary>Every grant.</summary>
    public async Task<IReadOnlyList<Share>> AllAsync(CancellationToken ct) => await QueryAsync(null, ct).ConfigureAwait(false);

    private async Task<IReadOnlyList<Share>> QueryAsync(string? filter, CancellationToken ct)
    {
        var list = new List<Share>();
        await foreach (var e in Table.QueryAsync<TableEntity>(filter, cancellationToken: ct).ConfigureAwait(false))
        {
            list.Add(Record(e));
        }
        return list;
    }

    private static string RowKey(ShareKind kind, string target, string grantee) => $"{kind}|{Keys.Escape(target)}|{Keys.Escape(grantee)}";

    private static Share Record(TableEntity e) => new(e.GetString("Owner") ?? "", Enum.Parse<ShareKind>(e.GetString("Kind") ?? nameof(ShareKind.Experiment)),
        e.GetString("Target") ?? "", e.GetString("Grantee") ?? "", e.GetDateTimeOffset("CreatedAt") ?? default, e.GetString("CreatedBy") ?? "");
}
