using CloudPipeline.Durable.TestHost;
using CloudPipeline.Storage.Tables;
using CloudPipeline.Testing;
using Xunit;

namespace CloudPipeline.Durable.Tests;

/// <summary>Guarantees that need real, separate host processes: crashes and scale-out.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ProcessTests
{
    private readonly AzuriteFixture _azurite;

    public ProcessTests(AzuriteFixture azurite) => _azurite = azurite;

    private async Task<List<TableEntity>> RowsAsync(string table, string instanceId)
    {
        var client = new TableClient(_azurite.ConnectionString, table);
        await client.CreateIfNotExistsAsync();
        var rows = new List<TableEntity>();
        await foreach (var row in client.QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {instanceId}")))
        {
            rows.Add(row);
        }
        return rows;
    }

    [Fact]
    public async Task Sigkill_during_an_activity_then_restart_completes_with_exactly_one_result_and_the_retry_in_history()
    {
        string prefix = "k" + Guid.NewGuid().ToString("N")[..10];
        var client = await DurableClient.CreateAsync(_azurite.ConnectionString, TestOrchestrations.Definitions, TestOrchestrations.Options(prefix));
        string id = "kill-" + Guid.NewGuid().ToString("N");

        await using (var first = await WorkerProcess.StartAsync(_azurite.ConnectionString, prefix))
        {
            await client.StartAsync("slow", id, "{}");
            // Wait until the activity has started (its execution row exists), then kill the host mid-sleep.
            var until = DateTimeOffset.UtcNow.AddSeconds(30);
            while ((await RowsAsync("TestExecutions", id)).Count == 0)
            {
                Assert.True(DateTimeOffset.UtcNow < until, "the activity never started");
                await Task.Delay(100);
            }
            await first.KillAsync();
        }
        Assert.Equal(InstanceStatus.Running, (await client.GetStateAsync(id))!.Status);
        Assert.Empty(await RowsAsync("TestEffects", id)); // it died before writing its effect

        await using (await WorkerProcess.StartAsync(_azurite.ConnectionString, prefix))
        {
            var state = await client.WaitForStatusAsync(id, TimeSpan.FromSeconds(90));
            Assert.Equal(InstanceStatus.Completed, state.Status);
        }
        Assert.Single(await RowsAsync("TestEffects", id));
        var executions = await RowsAsync("TestExecutions", id);
        Assert.Equal(2, executions.Count);
        Assert.Equal(2, executions.Select(e => e.GetInt32("Pid")).Distinct().Count());
        var started = (await client.GetHistoryAsync(id)).Where(h => h.EventType == "StepStarted").ToList();
        Assert.Equal([1, 2], started.Select(h => h.Attempt));
        Assert.Single(await client.GetHistoryAsync(id), h => h.EventType == "StepCompleted");
    }

    [Fact]
    public async Task Three_host_processes_share_300_queued_activities_each_done_exactly_once_in_effect()
    {
        string prefix = "m" + Guid.NewGuid().ToString("N")[..10];
        var client = await DurableClient.CreateAsync(_azurite.ConnectionString, TestOrchestrations.Definitions, TestOrchestrations.Options(prefix));
        string run = Guid.NewGuid().ToString("N")[..8];
        var ids = Enumerable.Range(0, 300).Select(i => $"multi-{run}-{i:D3}").ToList();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (id, ct) => await client.StartAsync("record-one", id, "{}", ct));

        var hosts = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => WorkerProcess.StartAsync(_azurite.ConnectionString, prefix)));
        try
        {
            var deadline = DateTimeOffset.UtcNow.AddMinutes(3);
            foreach (var id in ids)
            {
                var state = await client.WaitForStatusAsync(id, deadline - DateTimeOffset.UtcNow);
                Assert.Equal(InstanceStatus.Completed, state.Status);
            }
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync();
            }
        }

        var pids = new HashSet<int>();
        foreach (var id in ids)
        {
            Assert.Single(await RowsAsync("TestEffects", id));
            var executions = await RowsAsync("TestExecutions", id);
            Assert.NotEmpty(executions);
            pids.UnionWith(executions.Select(e => e.GetInt32("Pid")!.Value));
            Assert.Single(await client.GetHistoryAsync(id), h => h.EventType == "StepCompleted");
        }
        Assert.Equal(3, pids.Count); // every host took a share
    }
}
