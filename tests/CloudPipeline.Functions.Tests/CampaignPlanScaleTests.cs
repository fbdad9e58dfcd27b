using Azure.Data.Tables;
using CloudPipeline.Contracts;
using CloudPipeline.Core.Pipeline;
using CloudPipeline.Pipeline;
using CloudPipeline.Pipeline.Campaigns;
using CloudPipeline.Pipeline.Catalog;
using CloudPipeline.Testing;
using Microsoft.Extensions.Options;
using Xunit;
using Xunit.Abstractions;

namespace CloudPipeline.Functions.Tests;

/// <summary>
/// The dry run over 10,000 catalogued experiments in real Azurite: it answers from the stage's partition of the
/// ResultVersions index (the site's key range) and the manifests partition, and counts exactly the experiments due.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class CampaignPlanScaleTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    [Fact]
    public async Task A_dry_run_over_ten_thousand_experiments_reads_two_key_ranges_and_counts_exactly_the_ones_due()
    {
        const int experiments = 10_000;
        string site = "scale-" + Guid.NewGuid().ToString("N")[..6];
        var tables = new TableServiceClient(azurite.ConnectionString);
        await tables.GetTableClient(StorageLayout.ResultVersionsTable).CreateIfNotExistsAsync();
        var catalog = new DatasetCatalog(tables);
        var now = DateTimeOffset.UtcNow;

        // Every experiment has 1.0.0; every third also 2.0.0; of those, every seventh's manifest changed since.
        var rows = new List<ResultRecord>();
        for (int i = 0; i < experiments; i++)
        {
            string experiment = $"cell-{i:D5}";
            rows.Add(Row(site, experiment, "1.0.0", now));
            if (i % 3 == 0)
            {
                rows.Add(Row(site, experiment, "2.0.0", now));
            }
        }
        await catalog.Versions.RecordAsync(rows, default);
        int changed = 0;
        for (int i = 0; i < experiments; i += 3)
        {
            if (i % 7 == 0)
            {
                await catalog.Versions.RecordManifestAsync(site, $"cell-{i:D5}", new string('b', 64), default);
                changed++;
            }
        }
        // Another stage's rows of the same site, which the dry run must not read.
        await catalog.Versions.RecordAsync([.. Enumerable.Range(0, 500).Select(i => Row(site, $"cell-{i:D5}", "1.1.0", now) with { Algorithm = "ec-cycle-summary", Technique = "cycler" })], default);

        var planner = new CampaignPlanner(catalog, new StageVersions(Options.Create(new PipelineOptions())), TimeProvider.System);
        var request = planner.Resolve("mri-drift-velocity", site, null);
        var plan = await planner.PlanAsync(request, null, null, default);

        int missing = experiments - (experiments + 2) / 3; // without 2.0.0
        Assert.Equal(missing + changed, plan.Total);
        Assert.Equal([new CampaignCount(site, "mri-drift-velocity", missing + changed)], plan.Counts);
        Assert.Equal(missing, plan.Targets.Count(t => t.Reason == ReanalysisReason.NewVersion && t.Why == "mri-drift-velocity@1.0.0 → mri-drift-velocity@2.0.0"));
        Assert.Equal(changed, plan.Targets.Count(t => t.Reason == ReanalysisReason.ParametersChanged));
        Assert.Equal(
            $"ResultVersions: partition 'mri-drift-velocity' (site {site}'s key range, {rows.Count} rows) and partition '~manifest~' (site {site}'s key range, {changed} rows)",
            plan.Query);
        // Paging walks the same targets in key order.
        var first = await planner.PlanAsync(request, null, 25, default);
        var second = await planner.PlanAsync(request, first.Next, 25, default);
        Assert.Equal(plan.Targets.Skip(25).Take(25), second.Targets);
        output.WriteLine($"dry run over {experiments} experiments: {plan.Total} due, {plan.ElapsedMs:F0} ms; {plan.Query}");
    }

    private static ResultRecord Row(string site, string experiment, string version, DateTimeOffset at) => new()
    {
        Site = site,
        Experiment = experiment,
        Technique = "mri",
        Stage = "mri-drift-velocity",
        Quantity = "vMaxAbs",
        Algorithm = "mri-drift-velocity",
        Version = version,
        ParameterHash = "p",
        Inputs = System.Text.Json.JsonSerializer.Serialize(new[] { new InputReference($"{site}/{experiment}/experiment.json", new string('a', 64)) }),
        ComputedAt = at,
    };
}
