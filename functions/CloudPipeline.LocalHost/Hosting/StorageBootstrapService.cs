using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using CloudPipeline.Pipeline.Storage;

namespace CloudPipeline.LocalHost.Hosting;

/// <summary>Creates the pipeline's containers, queues and tables if they are missing, before any trigger polls.</summary>
internal sealed partial class StorageBootstrapService(BlobServiceClient blobs, QueueServiceClient queues, TableServiceClient tables, ILogger<StorageBootstrapService> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await PipelineStorage.EnsureLayoutAsync(blobs, queues, tables, cancellationToken);
        LogReady(blobs.Uri);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 2401, Level = LogLevel.Information, Message = "Storage layout ready at {BlobEndpoint}.")]
    private partial void LogReady(Uri blobEndpoint);
}
