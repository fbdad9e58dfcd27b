using Azure;

namespace CloudPipeline.Storage.Blobs;

/// <summary>Conditions a blob request must meet; the service answers 412 (or 304 for reads with If-None-Match) otherwise.</summary>
public sealed class BlobRequestConditions
{
    /// <summary>Proceed only if the blob's ETag equals this one (optimistic concurrency).</summary>
    public ETag? IfMatch { get; init; }

    /// <summary>Proceed only if the blob's ETag differs; <see cref="ETag.All"/> means "only if the blob does not exist".</summary>
    public ETag? IfNoneMatch { get; init; }

    /// <summary>The active lease id, required to write a leased blob.</summary>
    public string? LeaseId { get; init; }
}

/// <summary>Options of <see cref="BlobClient.UploadAsync(Stream, BlobUploadOptions?, CancellationToken)"/>.</summary>
public sealed class BlobUploadOptions
{
    /// <summary>The blob's content type. Default <c>application/octet-stream</c>.</summary>
    public string? ContentType { get; init; }

    /// <summary>User metadata stored with the blob (names must be C# identifiers).</summary>
    public IDictionary<string, string>? Metadata { get; init; }

    /// <summary>Write conditions, e.g. <c>IfNoneMatch = ETag.All</c> for create-only.</summary>
    public BlobRequestConditions? Conditions { get; init; }

    /// <summary>Streams up to this length go up in one Put Blob request; longer ones in blocks. Default 32 MiB.</summary>
    public long SingleUploadThreshold { get; init; } = 32L * 1024 * 1024;

    /// <summary>Size of each block of a block upload. Default 8 MiB (the service allows up to 4000 MiB).</summary>
    public int BlockSize { get; init; } = 8 * 1024 * 1024;

    /// <summary>Blocks uploaded at once. Default 4.</summary>
    public int MaxConcurrency { get; init; } = 4;

    /// <summary>Reports bytes sent so far, for progress bars.</summary>
    public IProgress<long>? Progress { get; init; }
}

/// <summary>What the service returned for a write.</summary>
/// <param name="ETag">The blob's new ETag.</param>
/// <param name="LastModified">The blob's new last-modified time.</param>
/// <param name="ContentHash">The MD5 of the whole content, as stored in the blob's properties.</param>
public sealed record BlobContentInfo(ETag ETag, DateTimeOffset LastModified, byte[]? ContentHash);

/// <summary>A blob's system properties and metadata.</summary>
public sealed record BlobProperties
{
    /// <summary>Length in bytes.</summary>
    public long ContentLength { get; init; }

    /// <summary>The stored content type.</summary>
    public string? ContentType { get; init; }

    /// <summary>The current ETag.</summary>
    public ETag ETag { get; init; }

    /// <summary>Last modification time.</summary>
    public DateTimeOffset LastModified { get; init; }

    /// <summary>Creation time, when the service reports it.</summary>
    public DateTimeOffset? CreatedOn { get; init; }

    /// <summary>The MD5 of the content, when the service stores one.</summary>
    public byte[]? ContentHash { get; init; }

    /// <summary>User metadata.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>Lease state: available, leased, expired, breaking or broken.</summary>
    public string? LeaseState { get; init; }
}

/// <summary>One entry of a blob listing.</summary>
/// <param name="Name">The full blob name.</param>
/// <param name="Properties">Its properties and metadata (metadata only when requested).</param>
public sealed record BlobItem(string Name, BlobProperties Properties);

/// <summary>A streaming download: the content stream (caller disposes it) and the blob's properties.</summary>
public sealed class BlobDownloadStreamingResult : IDisposable, IAsyncDisposable
{
    internal BlobDownloadStreamingResult(Stream content, BlobProperties details)
    {
        Content = content;
        Details = details;
    }

    /// <summary>The content, read directly from the network.</summary>
    public Stream Content { get; }

    /// <summary>The blob's properties at the time of the read.</summary>
    public BlobProperties Details { get; }

    /// <inheritdoc/>
    public void Dispose() => Content.Dispose();

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => Content.DisposeAsync();
}

/// <summary>A held lease.</summary>
/// <param name="LeaseId">The lease id to present on writes and renewals.</param>
/// <param name="ETag">The blob's ETag.</param>
public sealed record BlobLease(string LeaseId, ETag ETag);
