using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using CloudPipeline.Pipeline.Orchestrations;
using CloudPipeline.Testing;
using Xunit;
using static CloudPipeline.Functions.Tests.PipelineEndToEndTests;

namespace CloudPipeline.Functions.Tests;

/// <summary>NMR datasets through a real local host: a Bruker experiment folder uploaded file by file, and a JCAMP-DX file.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class NmrPipelineTests
{
    private readonly AzuriteFixture _azurite;

    public NmrPipelineTests(AzuriteFixture azurite) => _azurite = azurite;

    [Fact]
    public async Task A_Bruker_folder_waits_for_its_fid_then_gives_the_31P_peak_and_agrees_with_the_vendor_1r()
    {
        string taskHub = HostProcess.NewTaskHub();
        string experiment = "nmr-" + Guid.NewGuid().ToString("N")[..8];
        await using var host = await HostProcess.StartAsync(_azurite.ConnectionString, changeDetector: false, taskHub: taskHub);
        string root = SharedData.RealFile("bruker-nmr", "bruker2", "2");
        var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => (Path: "bruker2/2/" + Path.GetRelativePath(root, f).Replace('\\', '/'), Full: f)).ToList();

        // Everything but the fid: every file is accepted (none Rejected), and the folder's orchestration waits for the fid.
        foreach (var (path, full) in files.Where(f => f.Path != "bruker2/2/fid"))
        {
            await UploadWithEventAsync(_azurite.ConnectionString, $"lab/{experiment}/{path}", new BinaryData(File.ReadAllBytes(full)), "application/octet-stream");
        }
        string instanceId = PipelineTasks.NmrInstanceId("lab", experiment, "bruker2/2");
        var instances = new TableClient(_azurite.ConnectionString, taskHub + "Instances");
        await WaitForAsync(async () => await instances.GetEntityIfExistsAsync<TableEntity>(instanceId, "") is { HasValue: true } e ? e.Value!.GetString("CustomStatus") ?? "" : "",
            status => status.Contains("waiting for fid", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "the NMR orchestration to wait for the fid");
        var before = await WaitForDatasetsAsync(host, "lab", experiment, files.Count - 1, TimeSpan.FromMinutes(3));
        Assert.DoesNotContain(before, d => d.GetProperty("status").GetString() == "Rejected");
        Assert.Empty(await GetAsync(host, $"api/results?site=lab&experiment={experiment}"));

        await UploadWithEventAsync(_azurite.ConnectionString, $"lab/{experiment}/bruker2/2/fid", new BinaryData(File.ReadAllBytes(Path.Combine(root, "fid"))), "application/octet-stream");
        // Quantities carry the folder, escaped as every result key is.
        var results = await WaitForAsync(() => GetAsync(host, $"api/results?site=lab&experiment={experiment}"),
            r => r.Any(x => x.GetProperty("quantity").GetString() == "bruker2%2F2:vendorCorrelation"), TimeSpan.FromMinutes(2), "the NMR results");
        double Value(string quantity) => results.Single(r => r.GetProperty("quantity").GetString() == $"bruker2%2F2:{quantity}").GetProperty("value").GetDouble();
        Assert.True(Value("vendorCorrelation") >= 0.9999, $"correlation {Value("vendorCorrelation")}");
        Assert.Equal(2.777, Value("peak1Ppm"), 0.02); // SOURCES.md: the 1r maximum at 2.777 ppm
        Assert.Equal(257.1432, Value("phaseP0"), 1e-9); // the vendor's PHC0 from procs
        var row = results.First();
        Assert.Equal("nmr", row.GetProperty("technique").GetString());
        var inputs = row.GetProperty("inputs").EnumerateArray().ToArray(); // nested JSON, not a string
        // Provenance: the fid's blob and content hash are among the inputs of every row.
        string fidHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(Path.Combine(root, "fid"))));
        Assert.Contains(inputs, i => i.GetProperty("name").GetString() == $"lab/{experiment}/bruker2/2/fid" && i.GetProperty("sha256").GetString() == fidHash);

        string prefix = row.GetProperty("artifactPrefix").GetString()!;
        var artifacts = new BlobServiceClient(_azurite.ConnectionString).GetBlobContainerClient("artifacts");
        foreach (string name in new[] { "nmr.json", "spectrum.csv", "spectrum.svg" })
        {
            Assert.True((await artifacts.GetBlobClient(prefix + name).ExistsAsync()).Value, $"{prefix}{name} is missing");
        }
        // The acquisition time from acqus DATE (1004606625 s: 1 Nov 2001 09:23:45 UTC; its header comment says 19:23:48 at UT+10h).
        Assert.Equal(1004606625, Value("acquiredAt"));
        // The series is written after the dataset's results (by the same activity): wait for it.
        var seriesBlob = artifacts.GetBlobClient($"lab/{experiment}/nmr/nmr-series.csv");
        await WaitForAsync(async () => (await seriesBlob.ExistsAsync()).Value, exists => exists, TimeSpan.FromSeconds(30), "the NMR series");
        string series = (await seriesBlob.DownloadContentAsync()).Value.Content.ToString();
        Assert.Contains("bruker2/2,2001-11-01T09:23:45.0000000+00:00,0,1,2.77", series, StringComparison.Ordinal);

        var raw = new BlobServiceClient(_azurite.ConnectionString).GetBlobContainerClient("raw");
        Assert.Equal(File.ReadAllBytes(Path.Combine(root, "fid")), (await raw.GetBlobClient($"lab/{experiment}/bruker2/2/fid").DownloadContentAsync()).Value.Content.ToArray());
    }

    [Fact]
    public async Task A_JCAMP_DX_file_with_a_failing_Y_check_is_rejected_naming_the_line_and_a_good_one_under_any_name_is_analysed()
    {
        string experiment = "jdx-" + Guid.NewGuid().ToString("N")[..8];
        await using var host = await HostProcess.StartAsync(_azurite.ConnectionString, changeDetector: false);
        string text = File.ReadAllText(SharedData.RealFile("jcamp-dx", "BRUKDIF.DX"), System.Text.Encoding.Latin1);
        // Identified by its content, not its name.
        await UploadWithEventAsync(_azurite.ConnectionString, $"lab/{experiment}/ethylbenzene-13C.txt", text);
        // A copy whose first Y-check value is changed: the third data line repeats a value the second did not end with.
        var lines = text.Split('\n');
        int table = Array.FindIndex(lines, l => l.StartsWith("##XYDATA", StringComparison.Ordinal));
        string second = lines[table + 2];
        int x = second.TakeWhile(c => char.IsAsciiDigit(c) || c == '.').Count();
        lines[table + 2] = second[..x] + "@" + string.Concat(second[(x + 1)..].SkipWhile(char.IsAsciiDigit));
        await UploadWithEventAsync(_azurite.ConnectionString, $"lab/{experiment}/BAD.DX", string.Join('\n', lines));

        var datasets = await WaitForAsync(() => GetAsync(host, $"api/datasets?site=lab&experiment={experiment}"),
            d => d.Length == 2 && d.Any(r => r.GetProperty("status").GetString() == "Rejected"), TimeSpan.FromSeconds(60), "the bad copy to be rejected");
        string reason = datasets.Single(r => r.GetProperty("status").GetString() == "Rejected").GetProperty("reason").GetString()!;
        Assert.Contains("BAD.DX", reason, StringComparison.Ordinal);
        Assert.Contains($"line {table + 3}", reason, StringComparison.Ordinal);
        Assert.Contains("Y-check", reason, StringComparison.Ordinal);
        var badBlob = new BlobServiceClient(_azurite.ConnectionString).GetBlobContainerClient("raw").GetBlobClient($"lab/{experiment}/BAD.DX");
        Assert.Equal(string.Join('\n', lines), (await badBlob.DownloadContentAsync()).Value.Content.ToString()); // the rejected upload is kept as it came

        var results = await WaitForAsync(() => GetAsync(host, $"api/results?site=lab&experiment={experiment}"),
            r => r.Any(x => x.GetProperty("quantity").GetString() == "ethylbenzene-13C.txt:peak1Ppm"), TimeSpan.FromMinutes(2), "the JCAMP-DX results");
        // The largest line of the 13C spectrum (ethylbenzene in CDCl3) at δ = x/SF, nmr spec §9 item 14: 137.167 … 24.790 ppm.
        double main = results.Single(r => r.GetProperty("quantity").GetString() == "ethylbenzene-13C.txt:peak1Ppm").GetProperty("value").GetDouble();
        Assert.Contains(new[] { 153.566, 137.621, 137.167, 134.893, 86.576, 86.258, 85.942, 38.072, 24.790 }, v => Math.Abs(v - main) < 0.01);
    }
}
