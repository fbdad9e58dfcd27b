using CloudPipeline.Contracts;
using System.Text.Json;
using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using CloudPipeline.Pipeline.Ingestion;
using CloudPipeline.Pipeline.Storage;
using CloudPipeline.Pipeline.Telemetry;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace CloudPipeline.LocalHost.Hosting;

/// <summary>
/// The local host's queue trigger on <c>blob-events</c> (the Functions app binds the same queue): each message is
/// a BlobCreated event in Event Grid schema. A message is deleted once ingested; on an error, or when the host dies
/// while ingesting it, it reappears after <see cref="LocalHostOptions.VisibilityTimeout"/>, and after <see cref="LocalHostOptions.MaxEventDeliveries"/> deliveries, or at once when it is
/// not an Event Grid event at all, it moves to <c>blob-events-poison</c> with the error, so a bad event never blocks
/// the queue and the host goes on.
/// </summary>
internal sealed partial class BlobEventsListener(
    QueueServiceClient queues, DatasetIngestor ingestor, DurableTaskClient durable, IOptions<LocalHostOptions> options, TimeProvider time, ILogger<BlobEventsListener> logger)
    : BackgroundService
{
    private readonly QueueClient _events = queues.GetQueueClient(StorageLayout.BlobEventsQueue);
    private readonly QueueClient _poison = queues.GetQueueClient(StorageLayout.BlobEventsPoisonQueue);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var idle = TimeSpan.FromMilliseconds(50);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var messages = (await _events.ReceiveMessagesAsync(16, options.Value.VisibilityTimeout, stoppingToken)).Value;
                if (messages.Length == 0)
                {
                    await Task.Delay(idle, time, stoppingToken);
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
                LogPollFailed(ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken);
            }
        }
    }

    private async ValueTask HandleAsync(QueueMessage message, CancellationToken ct)
    {
        try
        {
            // The trace of an upload starts where the event is received (the Functions host does the same for its triggers).
            using var span = PipelineTelemetry.Source.StartActivity("blob-event " + StorageLayout.BlobEventsQueue, System.Diagnostics.ActivityKind.Consumer);
            span?.SetTag("messaging.message.id", message.MessageId);
            foreach (var blob in BlobCreated.Parse(message.Body))
            {
                span?.SetTag(PipelineTelemetry.BlobTag, blob.BlobName);
                if (await ingestor.IngestAsync(blob, durable, ct) is { } instanceId)
                {
                    span?.SetTag(PipelineTelemetry.InstanceIdTag, instanceId);
                }
            }
            await _events.DeleteMessageAsync(message.MessageId, message.PopReceipt, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            bool malformed = ex is FormatException;
            if (malformed || message.DequeueCount >= options.Value.MaxEventDeliveries)
            {
                var poison = JsonSerializer.Serialize(new { message = message.Body.ToString(), error = ex.Message, deliveries = message.DequeueCount });
                await _poison.SendMessageAsync(poison, timeToLive: TimeSpan.FromSeconds(-1), cancellationToken: ct);
                await _events.DeleteMessageAsync(message.MessageId, message.PopReceipt, ct);
                LogPoisoned(StorageLayout.BlobEventsPoisonQueue, message.DequeueCount, ex.Message);
            }
            else
            {
                LogWillRetry(message.DequeueCount, ex.Message);
            }
        }
    }

    [LoggerMessage(EventId = 2201, Level = LogLevel.Warning, Message = "Polling blob-events failed ({Error}); retrying.")]
    private partial void LogPollFailed(string error);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Error, Message = "Blob event moved to {Queue} after {Deliveries} delivery(ies): {Error}")]
    private partial void LogPoisoned(string queue, long deliveries, string error);

    [LoggerMessage(EventId = 2203, Level = LogLevel.Warning, Message = "Ingesting a blob event failed (delivery {Deliveries}); it will be retried: {Error}")]
    private partial void LogWillRetry(long deliveries, string error);
}
