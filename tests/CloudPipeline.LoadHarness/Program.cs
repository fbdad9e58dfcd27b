using CloudPipeline.Contracts;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using CloudPipeline.Azurite;
using CloudPipeline.Pipeline.Ingestion;
using CloudPipeline.Testing;

// Usage: dotnet run -c Release --project tests/CloudPipeline.LoadHarness [-- --datasets 1000 --latency-samples 30 --in-memory]
//        ... -- --fan-out 5000 [--in-memory]     (a fan-out/fan-in of 5,000 activities on the local host's engine)
//        ... -- --scan-blobs 100000             (the change detector's listing cost)
// Each phase runs against its own fresh Azurite on free loopback ports, with real host processes.
int datasets = Arg("--datasets", 1000);
int samples = Arg("--latency-samples", 30);
int scanBlobs = Arg("--scan-blobs", 0);
int fanOut = Arg("--fan-out", 0);

if (fanOut > 0)
{
    await using var azurite = await StartAzuriteAsync();
    await FanOut.RunAsync(azurite, fanOut, extendedSessions: !args.Contains("--no-extended-sessions"));
    return;
}

if (scanBlobs > 0)
{
    // The change detector's whole per-scan cost is one paged listing of raw (5,000 names per request).
    await using var azurite = await StartAzuriteAsync();
    var raw = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient("raw");
    await raw.CreateIfNotExistsAsync();
    var fill = Stopwatch.StartNew();
    await Parallel.ForEachAsync(Enumerable.Range(0, scanBlobs), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, ct) =>
        await raw.GetBlobClient($"site-{i % 10}/exp-{i / 100:D5}/file-{i:D6}.txt").UploadAsync(BinaryData.FromString("x"), cancellationToken: ct));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{scanBlobs} blobs written in {fill.Elapsed.TotalSeconds:F0} s"));
    for (int run = 0; run < 3; run++)
    {
        var scan = Stopwatch.StartNew();
        int pages = 0, names = 0;
        await foreach (var page in raw.GetBlobsAsync().AsPages())
        {
            pages++;
            names += page.Values.Count;
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"change-detector scan of raw: {names} blobs in {pages} list requests, {scan.Elapsed.TotalMilliseconds:F0} ms"));
    }
    return;
}

Console.WriteLine($"Load harness: latency over {samples} single-dataset uploads; throughput for {datasets} datasets with 1 and 3 hosts.");
await using (var azurite = await StartAzuriteAsync())
{
    await using var host = await HostProcess.StartAsync(azurite.ConnectionString, changeDetector: false);
    var latencies = new List<double>();
    for (int i = 0; i < samples; i++)
    {
        var watch = Stopwatch.StartNew();
        await UploadAsync(azurite.ConnectionString, "latency", $"exp-{i:D4}", "MRI(005).txt", Profile(i));
        await WaitCompletedAsync(azurite.ConnectionString, "latency", 1 + i, TimeSpan.FromMinutes(2));
        latencies.Add(watch.Elapsed.TotalMilliseconds);
    }
    latencies.Sort();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"upload-to-Completed latency, one small dataset: median {Percentile(latencies, 0.5):F0} ms, p95 {Percentile(latencies, 0.95):F0} ms, min {latencies[0]:F0} ms, max {latencies[^1]:F0} ms"));
}

foreach (int hosts in new[] { 1, 3 })
{
    await using var azurite = await StartAzuriteAsync();
    var processes = new List<HostProcess>();
    string taskHub = HostProcess.NewTaskHub();
    for (int h = 0; h < hosts; h++)
    {
        processes.Add(await HostProcess.StartAsync(azurite.ConnectionString, changeDetector: false, taskHub: taskHub));
    }
    try
    {
        var watch = Stopwatch.StartNew();
        // 100 experiments of 10 profile files each: realistic grouping, and experiment coordination stays per experiment.
        await Parallel.ForEachAsync(Enumerable.Range(0, datasets), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
            await UploadAsync(azurite.ConnectionString, "load", $"exp-{i / 10:D4}", $"MRI({i % 10 + 5:D3}).txt", Profile(i)));
        double uploadSeconds = watch.Elapsed.TotalSeconds;
        await WaitCompletedAsync(azurite.ConnectionString, "load", datasets, TimeSpan.FromMinutes(30));
        double total = watch.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{hosts} host(s): {datasets} datasets uploaded in {uploadSeconds:F1} s, all Completed after {total:F1} s = {datasets / total * 60:F0} datasets/min"));
    }
    finally
    {
        foreach (var process in processes)
        {
            await process.DisposeAsync();
        }
    }
}

async Task<AzuriteProcess> StartAzuriteAsync() => await AzuriteProcess.StartAsync(new AzuriteOptions
{
    DataDirectory = Path.Combine(Path.GetTempPath(), "cloudpipeline-load-" + Guid.NewGuid().ToString("N")[..8]),
    BlobPort = 0,
    QueuePort = 0,
    TablePort = 0,
    InMemory = args.Contains("--in-memory"),
});

static async Task UploadAsync(string connection, string site, string experiment, string file, string content)
{
    var raw = new BlobServiceClient(connection).GetBlobContainerClient("raw");
    var blob = raw.GetBlobClient($"{site}/{experiment}/{file}");
    var info = (await blob.UploadAsync(BinaryData.FromString(content))).Value;
    var message = new BlobCreated("raw", blob.Name, info.ETag.ToString()).ToEventGridMessage(blob.Uri, content.Length, "text/plain", DateTimeOffset.UtcNow);
    await new QueueClient(connection, "blob-events", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 }).SendMessageAsync(message);
}

static async Task WaitCompletedAsync(string connection, string site, int expected, TimeSpan timeout)
{
    var table = new TableClient(connection, "Datasets");
    var deadline = DateTimeOffset.UtcNow + timeout;
    while (true)
    {
        int completed = 0;
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"Site eq {site} and Status eq {"Completed"}"), select: ["RowKey"]))
        {
            completed++;
        }
        if (completed >= expected)
        {
            return;
        }
        if (DateTimeOffset.UtcNow > deadline)
        {
            throw new TimeoutException($"{completed} of {expected} datasets Completed after {timeout}.");
        }
        await Task.Delay(expected > 1 ? 500 : 10);
    }
}

static string Profile(int seed)
{
    var sb = new StringBuilder("# Data set = LOAD  5  1  harness\n# LEFT = 190.0 ppm. RIGHT = -340.0 ppm.\n# SIZE = 256 ( = number of points)\n");
    var random = new Random(seed);
    for (int j = 0; j < 256; j++)
    {
        sb.Append((j is >= 60 and <= 195 ? 1000 + random.NextDouble() : 0).ToString("R", CultureInfo.InvariantCulture)).Append('\n');
    }
    return sb.ToString();
}

static double Percentile(List<double> sorted, double p) => sorted[(int)Math.Clamp(Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

int Arg(string name, int fallback)
{
    int at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
}
