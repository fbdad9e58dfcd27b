using CloudPipeline.Contracts;
using Azure.Storage.Blobs;
using CloudPipeline.Pipeline.Ingestion;
using CloudPipeline.Pipeline.Storage;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace CloudPipeline.Functions;

/// <summary>Ingestion triggers: Event Grid's BlobCreated on <c>raw</c>, the <c>blob-events</c> queue, and the change detector's timer.</summary>
public sealed class IngestionFunctions(DatasetIngestor ingestor, ChangeDetector detector)
{
    /// <summary>A blob written under <c>raw/</c>, delivered by the Event Grid subscription.</summary>
    [Function("IngestBlob")]
    public async Task IngestBlobAsync(
        [BlobTrigger(StorageLayout.RawContainer + "/{name}", Source = BlobTriggerSource.EventGrid, Connection = "AzureWebJobsStorage")] BlobClient blob,
        string name,
        [DurableClient] DurableTaskClient durable,
        CancellationToken ct)
    {
        var properties = await blob.GetPropertiesAsync(cancellationToken: ct);
        await ingestor.IngestAsync(new BlobCreated(StorageLayout.RawContainer, name, properties.Value.ETag.ToString()), durable, ct);
    }

    /// <summary>BlobCreated events that the CLI and the change detector enqueue (Event Grid schema). After five failed deliveries the host moves a message to <c>blob-events-poison</c>.</summary>
    [Function("IngestBlobEvent")]
    public async Task IngestBlobEventAsync(
        [QueueTrigger(StorageLayout.BlobEventsQueue, Connection = "AzureWebJobsStorage")] string message,
        [DurableClient] DurableTaskClient durable,
        CancellationToken ct)
    {
        foreach (var blob in BlobCreated.Parse(BinaryData.FromString(message)))
        {
            await ingestor.IngestAsync(blob, durable, ct);
        }
    }

    /// <summary>The change detector, for storage without an Event Grid subscription (Azurite under <c>func start</c>). Disable it in Azure with <c>AzureWebJobs.ChangeDetector.Disabled=true</c>.</summary>
    [Function(ChangeDetector.Name)]
    public Task ChangeDetectorAsync([TimerTrigger("%ChangeDetectorSchedule%")] TimerInfo timer, CancellationToken ct) => detector.RunAsync(ct);
}
