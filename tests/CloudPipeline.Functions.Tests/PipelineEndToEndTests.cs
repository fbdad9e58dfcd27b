using CloudPipeline.Contracts;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using CloudPipeline.Pipeline.Ingestion;
using CloudPipeline.Testing;
using Xunit;

namespace CloudPipeline.Functions.Tests;

/// <summary>Uploads through the real CLI into a real host process on a real Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class PipelineEndToEndTests
{
    private readonly AzuriteFixture _azurite;

    public PipelineEndToEndTests(AzuriteFixture azurite) => _azurite = azurite;

    internal static async Task<JsonElement[]> GetAsync(HostProcess host, string path)
    {
        using var http = host.CreateClient();
        return await http.GetFromJsonAsync<JsonElement[]>(path) ?? [];
    }

    internal static async Task<JsonElement> WaitForExperimentAsync(HostProcess host, string site, string experiment, TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var row = (await GetAsync(host, $"api/experiments?site={site}")).FirstOrDefault(e => e.GetProperty("experiment").GetString() == experiment);
            string? status = row.ValueKind == JsonValueKind.Object ? row.GetProperty("status").GetString() : null;
            if (status is "Completed" or "Failed")
            {
                return row;
            }
            Assert.True(DateTimeOffset.UtcNow < deadline, $"experiment {site}/{experiment} is {status ?? "unknown"} after {timeout}:\n{host.Log}");
            await Task.Delay(250);
        }
    }

    /// <summary>
    /// Waits until <paramref name="count"/> datasets of the experiment have settled. A new host's change detector first
    /// re-announces every blob earlier tests left in the shared <c>raw</c> container (hundreds by the end of the run),
    /// so the deadline allows for that backlog on a busy machine; a passing wait returns as soon as the rows settle.
    /// </summary>
    internal static async Task<JsonElement[]> WaitForDatasetsAsync(HostProcess host, string site, string experiment, int count, TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var rows = await GetAsync(host, $"api/datasets?site={site}&experiment={experiment}");
            if (rows.Length >= count && rows.All(r => r.GetProperty("status").GetString() is "Completed" or "Rejected" or "Failed"))
            {
                return rows;
            }
            Assert.True(DateTimeOffset.UtcNow < deadline, $"datasets of {site}/{experiment} not settled: {string.Join(", ", rows.Select(r => r.GetProperty("status").GetString()))}\n{host.Log}");
            await Task.Delay(250);
        }
    }

    /// <summary>Uploads <paramref name="content"/> to <c>raw/</c><paramref name="name"/> and sends its BlobCreated event (Event Grid schema) to <c>blob-events</c>, as the CLI does.</summary>
    internal static Task UploadWithEventAsync(string connectionString, string name, string content, CancellationToken ct = default) =>
        UploadWithEventAsync(connectionString, name, BinaryData.FromString(content), "text/plain", ct);

    /// <summary>Uploads bytes to <c>raw/</c><paramref name="name"/> (replacing a blob of that name when <paramref name="overwrite"/>, as an instrument PC re-sends a file) and sends its BlobCreated event.</summary>
    internal static async Task UploadWithEventAsync(string connectionString, string name, BinaryData content, string contentType, CancellationToken ct = default, bool overwrite = false)
    {
        var blob = new BlobServiceClient(connectionString).GetBlobContainerClient("raw").GetBlobClient(name);
        var info = (await blob.UploadAsync(content, overwrite, ct)).Value;
        await new QueueClient(connectionString, "blob-events", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 })
            .SendMessageAsync(new BlobCreated("raw", name, info.ETag.ToString()).ToEventGridMessage(blob.Uri, content.ToMemory().Length, contentType, DateTimeOffset.UtcNow), cancellationToken: ct);
    }

    /// <summary>A valid four-point TopSpin profile export (the smallest MRI dataset).</summary>
    internal static string SmallProfile(string label) =>
        $"# Data set = {label}  5  1  test\n# LEFT = 190.0 ppm. RIGHT = -340.0 ppm.\n# SIZE = 4 ( = number of points)\n0\n1000\n1001\n0\n";

    /// <summary>Polls <paramref name="read"/> until <paramref name="done"/> holds; fails with <paramref name="what"/> at the deadline.</summary>
    internal static async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }
            Assert.True(DateTimeOffset.UtcNow < deadline, $"timed out after {timeout} waiting for {what}; last value: {value}");
            await Task.Delay(200);
        }
    }

    /// <summary>Waits until Durable Task's own instance table gives the orchestration instance this runtime status.</summary>
    internal static Task<string?> WaitForInstanceAsync(string connectionString, string taskHub, string instanceId, string status)
    {
        var instances = new TableClient(connectionString, taskHub + "Instances");
        return WaitForAsync(
            async () => await instances.GetEntityIfExistsAsync<TableEntity>(instanceId, "", select: ["RuntimeStatus"]) is { HasValue: true } e ? e.Value!.GetString("RuntimeStatus") : null,
            s => s == status, TimeSpan.FromSeconds(30), $"instance {instanceId} to be {status}");
    }

    private static double Result(JsonElement[] results, string quantity, string version) =>
        results.Single(r => r.GetProperty("quantity").GetString() == quantity && r.GetProperty("version").GetString() == version).GetProperty("value").GetDouble();

    [RealDataTheory]
    [InlineData("Li_Li", "mri-li-li.json", 385.0, 18.0)]
    [InlineData("NMC622_Li", "mri-nmc622-li.json", 1041.0, 24.0)]
    public async Task Uploading_a_real_cell_with_its_manifest_yields_the_published_results_and_plots(string cell, string manifest, double vmax, double spatial)
    {
        await using var host = await HostProcess.StartAsync(_azurite.ConnectionString, changeDetector: false);
        string experiment = cell.ToLowerInvariant().Replace('_', '-') + "-" + Guid.NewGuid().ToString("N")[..6];
        var staging = Directory.CreateTempSubdirectory("cp-e2e-");
        try
        {
            foreach (var file in Directory.GetFiles(SharedData.RealFile("thienenkamp-mri", cell)))
            {
                File.Copy(file, Path.Combine(staging.FullName, Path.GetFileName(file)));
            }
            File.Copy(Path.Combine(SharedData.RepositoryRoot, "docs", "examples", manifest), Path.Combine(staging.FullName, "experiment.json"));
            var (code, output) = await Processes.CliAsync(_azurite.ConnectionString, host.Api, "upload", staging.FullName, "--site", "thienenkamp", "--experiment", experiment);
            Assert.True(code == 0, output);

            var row = await WaitForExperimentAsync(host, "thienenkamp", experiment, TimeSpan.FromMinutes(3));
            Assert.Equal("Completed", row.GetProperty("status").GetString());
            var results = await GetAsync(host, $"api/results?site=thienenkamp&experiment={experiment}&latest=true");
            Assert.InRange(Result(results, "vMaxAbs", "1.0.0"), vmax * 0.99, vmax * 1.01);
            Assert.InRange(Result(results, "spatialDiffPct", "1.0.0"), spatial - 1, spatial + 1);
            Assert.Contains("D_NEGATIVE_IN_RANGE", results.First(r => r.GetProperty("version").GetString() == "1.0.0").GetProperty("flags").GetString());
            Assert.True(Result(results, "vMaxAbs", "2.0.0") > 0);
            Assert.Equal("", results.First(r => r.GetProperty("version").GetString() == "2.0.0").GetProperty("flags").GetString());
            Assert.InRange(Result(results, "sandsTimeMin", "1.0.0"), 103.6, 103.8);

            string prefix = results.First(r => r.GetProperty("version").GetString() == "1.0.0").GetProperty("artifactPrefix").GetString()!;
            var artifacts = new BlobServiceClient(_azurite.ConnectionString).GetBlobContainerClient("artifacts");
            var names = new List<string>();
            await foreach (var blob in artifacts.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, prefix, default))
            {
                names.Add(blob.Name[prefix.Length..]);
            }
            Assert.Equal(["concentration-map.png", "concentration-map.svg", "concentration.csv", "edge-velocities.png", "edge-velocities.svg", "metrics.json",
                "polarisation.png", "polarisation.svg", "report.html", "velocity-map.png", "velocity-map.svg", "velocity.csv"], names.Order(StringComparer.Ordinal));
            // The experiment's report: both versions' figures inline and their results (the pipeline writes it after the analysis).
            string report = (await artifacts.GetBlobClient($"thienenkamp/{experiment}/report.html").DownloadContentAsync()).Value.Content.ToString();
            Assert.Equal(8, System.Text.RegularExpressions.Regex.Matches(report, "<figure><svg").Count);
            Assert.Contains("<code>mri-drift-velocity@2.0.0</code>", report, StringComparison.Ordinal);
            Assert.Contains("<dt class=\"flag\">D_NEGATIVE_IN_RANGE</dt>", report, StringComparison.Ordinal);
            string velocity = (await artifacts.GetBlobClient(prefix + "velocity.csv").DownloadContentAsync()).Value.Content.ToString();
            Assert.Equal(cell == "Li_Li" ? 66 : 76, velocity.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

            var datasets = await WaitForDatasetsAsync(host, "thienenkamp", experiment, cell == "Li_Li" ? 96 : 73, TimeSpan.FromMinutes(2));
            Assert.All(datasets, d => Assert.Equal("Completed", d.GetProperty("status").GetString()));
        }
        finally
        {
            staging.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task The_same_blob_event_five_times_gives_one_dataset_and_one_result_set()
    {
        await using var host = await HostProcess.StartAsync(_azurite.ConnectionString, changeDetector: false);
        string experiment = "dup-" + Guid.NewGuid().ToString("N")[..8];
        var folder = Directory.CreateTempSubdirectory("cp-sim-");
        try
        {
            Assert.Equal(0, (await Processes.CliAsync(_azurite.ConnectionString, null, "simulate", "--out", folder.FullName, "--profiles", "6")).ExitCode);
            var (code, output) = await Processes.CliAsync(_azurite.ConnectionString, host.Api, "upload", Path.Combine(folder.FullName, "sim-0001"), "--site", "lab", "--experiment", experiment);
            Assert.True(code == 0, output);
            var experimentRow = await WaitForExperimentAsync(host, "lab", experiment, TimeSpan.FromMinutes(2));

            // The instance endpoint shows the experiment's orchestration; it completes right after its last activity.
            using (var http = host.CreateClient())
            {
                string instanceId = experimentRow.GetProperty("instanceId").GetString()!;
                var instance = await WaitForAsync(() => http.GetFromJsonAsync<JsonElement>($"api/instances/{instanceId}"),
                    i => i.GetProperty("status").GetString() == "Completed", TimeSpan.FromSeconds(30), "the experiment's instance to complete");
                Assert.Equal("MriExperimentV1", instance.GetProperty("name").GetString());
                Assert.Equal(["1.0.0", "2.0.0"], instance.GetProperty("output").EnumerateArray().Select(o => o.EnumerateObject().Single(p => p.Name.Equals("version", StringComparison.OrdinalIgnoreCase)).Value.GetString()).Order());
                Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync("api/instances/no-such-instance")).StatusCode);
            }

            // Deliver the POL.txt event four more times (Event Grid may redeliver), plus a fresh upload of identical content.
            var raw = new BlobServiceClient(_azurite.ConnectionString).GetBlobContainerClient("raw");
            var blob = raw.GetBlobClient($"lab/{experiment}/POL.txt");
            var props = (await blob.GetPropertiesAsync()).Value;
            var events = new QueueClient(_azurite.ConnectionString, "blob-events", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
            string json = JsonSerializer.Serialize(new
            {
                id = Guid.NewGuid().ToString(),
                eventType = "Microsoft.Storage.BlobCreated",
                subject = $"/blobServices/default/containers/raw/blobs/lab/{experiment}/POL.txt",
                eventTime = DateTimeOffset.UtcNow,
                dataVersion = "1",
                data = new { api = "PutBlob", url = blob.Uri.AbsoluteUri, eTag = props.ETag.ToString(), contentLength = props.ContentLength },
            });
            for (int i = 0; i < 4; i++)
            {
                await events.SendMessageAsync(json);
            }
            var again = await Processes.CliAsync(_azurite.ConnectionString, host.Api, "upload", Path.Combine(folder.FullName, "sim-0001"), "--site", "lab", "--experiment", experiment);
            Assert.Contains("0 uploaded, 8 unchanged", again.Output, StringComparison.Ordinal);
            // Every event has been taken when the queue is empty: only then are the counts below final.
            await WaitForAsync(async () => (await events.GetPropertiesAsync()).Value.ApproximateMessagesCount, n => n == 0, TimeSpan.FromSeconds(30), "blob-events to drain");
            await WaitForAsync(async () => (await events.PeekMessagesAsync(1)).Value.Length, n => n == 0, TimeSpan.FromSeconds(30), "blob-events to drain");

            var datasets = await GetAsync(host, $"api/datasets?site=lab&experiment={experiment}");
            Assert.Equal(8, datasets.Length); // 6 profiles, POL.txt, experiment.json
            Assert.Single(datasets, d => d.GetProperty("path").GetString() == "POL.txt");
            var results = await GetAsync(host, $"api/results?site=lab&experiment={experiment}");
            Assert.Single(results, r => r.GetProperty("quantity").GetString() == "vMaxAbs" && r.GetProperty("version").GetString() == "1.0.0");
            Assert.Single(results, r => r.GetProperty("quantity").GetString() == "vMaxAbs" && r.GetProperty("version").GetString() == "2.0.0");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Garbage_empty_and_truncated_files_are_rejected_with_a_reason_and_the_raw_blobs_stay_intact()
    {
        await using var host = await HostProcess.StartAsync(_azurite.ConnectionString, changeDetector: true);
        string experiment = "bad-" + Guid.NewGuid().ToString("N")[..8];
        var raw = new BlobServiceClient(_azurite.ConnectionString).GetBlobContainerClient("raw");
        await raw.CreateIfNotExistsAsync();
        var files = new Dictionary<string, byte[]>
        {
            ["garbage.bin"] = [0x00, 0x13, 0x37, 0xFF, 0x00],
            ["notes.txt"] = "just some notes\nnothing to see"u8.ToArray(),
            ["empty.txt"] = [],
            ["MRI(007).txt"] = "# Data set = X  7  1  p\n# LEFT = 1.0 ppm. RIGHT = -1.0 ppm.\n# SIZE = 256 ( = number of points)\n1\n2\n3\n"u8.ToArray(),
            ["experiment.json"] = "{ \"schemaVersion\": 1, \"mriDrift\": { \"fovMn\": 4 } }"u8.ToArray(),
        };
        // Written straight to blob storage, as an instrument with storage credentials would: the change detector finds them.
        foreach (var (name, content) in files)
        {
            await raw.GetBlobClient($"lab/{experiment}/{name}").UploadAsync(new BinaryData(content));
        }

        var datasets = await WaitForDatasetsAsync(host, "lab", experiment, files.Count, TimeSpan.FromMinutes(3));
        string Reason(string path) => datasets.Single(d => d.GetProperty("path").GetString() == path).GetProperty("reason").GetString()!;
        Assert.All(datasets, d => Assert.Equal("Rejected", d.GetProperty("status").GetString()));
        Assert.Contains("binary", Reason("garbage.bin"), StringComparison.Ordinal);
        Assert.Contains("matches no supported format", Reason("notes.txt"), StringComparison.Ordinal);
        Assert.Contains("empty", Reason("empty.txt"), StringComparison.Ordinal);
        Assert.Contains("3 values but its header says SIZE = 256", Reason("MRI(007).txt"), StringComparison.Ordinal);
        Assert.Contains("fovMn", Reason("experiment.json"), StringComparison.Ordinal);

        foreach (var (name, content) in files)
        {
            var stored = (await raw.GetBlobClient($"lab/{experiment}/{name}").DownloadContentAsync()).Value.Content.ToArray();
            Assert.Equal(SHA256.HashData(content), SHA256.HashData(stored));
        }

        // The host keeps running and still processes good data.
        Assert.False(host.HasExited);
        var good = Directory.CreateTempSubdirectory("cp-good-");
        try
        {
            await Processes.CliAsync(_azurite.ConnectionString, null, "simulate", "--out", good.FullName, "--profiles", "5");
            await Processes.CliAsync(_azurite.ConnectionString, host.Api, "upload", Path.Combine(good.FullName, "sim-0001"), "--site", "lab", "--experiment", experiment + "-ok");
            Assert.Equal("Completed", (await WaitForExperimentAsync(host, "lab", experiment + "-ok", TimeSpan.FromMinutes(2))).GetProperty("status").GetString());
        }
        finally
        {
            good.Delete(recursive: true);
        }
    }

    [RealDataFact]
    public async Task An_impedance_file_with_a_manifest_circuit_yields_validation_drt_and_fit_results_with_plots()
    {
        await using var host = await HostProcess.StartAsync(_azurite.ConnectionString, changeDetector: false);
        string experiment = "eis-" + Guid.NewGuid().ToString("N")[..8];
        var staging = Directory.CreateTempSubdirectory("cp-eis-");
        try
        {
            File.Copy(SharedData.RealFile("eis-csv", "exampleData.csv"), Path.Combine(staging.FullName, "exampleData.csv"));
            File.WriteAllText(Path.Combine(staging.FullName, "experiment.json"),
                """{ "schemaVersion": 1, "eis": { "circuit": "R0-p(R1-Wo1,C1)", "initialGuess": [0.01, 0.005, 0.01, 200, 0.1], "capacitiveOnly": true } }""");
            var (code, output) = await Processes.CliAsync(_azurite.ConnectionString, host.Api, "upload", staging.FullName, "--site", "lab", "--experiment", experiment);
            Assert.True(code == 0, output);
            var datasets = await WaitForDatasetsAsync(host, "lab", experiment, 2, TimeSpan.FromMinutes(2));
            Assert.All(datasets, d => Assert.Equal("Completed", d.GetProperty("status").GetString()));

            var results = await GetAsync(host, $"api/results?site=lab&experiment={experiment}");
            double Value(string quantity) => results.Single(r => r.GetProperty("quantity").GetString() == "exampleData.csv:" + quantity).GetProperty("value").GetDouble();
            Assert.Equal(0.0186235717, Value("fit:R0"), 1e-6);
            Assert.Equal(221.232935, Value("fit:Wo1_1"), 0.01);
            Assert.True(Value("drtPolarisationResistance") > 0);
            Assert.Equal("KK_FAIL", results.Single(r => r.GetProperty("quantity").GetString() == "exampleData.csv:linKkVerdict").GetProperty("text").GetString());

            string prefix = results.First().GetProperty("artifactPrefix").GetString()!;
            var names = new List<string>();
            await foreach (var blob in new BlobServiceClient(_azurite.ConnectionString).GetBlobContainerClient("artifacts").GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, prefix, default))
            {
                names.Add(blob.Name[prefix.Length..]);
            }
            Assert.Equal(["bode-modulus.png", "bode-modulus.svg", "bode-phase.png", "bode-phase.svg", "drt.png", "drt.svg", "eis.json", "nyquist.png", "nyquist.svg", "report.html"],
                names.Order(StringComparer.Ordinal));
            var series = new BlobServiceClient(_azurite.ConnectionString).GetBlobContainerClient("artifacts").GetBlobClient($"lab/{experiment}/eis/eis-series.csv");
            var header = await WaitForAsync(async () => (await series.ExistsAsync()).Value ? (await series.DownloadContentAsync()).Value.Content.ToString() : "",
                text => text.Length > 0, TimeSpan.FromSeconds(30), "the experiment's series");
            Assert.StartsWith("spectrum,time_s,interphase_resistance_ohm", header, StringComparison.Ordinal);
        }
        finally
        {
            staging.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Spectra_finishing_together_all_land_in_the_experiment_series()
    {
        await using var host = await HostProcess.StartAsync(_azurite.ConnectionString, changeDetector: false);
        string experiment = "series-" + Guid.NewGuid().ToString("N")[..8];
        var staging = Directory.CreateTempSubdirectory("cp-series-");
        try
        {
            // Six KK-valid spectra, 10 Ohm + R/(1 + j omega 1e-3) with R = 100, 110, ... 150 Ohm, uploaded at once.
            for (int k = 0; k < 6; k++)
            {
                var lines = Enumerable.Range(0, 31).Select(i =>
                {
                    double f = Math.Pow(10, 5 - i / 6.0), w = 2 * Math.PI * f, r = 100 + 10 * k;
                    var z = 10 + r / new System.Numerics.Complex(1, w * 1e-3);
                    return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{f:R},{z.Real:R},{z.Imaginary:R}");
                });
                File.WriteAllLines(Path.Combine(staging.FullName, $"spectrum-{k}.csv"), lines);
            }
            // Lin-KK's mu criterion stops early on ideal single-RC data (KK_FAIL), so keep flagged spectra in the series.
            File.WriteAllText(Path.Combine(staging.FullName, "experiment.json"), """{ "schemaVersion": 1, "eis": { "seriesIncludesKkFailures": true } }""");
            var (code, output) = await Processes.CliAsync(_azurite.ConnectionString, host.Api, "upload", staging.FullName, "--site", "lab", "--experiment", experiment);
            Assert.True(code == 0, output);
            await WaitForDatasetsAsync(host, "lab", experiment, 6, TimeSpan.FromMinutes(2));

            var seriesBlob = new BlobServiceClient(_azurite.ConnectionString).GetBlobContainerClient("artifacts").GetBlobClient($"lab/{experiment}/eis/eis-series.csv");
            var csv = await WaitForAsync(async () => (await seriesBlob.ExistsAsync()).Value ? (await seriesBlob.DownloadContentAsync()).Value.Content.ToString() : "",
                text => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length == 7, TimeSpan.FromSeconds(30), "the series to hold all six spectra");
            var rows = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')).ToList();
            Assert.Equal(Enumerable.Range(0, 6).Select(k => $"spectrum-{k}.csv"), rows.Select(r => r[0]));
            var rint = rows.Select(r => double.Parse(r[2], System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.All(rint.Zip(Enumerable.Range(0, 6)), x => Assert.Equal(100 + 10 * x.Second, x.First, (100 + 10 * x.Second) * 0.02));
        }
        finally
        {
            staging.Delete(recursive: true);
        }
    }
}
