using System.Text.Json;
using CloudPipeline.Testing;
using Xunit;
using static CloudPipeline.Functions.Tests.PipelineEndToEndTests;

namespace CloudPipeline.Functions.Tests;

/// <summary>
/// A manifest that arrives after its experiment's data has the data analysed again with its settings, through a real
/// local host and Azurite; the results made before it stay beside the new ones under their own parameter hash.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ManifestReanalysisTests(AzuriteFixture azurite)
{
    [RealDataFact]
    public async Task A_manifest_after_an_impedance_spectrum_fits_its_circuit_to_the_spectrum_already_analysed()
    {
        await using var host = await HostProcess.StartAsync(azurite.ConnectionString, changeDetector: false);
        string experiment = "late-eis-" + Guid.NewGuid().ToString("N")[..8];
        await UploadWithEventAsync(azurite.ConnectionString, $"lab/{experiment}/exampleData.csv",
            new BinaryData(await File.ReadAllBytesAsync(SharedData.RealFile("eis-csv", "exampleData.csv"))), "text/csv");
        var before = await WaitForAsync(() => GetAsync(host, $"api/results?site=lab&experiment={experiment}"),
            r => r.Any(x => Quantity(x) == "exampleData.csv:drtPolarisationResistance"), TimeSpan.FromMinutes(2), "the spectrum's results without a manifest");
        Assert.DoesNotContain(before, x => Quantity(x).StartsWith("exampleData.csv:fit:", StringComparison.Ordinal)); // no circuit, no fit
        string firstHash = Hash(before.First(x => Quantity(x) == "exampleData.csv:drtPolarisationResistance"));

        await UploadWithEventAsync(azurite.ConnectionString, $"lab/{experiment}/experiment.json",
            BinaryData.FromString("""{ "schemaVersion": 1, "eis": { "circuit": "R0-p(R1-Wo1,C1)", "initialGuess": [0.01, 0.005, 0.01, 200, 0.1], "capacitiveOnly": true } }"""), "application/json");
        var after = await WaitForAsync(() => GetAsync(host, $"api/results?site=lab&experiment={experiment}"),
            r => r.Any(x => Quantity(x) == "exampleData.csv:fit:R0"), TimeSpan.FromMinutes(2), "the fit the late manifest asks for");
        // impedance.py's fit of this file with this circuit (the same oracle as the end-to-end test with the manifest first).
        Assert.Equal(0.0186235717, after.Single(x => Quantity(x) == "exampleData.csv:fit:R0").GetProperty("value").GetDouble(), 1e-6);
        var drt = after.Where(x => Quantity(x) == "exampleData.csv:drtPolarisationResistance").ToList();
        Assert.Equal(2, drt.Count); // the result before the manifest is kept beside the new one
        Assert.Contains(drt, x => Hash(x) == firstHash);
        Assert.Contains(drt, x => Hash(x) != firstHash);

        // Results a person can read: the fit's parameters with their 95 % interval (stored as the fit gives it), the API's
        // inputs as nested JSON, and the experiment listed with a status although it has no MRI data.
        var r0 = after.Single(x => Quantity(x) == "exampleData.csv:fit:R0");
        double low = r0.GetProperty("ci95Low").GetDouble(), high = r0.GetProperty("ci95High").GetDouble(), u = r0.GetProperty("uncertainty").GetDouble();
        Assert.True(low < 0.0186235717 && 0.0186235717 < high, $"[{low}, {high}]");
        Assert.Equal(high - r0.GetProperty("value").GetDouble(), r0.GetProperty("value").GetDouble() - low, 1e-12); // symmetric t-interval
        Assert.InRange((high - low) / 2 / u, 1.96, 2.1); // t(0.975, dof) for this spectrum's degrees of freedom
        Assert.Equal(JsonValueKind.Array, r0.GetProperty("inputs").ValueKind);
        var row = await WaitForAsync(async () => (await GetAsync(host, "api/experiments?site=lab")).FirstOrDefault(e => e.GetProperty("experiment").GetString() == experiment),
            e => e.ValueKind == JsonValueKind.Object && e.GetProperty("status").GetString() == "Completed", TimeSpan.FromMinutes(1), "the EIS experiment's status");
        Assert.Equal(["eis", "manifest"], row.GetProperty("techniques").EnumerateArray().Select(t => t.GetString()));

        // The CLI explains the flag this spectrum carries in words.
        var (code, text) = await Processes.CliAsync(azurite.ConnectionString, host.Api, "results", "--site", "lab", "--experiment", experiment, "--explain");
        Assert.True(code == 0, text);
        Assert.Contains("KK_FAIL: The spectrum fails the Lin-KK test", text, StringComparison.Ordinal);
        Assert.Contains("± ", text, StringComparison.Ordinal);

        // The export: every computation with its provenance, the input named with its SHA-256.
        (code, text) = await Processes.CliAsync(azurite.ConnectionString, host.Api, "results", "--site", "lab", "--experiment", experiment, "--all-versions", "--format", "csv");
        Assert.True(code == 0, text);
        string sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(SharedData.RealFile("eis-csv", "exampleData.csv"))));
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.EndsWith(",inputs", lines[0], StringComparison.Ordinal);
        Assert.Equal(2, lines.Count(l => l.Contains(",exampleData.csv:drtPolarisationResistance,", StringComparison.Ordinal) && l.EndsWith($"lab/{experiment}/exampleData.csv@{sha}", StringComparison.Ordinal)));
    }

    [RealDataFact]
    public async Task A_manifest_after_a_cycler_file_that_sets_the_first_direction_gives_its_cycles_the_other_way_round()
    {
        await using var host = await HostProcess.StartAsync(azurite.ConnectionString, changeDetector: false);
        string experiment = "late-cyc-" + Guid.NewGuid().ToString("N")[..8];
        string neighbour = experiment + "-neighbour"; // the same file in another experiment, whose manifest never changes
        var file = new BinaryData(await File.ReadAllBytesAsync(SharedData.RealFile("neware-csv", "neware_uio.csv")));
        await UploadWithEventAsync(azurite.ConnectionString, $"lab/{experiment}/neware_uio.csv", file, "text/csv");
        await UploadWithEventAsync(azurite.ConnectionString, $"lab/{neighbour}/neware_uio.csv", file, "text/csv");
        const string ce = "neware_uio.csv:meanCoulombicEfficiency";
        var before = await WaitForAsync(() => GetAsync(host, $"api/results?site=lab&experiment={experiment}"),
            r => r.Any(x => Quantity(x) == ce), TimeSpan.FromMinutes(2), "the cycler results without a manifest");
        var neighbourBefore = Single(await WaitForAsync(() => GetAsync(host, $"api/results?site=lab&experiment={neighbour}"),
            r => r.Any(x => Quantity(x) == ce), TimeSpan.FromMinutes(2), "the neighbour's cycler results"), ce);
        // Electrochemistry spec §8.4: the file starts with discharge, so CE_n = Q_chg/Q_dis = 0.8355, 0.9721, 0.9825 for cycles 1-3.
        Assert.Equal((0.8355 + 0.9721 + 0.9825) / 3, Single(before, ce).GetProperty("value").GetDouble(), 0.005);

        await UploadWithEventAsync(azurite.ConnectionString, $"lab/{experiment}/experiment.json",
            BinaryData.FromString("""{ "schemaVersion": 1, "cycler": { "firstDirection": "charge" } }"""), "application/json");
        var after = await WaitForAsync(() => GetAsync(host, $"api/results?site=lab&experiment={experiment}"),
            r => r.Count(x => Quantity(x) == ce) == 2, TimeSpan.FromMinutes(2), "the cycler results with the late manifest");
        string firstHash = Hash(Single(before, ce));
        var charged = after.Single(x => Quantity(x) == ce && Hash(x) != firstHash);
        // Charge first: CE_n = Q_dis/Q_chg, the reciprocals of the spec's values.
        Assert.Equal((1 / 0.8355 + 1 / 0.9721 + 1 / 0.9825) / 3, charged.GetProperty("value").GetDouble(), 0.005);
        Assert.Equal(Single(before, ce).GetProperty("value").GetDouble(), after.Single(x => Quantity(x) == ce && Hash(x) == firstHash).GetProperty("value").GetDouble());

        // Provenance: each result names the orchestration instance that made it (the dataset's), and the host recorded
        // the stage versions it runs with their parameter schemas at start-up.
        string instance = (await GetAsync(host, $"api/datasets?site=lab&experiment={experiment}")).Single(d => d.GetProperty("path").GetString() == "neware_uio.csv").GetProperty("instanceId").GetString()!;
        Assert.All(after.Where(x => x.GetProperty("technique").GetString() == "cycler"), x => Assert.Equal(instance, x.GetProperty("instanceId").GetString()));
        var stage = (await GetAsync(host, "api/algorithms")).Single(a => a.GetProperty("name").GetString() == "ec-cycle-summary" && a.GetProperty("version").GetString() == "1.1.0");
        Assert.Equal("cycler", stage.GetProperty("parameters").GetString());
        using (var schema = JsonDocument.Parse(stage.GetProperty("parametersSchema").GetString()!))
        {
            Assert.True(schema.RootElement.GetProperty("properties").TryGetProperty("firstDirection", out _), schema.RootElement.GetRawText());
        }

        // The diff between the two parameter sets: old and new CE with the relative change, by API and by CLI.
        var diff = await GetAsync(host, $"api/diff?site=lab&experiment={experiment}&from={firstHash[..8]}&to={Hash(charged)[..8]}");
        var change = diff.Single(c => c.GetProperty("quantity").GetString() == ce);
        double oldCe = Single(before, ce).GetProperty("value").GetDouble(), newCe = charged.GetProperty("value").GetDouble();
        Assert.Equal((oldCe, newCe), (change.GetProperty("oldValue").GetDouble(), change.GetProperty("newValue").GetDouble()));
        Assert.Equal((newCe - oldCe) / oldCe, change.GetProperty("relativeChange").GetDouble(), 1e-12);
        Assert.Equal(9065, diff.Single(c => c.GetProperty("quantity").GetString() == "neware_uio.csv:rows").GetProperty("oldValue").GetDouble()); // unchanged, still listed
        var (code, text) = await Processes.CliAsync(azurite.ConnectionString, host.Api, "diff", "--site", "lab", "--experiment", experiment, "--format", "csv");
        Assert.True(code == 0, text);
        Assert.Contains(text.Split('\n'), line => line.StartsWith($"cycler,{ce},1,", StringComparison.Ordinal) && line.Contains(oldCe.ToString("G6", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));

        // The manifest re-uploaded with the parameter changed back (discharge first): this experiment is analysed again,
        // giving the spec's values under a third parameter hash; the neighbour is left alone.
        await UploadWithEventAsync(azurite.ConnectionString, $"lab/{experiment}/experiment.json",
            BinaryData.FromString("""{ "schemaVersion": 1, "cycler": { "firstDirection": "discharge" } }"""), "application/json", overwrite: true);
        var third = await WaitForAsync(() => GetAsync(host, $"api/results?site=lab&experiment={experiment}"),
            r => r.Count(x => Quantity(x) == ce) == 3, TimeSpan.FromMinutes(2), "the cycler results with the re-uploaded manifest");
        var discharged = third.Single(x => Quantity(x) == ce && Hash(x) != firstHash && Hash(x) != Hash(charged));
        Assert.Equal((0.8355 + 0.9721 + 0.9825) / 3, discharged.GetProperty("value").GetDouble(), 0.005);
        var neighbourAfter = Single(await GetAsync(host, $"api/results?site=lab&experiment={neighbour}"), ce);
        Assert.Equal(neighbourBefore.GetProperty("computedAt").GetDateTimeOffset(), neighbourAfter.GetProperty("computedAt").GetDateTimeOffset());
    }

    [RealDataFact]
    public async Task A_manifest_after_a_bruker_folder_reprocesses_it_and_the_series_takes_the_new_computation()
    {
        await using var host = await HostProcess.StartAsync(azurite.ConnectionString, changeDetector: false);
        string experiment = "late-nmr-" + Guid.NewGuid().ToString("N")[..8];
        string root = SharedData.RealFile("bruker-nmr", "bruker2", "2");
        foreach (string full in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            string path = "bruker2/2/" + Path.GetRelativePath(root, full).Replace('\\', '/');
            await UploadWithEventAsync(azurite.ConnectionString, $"lab/{experiment}/{path}", new BinaryData(await File.ReadAllBytesAsync(full)), "application/octet-stream");
        }
        const string peak = "bruker2%2F2:peak1Ppm";
        var before = await WaitForAsync(() => GetAsync(host, $"api/results?site=lab&experiment={experiment}"),
            r => r.Any(x => Quantity(x) == peak), TimeSpan.FromMinutes(2), "the NMR results without a manifest");
        Assert.Equal(2.777, Single(before, peak).GetProperty("value").GetDouble(), 0.02); // SOURCES.md: the 1r maximum at 2.777 ppm

        // 5 Hz of line broadening: the folder is processed again; the peak stays where it is.
        await UploadWithEventAsync(azurite.ConnectionString, $"lab/{experiment}/experiment.json",
            BinaryData.FromString("""{ "schemaVersion": 1, "nmr": { "lineBroadeningHz": 5 } }"""), "application/json");
        var history = await WaitForAsync(() => GetAsync(host, $"api/results?site=lab&experiment={experiment}&latest=false"),
            r => r.Count(x => Quantity(x) == peak) == 2, TimeSpan.FromMinutes(2), "the NMR results with the late manifest");
        Assert.Equal(2.777, history.Where(x => Quantity(x) == peak).Last().GetProperty("value").GetDouble(), 0.02);
        var datasets = await GetAsync(host, $"api/datasets?site=lab&experiment={experiment}");
        Assert.DoesNotContain(datasets, d => d.GetProperty("status").GetString() == "Failed");
        var latest = await GetAsync(host, $"api/results?site=lab&experiment={experiment}&latest=true");
        Assert.Equal(Hash(history.Where(x => Quantity(x) == peak).MaxBy(x => x.GetProperty("computedAt").GetDateTimeOffset())), Hash(Single(latest, peak)));
    }

    private static string Quantity(JsonElement result) => result.GetProperty("quantity").GetString()!;

    private static string Hash(JsonElement result) => result.GetProperty("parameterHash").GetString()!;

    private static JsonElement Single(JsonElement[] results, string quantity) => results.Single(x => Quantity(x) == quantity);
}
