using Azure;
using CloudPipeline.Storage.Tables;
using CloudPipeline.Testing;
using Xunit;

namespace CloudPipeline.Storage.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class TableClientTests
{
    private readonly AzuriteFixture _azurite;

    public TableClientTests(AzuriteFixture azurite) => _azurite = azurite;

    private async Task<TableClient> NewTableAsync()
    {
        var table = new TableServiceClient(_azurite.ConnectionString).GetTableClient("t" + Guid.NewGuid().ToString("N")[..12]);
        Assert.True((await table.CreateIfNotExistsAsync()).Value);
        Assert.False((await table.CreateIfNotExistsAsync()).Value);
        return table;
    }

    [Fact]
    public async Task Typed_properties_round_trip_with_their_odata_types()
    {
        var table = await NewTableAsync();
        var when = new DateTimeOffset(2024, 3, 1, 12, 30, 45, 123, TimeSpan.Zero);
        var id = Guid.NewGuid();
        await table.AddEntityAsync(new TableEntity("site-a", "exp'1")
        {
            ["Text"] = "µ-MRI ‖ Li",
            ["Int"] = 42,
            ["Long"] = 1L << 40,
            ["Double"] = 2.0,
            ["Fraction"] = -385.40646345,
            ["NaN"] = double.NaN,
            ["Flag"] = true,
            ["When"] = when,
            ["Id"] = id,
            ["Bytes"] = new byte[] { 0, 1, 2, 255 },
        });

        var e = (await table.GetEntityAsync("site-a", "exp'1")).Value;
        Assert.Equal("µ-MRI ‖ Li", e.GetString("Text"));
        Assert.Equal(42, e["Int"]);
        Assert.Equal(1L << 40, e["Long"]);
        Assert.IsType<double>(e["Double"]);
        Assert.Equal(2.0, e["Double"]);
        Assert.Equal(-385.40646345, e.GetDouble("Fraction"));
        Assert.True(double.IsNaN(e.GetDouble("NaN")!.Value));
        Assert.Equal(true, e["Flag"]);
        Assert.Equal(when, e.GetDateTimeOffset("When"));
        Assert.Equal(id, e.GetGuid("Id"));
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, e.GetBinary("Bytes"));
        Assert.NotEqual(default, e.ETag);
        Assert.NotNull(e.Timestamp);
    }

    [Fact]
    public async Task Insert_twice_conflicts_and_get_missing_is_404()
    {
        var table = await NewTableAsync();
        await table.AddEntityAsync(new TableEntity("p", "r") { ["V"] = 1 });
        var dup = await Assert.ThrowsAsync<RequestFailedException>(() => table.AddEntityAsync(new TableEntity("p", "r")));
        Assert.Equal(409, dup.Status);
        Assert.Equal("EntityAlreadyExists", dup.ErrorCode);

        var missing = await Assert.ThrowsAsync<RequestFailedException>(() => table.GetEntityAsync("p", "nope"));
        Assert.Equal(404, missing.Status);
        Assert.Equal("ResourceNotFound", missing.ErrorCode);
        Assert.Null((await table.GetEntityIfExistsAsync("p", "nope")).Value);
    }

    [Fact]
    public async Task Upsert_replace_drops_absent_properties_and_merge_keeps_them()
    {
        var table = await NewTableAsync();
        await table.UpsertEntityAsync(new TableEntity("p", "r") { ["A"] = "a", ["B"] = "b" }, TableUpdateMode.Replace);
        await table.UpsertEntityAsync(new TableEntity("p", "r") { ["C"] = "c" }, TableUpdateMode.Merge);
        var merged = (await table.GetEntityAsync("p", "r")).Value;
        Assert.Equal(["A", "B", "C"], merged.Keys.Order(StringComparer.Ordinal));

        await table.UpsertEntityAsync(new TableEntity("p", "r") { ["D"] = "d" }, TableUpdateMode.Replace);
        var replaced = (await table.GetEntityAsync("p", "r")).Value;
        Assert.Equal(["D"], replaced.Keys);
    }

    [Fact]
    public async Task Update_with_a_stale_etag_is_rejected_with_412()
    {
        var table = await NewTableAsync();
        await table.AddEntityAsync(new TableEntity("p", "state") { ["Status"] = "Running" });
        var read = (await table.GetEntityAsync("p", "state")).Value;

        read["Status"] = "Completed";
        await table.UpdateEntityAsync(read, read.ETag, TableUpdateMode.Replace);

        var stale = new TableEntity("p", "state") { ["Status"] = "Failed" };
        var ex = await Assert.ThrowsAsync<RequestFailedException>(() => table.UpdateEntityAsync(stale, read.ETag, TableUpdateMode.Replace));
        Assert.Equal(412, ex.Status);
        Assert.Equal("UpdateConditionNotSatisfied", ex.ErrorCode);
        Assert.Equal("Completed", (await table.GetEntityAsync("p", "state")).Value.GetString("Status"));

        var missing = await Assert.ThrowsAsync<RequestFailedException>(() => table.UpdateEntityAsync(new TableEntity("p", "none"), ETag.All));
        Assert.Equal(404, missing.Status);
    }

    [Fact]
    public async Task Delete_honours_etags()
    {
        var table = await NewTableAsync();
        await table.AddEntityAsync(new TableEntity("p", "r") { ["V"] = 1 });
        var first = (await table.GetEntityAsync("p", "r")).Value;
        await table.UpsertEntityAsync(new TableEntity("p", "r") { ["V"] = 2 });
        var stale = await Assert.ThrowsAsync<RequestFailedException>(() => table.DeleteEntityAsync("p", "r", first.ETag));
        Assert.Equal(412, stale.Status);
        await table.DeleteEntityAsync("p", "r");
        Assert.Null((await table.GetEntityIfExistsAsync("p", "r")).Value);
        var gone = await Assert.ThrowsAsync<RequestFailedException>(() => table.DeleteEntityAsync("p", "r"));
        Assert.Equal(404, gone.Status);
    }

    [Fact]
    public async Task Query_with_filter_select_top_and_continuation_over_more_than_1000_entities()
    {
        var table = await NewTableAsync();
        const int count = 1_250;
        for (int start = 0; start < count; start += 100)
        {
            var actions = Enumerable.Range(start, Math.Min(100, count - start)).Select(i =>
                new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("site-a", $"{i:D6}") { ["Index"] = i, ["Even"] = i % 2 == 0, ["Value"] = i * 0.5 }));
            await table.SubmitTransactionAsync(actions);
        }
        await table.AddEntityAsync(new TableEntity("site-b", "000001") { ["Index"] = 1, ["Even"] = false });

        int pages = 0;
        var rows = new List<TableEntity>();
        await foreach (var page in table.QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {"site-a"}")).AsPages())
        {
            pages++;
            rows.AddRange(page.Values);
        }
        Assert.Equal(count, rows.Count);
        Assert.True(pages >= 2, $"expected continuation over {count} entities, got {pages} page(s)");

        var even = new List<TableEntity>();
        await foreach (var e in table.QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {"site-a"} and Even eq {true} and Index ge {1000}"), select: ["Index"]))
        {
            even.Add(e);
        }
        Assert.Equal(125, even.Count);
        Assert.All(even, e => Assert.Equal(["Index"], e.Keys));

        var firstPage = await table.QueryAsync(maxPerPage: 7).AsPages().FirstAsync();
        Assert.Equal(7, firstPage.Values.Count);
        Assert.NotNull(firstPage.ContinuationToken);
    }

    [Fact]
    public async Task Filter_values_are_escaped()
    {
        var table = await NewTableAsync();
        await table.AddEntityAsync(new TableEntity("O'Brien", "1") { ["Big"] = 5_000_000_000L, ["At"] = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero) });
        var found = new List<TableEntity>();
        await foreach (var e in table.QueryAsync(TableClient.CreateQueryFilter(
                           $"PartitionKey eq {"O'Brien"} and Big gt {4_000_000_000L} and At lt {new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero)}")))
        {
            found.Add(e);
        }
        Assert.Single(found);
        Assert.Equal("O'Brien", found[0].PartitionKey);
    }

    [Fact]
    public async Task Entity_group_transaction_applies_all_actions()
    {
        var table = await NewTableAsync();
        await table.AddEntityAsync(new TableEntity("inst-1", "state") { ["Status"] = "Running", ["Seq"] = 1 });
        var state = (await table.GetEntityAsync("inst-1", "state")).Value;
        state["Status"] = "Completed";
        state["Seq"] = 2;
        var statuses = (await table.SubmitTransactionAsync(
        [
            new TableTransactionAction(TableTransactionActionType.UpdateReplace, state, state.ETag),
            new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("inst-1", "h0000000001") { ["Event"] = "Started" }),
            new TableTransactionAction(TableTransactionActionType.UpsertMerge, new TableEntity("inst-1", "r-0") { ["Output"] = "ref" }),
        ])).Value;
        Assert.Equal(3, statuses.Count);
        Assert.Equal("Completed", (await table.GetEntityAsync("inst-1", "state")).Value.GetString("Status"));
        Assert.NotNull((await table.GetEntityIfExistsAsync("inst-1", "h0000000001")).Value);

        await table.SubmitTransactionAsync([new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity("inst-1", "r-0"))]);
        Assert.Null((await table.GetEntityIfExistsAsync("inst-1", "r-0")).Value);
    }

    [Fact]
    public async Task Entity_group_transaction_fails_as_a_whole()
    {
        var table = await NewTableAsync();
        await table.AddEntityAsync(new TableEntity("inst-2", "state") { ["Status"] = "Running" });
        var state = (await table.GetEntityAsync("inst-2", "state")).Value;
        await table.UpsertEntityAsync(new TableEntity("inst-2", "state") { ["Status"] = "ChangedByAnotherHost" }, TableUpdateMode.Replace);

        state["Status"] = "Completed";
        var ex = await Assert.ThrowsAsync<TableTransactionFailedException>(() => table.SubmitTransactionAsync(
        [
            new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("inst-2", "h0000000001") { ["Event"] = "Completed" }),
            new TableTransactionAction(TableTransactionActionType.UpdateReplace, state, state.ETag),
        ]));
        Assert.Equal(412, ex.Status);
        Assert.Equal(1, ex.FailedTransactionActionIndex);
        Assert.Contains("No action was applied", ex.Message, StringComparison.Ordinal);

        // Nothing of the failed transaction is visible.
        Assert.Null((await table.GetEntityIfExistsAsync("inst-2", "h0000000001")).Value);
        Assert.Equal("ChangedByAnotherHost", (await table.GetEntityAsync("inst-2", "state")).Value.GetString("Status"));

        await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitTransactionAsync(
        [
            new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("a", "1")),
            new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("b", "1")),
        ]));
    }

    [Fact]
    public async Task Missing_table_gives_404()
    {
        var table = new TableServiceClient(_azurite.ConnectionString).GetTableClient("Missing" + Guid.NewGuid().ToString("N")[..8]);
        var ex = await Assert.ThrowsAsync<RequestFailedException>(() => table.AddEntityAsync(new TableEntity("p", "r")));
        Assert.Equal(404, ex.Status);
        Assert.Equal("TableNotFound", ex.ErrorCode);
    }

    [Fact]
    public async Task Delete_table_removes_it()
    {
        var table = await NewTableAsync();
        await table.DeleteAsync();
        var ex = await Assert.ThrowsAsync<RequestFailedException>(() => table.GetEntityAsync("p", "r"));
        Assert.Equal(404, ex.Status);
    }
}
