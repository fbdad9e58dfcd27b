using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using CloudPipeline.Testing;
using Xunit;

namespace CloudPipeline.Functions.Tests;

/// <summary>Several local host processes sharing one storage account and one task hub, as a scaled-out app does.</summary>
[Collection(AzuriteCollection.Name)]
public sealed partial class ScaleOutTests
{
    private const int Datasets = 300;
    private readonly AzuriteFixture _azurite;

    public ScaleOutTests(AzuriteFixture azurite) => _azurite = azurite;

    [Fact]
    public async Task Three_hosts_on_one_account_complete_300_datasets_once_each_and_share_the_work()
    {
        string taskHub = HostProcess.NewTaskHub();
        string site = "scale" + Guid.NewGuid().ToString("N")[..6];
        var hosts = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => HostProcess.StartAsync(_azurite.ConnectionString, changeDetector: false, taskHub: taskHub)));
        try
        {
            // 30 experiments of 10 profiles each.
            await Parallel.ForEachAsync(Enumerable.Range(0, Datasets), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
                await PipelineEndToEndTests.UploadWithEventAsync(_azurite.ConnectionString, $"{site}/exp-{i / 10:D2}/MRI({i % 10 + 5:D3}).txt", Profile(i), ct));

            // Every dataset has one catalog row, Completed.
            var datasets = new TableClient(_azurite.ConnectionString, "Datasets");
            var rows = await PipelineEndToEndTests.WaitForAsync(
                async () => await datasets.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"Site eq {site}"), select: ["Path", "Status", "InstanceId"]).ToListAsync(),
                r => r.Count(e => e.GetString("Status") == "Completed") == Datasets, TimeSpan.FromMinutes(4), $"{Datasets} Completed datasets");
            Assert.Equal(Datasets, rows.Count);

            // Each dataset's orchestration exists once and Completed (Durable Task's own instance table).
            var instances = new TableClient(_azurite.ConnectionString, taskHub + "Instances");
            var expected = rows.Select(r => r.GetString("InstanceId")).ToHashSet();
            // An orchestration completes an episode after its activity has marked the dataset. A straggler is reported
            // with its state, its history and what each host logged about it.
            List<TableEntity> states = [];
            int completed = 0;
            var deadline = DateTimeOffset.UtcNow + TimeSpan.FromMinutes(3);
            while (DateTimeOffset.UtcNow < deadline)
            {
                states = await instances.QueryAsync<TableEntity>(select: ["PartitionKey", "RuntimeStatus"]).Where(i => expected.Contains(i.PartitionKey)).ToListAsync();
                completed = states.Count(i => i.GetString("RuntimeStatus") == "Completed");
                if (completed == Datasets)
                {
                    break;
                }
                await Task.Delay(500);
            }
            if (completed != Datasets)
            {
                var report = new StringBuilder($"{completed} of {Datasets} instances Completed after 3 min.");
                var history = new TableClient(_azurite.ConnectionString, taskHub + "History");
                foreach (var id in expected.Where(id => !states.Any(i => i.PartitionKey == id && i.GetString("RuntimeStatus") == "Completed")).Take(3))
                {
                    var events = await history.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {id}")).ToListAsync();
                    report.Append(CultureInfo.InvariantCulture, $"\n{id}: {states.FirstOrDefault(i => i.PartitionKey == id)?.GetString("RuntimeStatus") ?? "no instance row"}; history: ")
                        .AppendJoin(", ", events.OrderBy(e => e.RowKey, StringComparer.Ordinal).Select(e => e.GetString("EventType")));
                    for (int h = 0; h < hosts.Length; h++)
                    {
                        foreach (var line in hosts[h].Log.Split('\n').Where(l => l.Contains(id!, StringComparison.Ordinal)))
                        {
                            report.Append(CultureInfo.InvariantCulture, $"\n  host {h}: {line.Trim()}");
                        }
                    }
                }
                Assert.Fail(report.ToString());
            }
            Assert.Equal(Datasets, completed);

            // Each experiment has one MRI orchestration that saw all ten profiles arrive, though the ten events came
            // through three hosts at once (two starts of one instance would leave it stuck between them).
            var experiments = await PipelineEndToEndTests.WaitForAsync(() => PipelineEndToEndTests.GetAsync(hosts[0], $"api/experiments?site={site}"),
                rows => rows.Length == Datasets / 10 && rows.All(r => r.GetProperty("detail").GetString()!.StartsWith("10 profile(s)", StringComparison.Ordinal)),
                TimeSpan.FromMinutes(2), "every experiment's orchestration to count its 10 profiles");
            Assert.All(experiments, e => Assert.Equal("WaitingForInputs", e.GetProperty("status").GetString()));

            // Which process ran each validation: every dataset was validated, and by more than one host.
            var byHost = hosts.Select(h => Validated().Matches(h.Log).Select(m => m.Groups["path"].Value).Where(p => p.StartsWith(site + "/", StringComparison.Ordinal)).ToList()).ToList();
            Assert.Equal(Datasets, byHost.SelectMany(p => p).Distinct().Count());
            int working = byHost.Count(p => p.Count > 0);
            Assert.True(working >= 2, $"only {working} host(s) took work: {string.Join(", ", byHost.Select(p => p.Count))}");
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync();
            }
        }
    }

    /// <summary>The local host's log line of a validation (event 1301).</summary>
    [GeneratedRegex(@"Dataset (?<path>\S+) validated as ")]
    private static partial Regex Validated();

    private static string Profile(int seed)
    {
        var text = new StringBuilder("# Data set = SCALE  5  1  test\n# LEFT = 190.0 ppm. RIGHT = -340.0 ppm.\n# SIZE = 64 ( = number of points)\n");
        for (int j = 0; j < 64; j++)
        {
            text.Append((j is >= 15 and <= 48 ? 1000 + seed + j : 0).ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        return text.ToString();
    }
}
