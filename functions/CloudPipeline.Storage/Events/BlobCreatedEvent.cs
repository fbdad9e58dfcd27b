using System.Text.Json;
using System.Text.Json.Serialization;

namespace CloudPipeline.Storage.Events;

/// <summary>The <c>data</c> of a Microsoft.Storage.BlobCreated event.</summary>
public sealed record BlobCreatedData
{
    /// <summary>The operation that created the blob (PutBlob, PutBlockList, …).</summary>
    [JsonPropertyName("api")] public string Api { get; init; } = "PutBlob";

    /// <summary>The blob URL.</summary>
    [JsonPropertyName("url")] public required string Url { get; init; }

    /// <summary>The blob's ETag after the write.</summary>
    [JsonPropertyName("eTag")] public required string ETag { get; init; }

    /// <summary>Length in bytes.</summary>
    [JsonPropertyName("contentLength")] public long ContentLength { get; init; }

    /// <summary>Content type.</summary>
    [JsonPropertyName("contentType")] public string? ContentType { get; init; }

    /// <summary>Always BlockBlob here.</summary>
    [JsonPropertyName("blobType")] public string BlobType { get; init; } = "BlockBlob";
}

/// <summary>
/// A BlobCreated event in Event Grid schema, as an Event Grid subscription delivers it to a storage queue,
/// and as the local change detector and the CLI upload write it.
/// </summary>
public sealed record BlobCreatedEvent
{
    /// <summary>The event type handled.</summary>
    public const string BlobCreatedType = "Microsoft.Storage.BlobCreated";

    /// <summary>A unique event id.</summary>
    [JsonPropertyName("id")] public required string Id { get; init; }

    /// <summary>Must be <see cref="BlobCreatedType"/>.</summary>
    [JsonPropertyName("eventType")] public required string EventType { get; init; }

    /// <summary><c>/blobServices/default/containers/{container}/blobs/{name}</c>.</summary>
    [JsonPropertyName("subject")] public required string Subject { get; init; }

    /// <summary>When the blob was written.</summary>
    [JsonPropertyName("eventTime")] public DateTimeOffset EventTime { get; init; }

    /// <summary>The storage account resource (any text locally).</summary>
    [JsonPropertyName("topic")] public string? Topic { get; init; }

    /// <summary>Schema version.</summary>
    [JsonPropertyName("dataVersion")] public string DataVersion { get; init; } = "";

    /// <summary>Event metadata version.</summary>
    [JsonPropertyName("metadataVersion")] public string MetadataVersion { get; init; } = "1";

    /// <summary>The blob details.</summary>
    [JsonPropertyName("data")] public required BlobCreatedData Data { get; init; }

    /// <summary>The container and blob name from the subject.</summary>
    public (string Container, string BlobName) Blob
    {
        get
        {
            const string prefix = "/blobServices/default/containers/";
            if (!Subject.StartsWith(prefix, StringComparison.Ordinal) || Subject.IndexOf("/blobs/", StringComparison.Ordinal) is var at && at < 0)
            {
                throw new FormatException($"Event subject '{Subject}' is not of the form {prefix}{{container}}/blobs/{{name}}.");
            }
            return (Subject[prefix.Length..at], Subject[(at + "/blobs/".Length)..]);
        }
    }

    /// <summary>Creates an event for a blob that was just written.</summary>
    public static BlobCreatedEvent For(string container, string blobName, Uri blobUri, string etag, long length, string? contentType, DateTimeOffset at) => new()
    {
        Id = Guid.NewGuid().ToString(),
        EventType = BlobCreatedType,
        Subject = $"/blobServices/default/containers/{container}/blobs/{blobName}",
        EventTime = at,
        Data = new BlobCreatedData { Url = blobUri.AbsoluteUri, ETag = etag, ContentLength = length, ContentType = contentType },
    };

    /// <summary>Parses one event, or the first of an Event Grid array.</summary>
    public static BlobCreatedEvent Parse(string json)
    {
        var trimmed = json.TrimStart();
        return trimmed.StartsWith('[')
            ? JsonSerializer.Deserialize<BlobCreatedEvent[]>(trimmed)!.Single()
            : JsonSerializer.Deserialize<BlobCreatedEvent>(trimmed) ?? throw new FormatException("Empty event.");
    }

    /// <summary>The JSON form.</summary>
    public string ToJson() => JsonSerializer.Serialize(this);
}
