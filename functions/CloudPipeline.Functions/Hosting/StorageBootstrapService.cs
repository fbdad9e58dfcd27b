using CloudPipeline.Storage.Blobs;
using CloudPipeline.Storage.Queues;
using CloudPipeline.Storage.Tables;

namespace CloudPipeline.Functions.Hosting;

/// <summary>Creates the pipeline's containers, queues and tables if they are missing, then reports the host ready.</summary>
internal sealed class StorageBootstrapService : IHostedService
{
    private readonly BlobServiceClient _blobs;
    private readonly QueueServiceClient _queues;
    private readonly TableServiceClient _tables;
    private readonly ILogger<StorageBootstrapService> _logger;

    public StorageBootstrapService(BlobServiceClient blobs, QueueServiceClient queues, TableServiceClient tables, ILogger<StorageBootstrapService> logger)
    {
        _blobs = blobs;
        _queues = queues;
        _tables = tables;
        _logger = logger;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(
            StorageLayout.Containers.Select(name => _blobs.GetBlobContainerClient(name).CreateIfNotExistsAsync(cancellationToken))
                .Concat(StorageLayout.Queues.Select(name => _queues.GetQueueClient(name).CreateIfNotExistsAsync(cancellationToken)))
                .Concat(StorageLayout.Tables.Select(name => _tables.GetTableClient(name).CreateIfNotExistsAsync(cancellationToken))));
        _logger.LogInformation(
            "CloudPipeline host ready: storage at {BlobEndpoint}; containers {Containers}; queues {Queues}; tables {Tables}.",
            _blobs.Uri, string.Join(", ", StorageLayout.Containers), string.Join(", ", StorageLayout.Queues), string.Join(", ", StorageLayout.Tables));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
