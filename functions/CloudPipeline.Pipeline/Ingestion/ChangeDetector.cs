using CloudPipeline.Contracts;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Azure.Storage.Queues;
using CloudPipeline.Pipeline.Storage;
using Microsoft.Extensions.Logging;

namespace CloudPipeline.Pipeline.Ingestion;

/// <summary>
/// The stand-in for an Event Grid subscription where there is none (Azurite): a timer function that lists
/// <c>raw</c> and enqueues a BlobCreated event for every blob modified since its watermark. Listing is paged
/// (5,000 names per request) and old blobs cost nothing beyond their line in the listing, so a scan of 100,000
/// blobs is 20 requests; nothing is rescanned per event. One host at a time scans (a blob lease elects it);
/// the watermark persists in the Checkpoints table. Duplicate events are harmless. A scan that took T skips the
/// schedule's occurrences for the next 4·T, so a large container (Azurite serves 100,000 names in about 12 s)
/// keeps the storage service at most a fifth busy; uploads through the CLI raise their events directly anyway.
/// </summary>
public sealed partial class ChangeDetector
{
    /// <summary>The timer function's name in both hosts.</summary>
    public const string Name = "ChangeDetector";

    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(5);
    private readonly BlobContainerClient _raw;
    private readonly BlobClient _lockBlob;
    private readonly QueueClient _events;
    private readonly TableClient _checkpoints;
    private readonly TimeProvider _time;
    private readonly ILogger<ChangeDetector> _logger;
    private readonly string _leaseId = Guid.NewGuid().ToString();
    private readonly HashSet<string> _recentlyEmitted = new(StringComparer.Ordinal);
    private DateTimeOffset _nextScanAllowed = DateTimeOffset.MinValue;

    /// <summary>Creates the detector.</summary>
    public ChangeDetector(BlobServiceClient blobs, QueueServiceClient queues, TableServiceClient tables, TimeProvider time, ILogger<ChangeDetector> logger)
    {
        _raw = blobs.GetBlobContainerClient(StorageLayout.RawContainer);
        _lockBlob = blobs.GetBlobContainerClient(StorageLayout.LeasesContainer).GetBlobClient("change-detector");
        _events = queues.GetQueueClient(StorageLayout.BlobEventsQueue);
        _checkpoints = tables.GetTableClient(StorageLayout.CheckpointsTable);
        _time = time;
        _logger = logger;
    }

    /// <summary>One scan: raises a BlobCreated event for each blob of <c>raw</c> written since the last scan.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var started = _time.GetUtcNow();
        if (started < _nextScanAllowed || !await HoldLeaseAsync(cancellationToken))
        {
            return; // resting after a long scan, or another host scans
        }
        var checkpoint = await _checkpoints.GetEntityIfExistsAsync<TableEntity>("change-detector", "raw", cancellationToken: cancellationToken);
        var watermark = (checkpoint.HasValue ? checkpoint.Value!.GetDateTimeOffset("Watermark") : null) ?? DateTimeOffset.MinValue;
        var newest = watermark;
        int emitted = 0;
        await foreach (var blob in _raw.GetBlobsAsync(cancellationToken: cancellationToken))
        {
            var modified = blob.Properties.LastModified ?? DateTimeOffset.MinValue;
            newest = modified > newest ? modified : newest;
            if (watermark != DateTimeOffset.MinValue && modified < watermark - ClockSkew)
            {
                continue;
            }
            string key = blob.Name + "|" + blob.Properties.ETag;
            if (!_recentlyEmitted.Add(key))
            {
                continue;
            }
            var message = new BlobCreated(StorageLayout.RawContainer, blob.Name, blob.Properties.ETag?.ToString())
                .ToEventGridMessage(_raw.GetBlobClient(blob.Name).Uri, blob.Properties.ContentLength ?? 0, blob.Properties.ContentType, modified);
            await _events.SendMessageAsync(message, cancellationToken: cancellationToken);
            emitted++;
        }
        if (_recentlyEmitted.Count > 50_000)
        {
            _recentlyEmitted.Clear();
        }
        if (newest > watermark)
        {
            await _checkpoints.UpsertEntityAsync(new TableEntity("change-detector", "raw") { ["Watermark"] = newest }, TableUpdateMode.Replace, cancellationToken);
        }
        if (emitted > 0)
        {
            LogEmitted(emitted);
        }
        var finished = _time.GetUtcNow();
        _nextScanAllowed = finished + 4 * (finished - started);
    }

    private async Task<bool> HoldLeaseAsync(CancellationToken ct)
    {
        var lease = _lockBlob.GetBlobLeaseClient(_leaseId);
        try
        {
            await lease.RenewAsync(cancellationToken: ct);
            return true;
        }
        catch (RequestFailedException)
        {
        }
        try
        {
            await _lockBlob.UploadAsync(BinaryData.FromString("change-detector lock"), new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, ct);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
        }
        try
        {
            await lease.AcquireAsync(TimeSpan.FromSeconds(30), cancellationToken: ct);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "Change detector: {Count} new blob(s) in raw.")]
    private partial void LogEmitted(int count);
}
