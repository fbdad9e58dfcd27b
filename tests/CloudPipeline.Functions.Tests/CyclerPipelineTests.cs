using System.Text;
using Azure.Storage.Blobs;
using CloudPipeline.Testing;
using Xunit;
using static CloudPipeline.Functions.Tests.PipelineEndToEndTests;

namespace CloudPipeline.Functions.Tests;

/// <summary>Cycler files through a real local host and Azurite: the real Neware export analysed, a mistyped copy rejected naming its line.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class CyclerPipelineTests
{
    private readonly AzuriteFixture _azurite;

    public CyclerPipelineTests(AzuriteFixture azurite) => _azurite = azurite;

    [Fact]
    public async Task A_Neware_upload_gives_cycle_results_with_provenance_and_its_artifacts_and_a_bad_copy_is_rejected_naming_its_line()
    {
        string experiment = "cyc-" + Guid.NewGuid().ToString("N")[..8];
        await using var host = await HostProcess.StartAsync(_azurite.ConnectionString, changeDetector: false);
        byte[] content = await File.ReadAllBytesAsync(SharedData.RealFile("neware-csv", "neware_uio.csv"));
        await UploadWithEventAsync(_azurite.ConnectionString, $"lab/{experiment}/neware_uio.csv", new BinaryData(content), "text/csv");
        string[] lines = Encoding.UTF8.GetString(content).Split('\n');
        var fields = lines[500].Split(',');
        fields[7] = "n/a"; // Voltage(V) of line 501
        lines[500] = string.Join(',', fields);
        await UploadWithEventAsync(_azurite.ConnectionString, $"lab/{experiment}/neware-bad.csv", string.Join('\n', lines));

        var datasets = await WaitForAsync(() => GetAsync(host, $"api/datasets?site=lab&experiment={experiment}"),
            d => d.Length == 2 && d.All(x => x.GetProperty("status").GetString() is "Completed" or "Rejected"), TimeSpan.FromMinutes(2), "both cycler datasets to finish");
        var good = datasets.Single(d => d.GetProperty("path").GetString() == "neware_uio.csv");
        Assert.Equal("Completed", good.GetProperty("status").GetString());
        Assert.Equal("9065 rows, 4 cycle(s)", good.GetProperty("summary").GetString());
        var bad = datasets.Single(d => d.GetProperty("path").GetString() == "neware-bad.csv");
        Assert.Equal("Rejected", bad.GetProperty("status").GetString()); // ingestion reads every row before accepting a file
        Assert.Contains("line 501, field 'Voltage(V)'", bad.GetProperty("reason").GetString(), StringComparison.Ordinal);

        var results = await WaitForAsync(() => GetAsync(host, $"api/results?site=lab&experiment={experiment}"),
            r => r.Any(x => x.GetProperty("quantity").GetString() == "neware_uio.csv:meanCoulombicEfficiency"), TimeSpan.FromMinutes(1), "the cycler results");
        double Value(string quantity) => results.Single(r => r.GetProperty("quantity").GetString() == $"neware_uio.csv:{quantity}").GetProperty("value").GetDouble();
        Assert.Equal(4, Value("cycles"));
        Assert.Equal(9065, Value("rows"));
        // Electrochemistry spec §8.4: cycles 1–3 complete; Q_chg of cycle 1 4.2494 mAh, of cycle 3 7.8347 mAh; mean CE of the three.
        Assert.Equal(0.0042494, Value("firstCompleteCycleQOutAh"), 0.0042494 * 0.005);
        Assert.Equal(0.0078347, Value("lastCompleteCycleQOutAh"), 0.0078347 * 0.005);
        Assert.Equal((0.8355 + 0.9721 + 0.9825) / 3, Value("meanCoulombicEfficiency"), 0.005);
        var row = results.First(r => r.GetProperty("quantity").GetString() == "neware_uio.csv:cycles");
        Assert.Equal("ec-cycle-summary", row.GetProperty("algorithm").GetString());
        string hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content));
        var input = Assert.Single(row.GetProperty("inputs").EnumerateArray()); // nested JSON, not a string
        Assert.Equal((hash, $"lab/{experiment}/neware_uio.csv"), (input.GetProperty("sha256").GetString(), input.GetProperty("name").GetString()));

        string prefix = row.GetProperty("artifactPrefix").GetString()!;
        var artifacts = new BlobServiceClient(_azurite.ConnectionString).GetBlobContainerClient("artifacts");
        foreach (string name in new[] { "cycles.csv", "steps.csv", "cycler.json", "voltage.svg", "capacity.svg", "efficiency.svg" })
        {
            Assert.True((await artifacts.GetBlobClient(prefix + name).ExistsAsync()).Value, $"{prefix}{name} is missing");
        }
        string bdf = (await artifacts.GetBlobClient(prefix + "timeseries.bdf.csv").DownloadContentAsync()).Value.Content.ToString();
        var bdfLines = bdf.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Test Time / s,Voltage / V,Current / A,Cycle Count / 1,Step Index / 1,Step Type", bdfLines[0]);
        Assert.Equal(9066, bdfLines.Length);

        // `cloudpipeline artifacts` downloads every artifact of the experiment through the API, byte for byte.
        var download = Directory.CreateTempSubdirectory("cp-artifacts-");
        try
        {
            var (code, text) = await Processes.CliAsync(_azurite.ConnectionString, host.Api, "artifacts", "--site", "lab", "--experiment", experiment, "--out", download.FullName);
            Assert.True(code == 0, text);
            int compared = 0;
            await foreach (var blob in artifacts.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, $"lab/{experiment}/", default))
            {
                byte[] stored = (await artifacts.GetBlobClient(blob.Name).DownloadContentAsync()).Value.Content.ToArray();
                Assert.Equal(stored, await File.ReadAllBytesAsync(Path.Combine(download.FullName, blob.Name)));
                compared++;
            }
            Assert.True(compared >= 8, $"{compared} artifacts"); // cycles.csv, steps.csv, cycler.json, timeseries.bdf.csv and four plots at least
            Assert.Equal(compared, Directory.EnumerateFiles(download.FullName, "*", SearchOption.AllDirectories).Count());
        }
        finally
        {
            download.Delete(recursive: true);
        }

        // The raw uploads are never modified.
        var raw = new BlobServiceClient(_azurite.ConnectionString).GetBlobContainerClient("raw");
        Assert.Equal(content, (await raw.GetBlobClient($"lab/{experiment}/neware_uio.csv").DownloadContentAsync()).Value.Content.ToArray());
    }

    [Fact]
    public async Task A_copy_taken_mid_write_is_analysed_without_its_last_row_and_the_later_complete_upload_replaces_its_results()
    {
        string experiment = "cyc-" + Guid.NewGuid().ToString("N")[..8];
        await using var host = await HostProcess.StartAsync(_azurite.ConnectionString, changeDetector: false);
        byte[] whole = await File.ReadAllBytesAsync(SharedData.RealFile("arbin-csv", "2017-05-09_test-TC-contact_CH33.csv"));
        await UploadWithEventAsync(_azurite.ConnectionString, $"lab/{experiment}/CH33.csv", new BinaryData(whole[..^10]), "text/csv");
        var partial = await WaitForAsync(() => GetAsync(host, $"api/results?site=lab&experiment={experiment}"),
            r => r.Any(x => x.GetProperty("quantity").GetString() == "CH33.csv:rows"), TimeSpan.FromMinutes(1), "the partial copy's results");
        var rows = partial.Single(x => x.GetProperty("quantity").GetString() == "CH33.csv:rows");
        Assert.Equal(286, rows.GetProperty("value").GetDouble());
        Assert.Contains("INCOMPLETE_LAST_ROW", rows.GetProperty("flags").GetString(), StringComparison.Ordinal);
        var datasets = await GetAsync(host, $"api/datasets?site=lab&experiment={experiment}");
        Assert.Contains("the last row is incomplete", Assert.Single(datasets).GetProperty("summary").GetString(), StringComparison.Ordinal);

        // The instrument finishes writing; the whole file arrives under the same name.
        await UploadWithEventAsync(_azurite.ConnectionString, $"lab/{experiment}/CH33.csv", new BinaryData(whole), "text/csv", overwrite: true);
        var complete = await WaitForAsync(() => GetAsync(host, $"api/results?site=lab&experiment={experiment}"),
            r => r.Any(x => x.GetProperty("quantity").GetString() == "CH33.csv:rows" && x.GetProperty("value").GetDouble() == 287), TimeSpan.FromMinutes(1), "the complete file's results");
        var latest = complete.Single(x => x.GetProperty("quantity").GetString() == "CH33.csv:chargeAh");
        Assert.Equal(0.602952, latest.GetProperty("value").GetDouble(), 0.0000005); // electrochemistry spec §8.5
        Assert.DoesNotContain("INCOMPLETE_LAST_ROW", complete.Single(x => x.GetProperty("quantity").GetString() == "CH33.csv:rows").GetProperty("flags").GetString() ?? "", StringComparison.Ordinal);
    }
}
