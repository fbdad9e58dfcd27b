using CloudPipeline.Storage.Events;
using Azure;
using CloudPipeline.Functions.Hosting;
using CloudPipeline.Storage.Queues;

namespace CloudPipeline.Functions.Ingestion;

/// <summary>
/// Queue trigger on <c>blob-events</c>: each message is a BlobCreated event in Event Grid schema. A message is
/// deleted once ingested; on an error it is retried after its visibility timeout, and after five deliveries it
/// moves to <c>blob-events-poison</c> with the error, so a bad event never blocks the queue.
/// </summary>
internal sealed class BlobEventsFunction : BackgroundService
{
    private const int MaxDeliveries = 5;
    private readonly QueueClient _events;
    private readonly QueueClient _poison;
    private readonly DatasetIngestor _ingestor;
    private readonly ILogger<BlobEventsFunction> _logger;

    public BlobEventsFunction(QueueServiceClient queues, DatasetIngestor ingestor, ILogger<BlobEventsFunction> logger)
    {
        _events = queues.GetQueueClient(StorageLayout.BlobEventsQueue);
        _poison = queues.GetQueueClient(StorageLayout.BlobEventsPoisonQueue);
        _ingestor = ingestor;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var idle = TimeSpan.FromMilliseconds(50);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var messages = (await _events.ReceiveMessagesAsync(16, TimeSpan.FromSeconds(120), stoppingToken)).Value;
                if (messages.Count == 0)
                {
                    await Task.Delay(idle, stoppingToken);
                    idle = TimeSpan.FromMilliseconds(Math.Min(idle.TotalMilliseconds * 2, 1000));
                    continue;
                }
                idle = TimeSpan.FromMilliseconds(50);
                await Parallel.ForEachAsync(messages, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = stoppingToken }, HandleAsync);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (RequestFailedException ex)
            {
                _logger.LogWarning(ex, "Polling {Queue} failed; retrying.", StorageLayout.BlobEventsQueue);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }

    private async ValueTask HandleAsync(QueueMessage message, CancellationToken ct)
    {
        try
        {
            var blobEvent = BlobCreatedEvent.Parse(message.MessageText);
            if (blobEvent.EventType == BlobCreatedEvent.BlobCreatedType)
            {
                await _ingestor.IngestAsync(blobEvent, ct);
            }
            await _events.DeleteMessageAsync(message.MessageId, message.PopReceipt, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            bool malformed = ex is System.Text.Json.JsonException or FormatException;
            if (malformed || message.DequeueCount >= MaxDeliveries)
            {
                await _poison.SendMessageAsync(System.Text.Json.JsonSerializer.Serialize(new { message = message.MessageText, error = ex.Message, message.DequeueCount }),
                    timeToLive: Timeout.InfiniteTimeSpan, cancellationToken: ct);
                await _events.DeleteMessageAsync(message.MessageId, message.PopReceipt, ct);
                _logger.LogError(ex, "Blob event moved to {Queue} after {Count} deliveries.", StorageLayout.BlobEventsPoisonQueue, message.DequeueCount);
            }
            else
            {
                _logger.LogWarning(ex, "Ingesting a blob event failed (delivery {Count}); it will be retried.", message.DequeueCount);
            }
        }
    }
}
