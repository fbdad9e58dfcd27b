using BenchmarkDotNet.Attributes;
using CloudPipeline.Storage.Blobs;
using CloudPipeline.Storage.Emulator;
using CloudPipeline.Storage.Queues;
using CloudPipeline.Storage.Tables;

namespace CloudPipeline.Benchmarks;

/// <summary>
/// Storage throughput against a local Azurite started for the run. MB/s = size / mean time; inserts per
/// second = operations per invocation / mean time (see the OperationsPerInvoke column).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 8)]
public class StorageBenchmarks
{
    private const int BlobSizeBytes = 16 * 1024 * 1024;
    private const int BatchSize = 100;
    private AzuriteProcess _azurite = null!;
    private BlobClient _blob = null!;
    private TableClient _table = null!;
    private QueueClient _queue = null!;
    private byte[] _payload = [];
    private int _row;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _azurite = await AzuriteProcess.StartAsync(new AzuriteOptions
        {
            DataDirectory = Path.Combine(Path.GetTempPath(), "cloudpipeline-bench-" + Guid.NewGuid().ToString("N")[..8]),
            BlobPort = 0,
            QueuePort = 0,
            TablePort = 0,
        });
        var container = new BlobServiceClient(_azurite.ConnectionString).GetBlobContainerClient("bench");
        await container.CreateIfNotExistsAsync();
        _blob = container.GetBlobClient("16mb.bin");
        _payload = new byte[BlobSizeBytes];
        new Random(1).NextBytes(_payload);
        await _blob.UploadAsync(new BinaryData(_payload));
        _table = new TableClient(_azurite.ConnectionString, "Bench");
        await _table.CreateIfNotExistsAsync();
        _queue = new QueueClient(_azurite.ConnectionString, "bench");
        await _queue.CreateIfNotExistsAsync();
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        string data = _azurite.DataDirectory;
        await _azurite.DisposeAsync();
        Directory.Delete(data, recursive: true);
    }

    [Benchmark(Description = "blob upload 16 MiB")]
    public Task BlobUpload() => _blob.UploadAsync(new BinaryData(_payload));

    [Benchmark(Description = "blob streaming download 16 MiB")]
    public async Task<long> BlobDownload()
    {
        await using var download = (await _blob.DownloadStreamingAsync()).Value;
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await download.Content.ReadAsync(buffer)) > 0)
        {
            total += read;
        }
        return total;
    }

    [Benchmark(Description = "table insert, single", OperationsPerInvoke = 20)]
    public async Task TableInsertSingle()
    {
        for (int i = 0; i < 20; i++)
        {
            await _table.AddEntityAsync(NewEntity("single"));
        }
    }

    [Benchmark(Description = "table insert, batched x100", OperationsPerInvoke = BatchSize)]
    public Task TableInsertBatched() =>
        _table.SubmitTransactionAsync(Enumerable.Range(0, BatchSize).Select(_ => new TableTransactionAction(TableTransactionActionType.Add, NewEntity("batch"))));

    [Benchmark(Description = "queue send+receive+delete", OperationsPerInvoke = 20)]
    public async Task QueueRoundTrip()
    {
        for (int i = 0; i < 20; i++)
        {
            await _queue.SendMessageAsync("{\"instance\":\"abc\",\"step\":\"parse\"}");
            var message = (await _queue.ReceiveMessagesAsync()).Value[0];
            await _queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
        }
    }

    private TableEntity NewEntity(string partition) =>
        new(partition, Interlocked.Increment(ref _row).ToString("D10", System.Globalization.CultureInfo.InvariantCulture))
        {
            ["Quantity"] = "vMaxAbs",
            ["Value"] = 385.406,
            ["Unit"] = "um/h",
            ["Version"] = "1.0.0",
        };
}
