using System.Text.Json;
using System.Text.Json.Serialization;
using Azure.Messaging.EventGrid;
using Azure.Messaging.EventGrid.SystemEvents;

namespace CloudPipeline.Contracts;

/// <summary>A blob that was written: what ingestion needs of a BlobCreated event.</summary>
/// <param name="Container">The container.</param>
/// <param name="BlobName">The blob name within the container.</param>
/// <param name="ETag">The blob's ETag after the write, when the event carries it.</param>
public sealed record BlobCreated(string Container, string BlobName, string? ETag)
{
    /// <summary>The Event Grid event type of a blob write.</summary>
    public const string EventType = "Microsoft.Storage.BlobCreated";

    private const string SubjectPrefix = "/blobServices/default/containers/";

    /// <summary>
    /// Reads a message of the <c>blob-events</c> queue: one event in Event Grid schema, or an array of them (as
    /// Event Grid delivers). Null for another event type, which ingestion ignores.
    /// </summary>
    /// <exception cref="FormatException">The message is not an Event Grid event, or its subject is not a blob's; the message says what was expected.</exception>
    public static IReadOnlyList<BlobCreated> Parse(BinaryData message)
    {
        EventGridEvent[] events;
        try
        {
            events = EventGridEvent.ParseMany(message);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException or FormatException)
        {
            throw new FormatException($"The message is not an Event Grid event ({ex.Message}); expected {{\"id\",\"eventType\",\"subject\",\"eventTime\",\"data\",\"dataVersion\"}}.", ex);
        }
        var blobs = new List<BlobCreated>();
        foreach (var e in events.Where(e => e.EventType == EventType))
        {
            int at = e.Subject.IndexOf("/blobs/", StringComparison.Ordinal);
            if (!e.Subject.StartsWith(SubjectPrefix, StringComparison.Ordinal) || at < 0)
            {
                throw new FormatException($"Event subject '{e.Subject}' is not of the form {SubjectPrefix}{{container}}/blobs/{{name}}.");
            }
            string? etag = e.TryGetSystemEventData(out object data) && data is StorageBlobCreatedEventData blob ? blob.ETag : null;
            blobs.Add(new BlobCreated(e.Subject[SubjectPrefix.Length..at], e.Subject[(at + "/blobs/".Length)..], etag));
        }
        return blobs;
    }

    /// <summary>
    /// The event in Event Grid schema, as Event Grid would deliver it for this write. Written from typed records with
    /// compile-time metadata (the SDK's <see cref="EventGridEvent"/> serialises only by reflection); the SDK's parser
    /// reads it (<see cref="Parse"/>).
    /// </summary>
    public BinaryData ToEventGridMessage(Uri blobUri, long contentLength, string? contentType, DateTimeOffset at)
    {
        var data = new BlobCreatedEventData("PutBlob", blobUri.AbsoluteUri, ETag, contentLength, contentType, "BlockBlob");
        var message = new EventGridMessage(Guid.NewGuid().ToString(), $"{SubjectPrefix}{Container}/blobs/{BlobName}", EventType, "1", at, data);
        return new BinaryData(JsonSerializer.SerializeToUtf8Bytes(message, ContractsJsonContext.Default.EventGridMessage));
    }
}

/// <summary>One event in Event Grid schema (the fields Event Grid delivers and its parser requires).</summary>
internal sealed record EventGridMessage(string Id, string Subject, string EventType, string DataVersion, DateTimeOffset EventTime, BlobCreatedEventData Data);

/// <summary>The <c>data</c> of a <c>Microsoft.Storage.BlobCreated</c> event: the fields ingestion and the SDK's parser read.</summary>
internal sealed record BlobCreatedEventData(string Api, string Url, string? ETag, long ContentLength, string? ContentType, string BlobType);

/// <summary>Compile-time JSON metadata of the event message (no reflection, so trimming and ahead-of-time compilation keep it).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(EventGridMessage))]
internal sealed partial class ContractsJsonContext : JsonSerializerContext;
