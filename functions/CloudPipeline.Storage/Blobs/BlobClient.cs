using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Core;
using CloudPipeline.Storage.Internal;

namespace CloudPipeline.Storage.Blobs;

/// <summary>One block blob. Immutable and safe to share between threads.</summary>
public class BlobClient
{
    private readonly ServiceConnection _connection;

    internal BlobClient(ServiceConnection connection, string containerName, string blobName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(blobName);
        _connection = connection;
        BlobContainerName = containerName;
        Name = blobName;
    }

    /// <summary>For mocking frameworks only.</summary>
    protected BlobClient()
    {
        _connection = null!;
        BlobContainerName = null!;
        Name = null!;
    }

    /// <summary>The container name.</summary>
    public virtual string BlobContainerName { get; }

    /// <summary>The blob name (may contain '/').</summary>
    public virtual string Name { get; }

    /// <summary>The blob URI.</summary>
    public virtual Uri Uri => BlobUri().ToUri();

    /// <summary>A client for leases on this blob.</summary>
    public virtual BlobLeaseClient GetBlobLeaseClient(string? leaseId = null) => new(this, leaseId ?? Guid.NewGuid().ToString());

    /// <summary>Uploads a byte buffer in one request.</summary>
    public virtual Task<Response<BlobContentInfo>> UploadAsync(BinaryData content, BlobUploadOptions? options = null, CancellationToken cancellationToken = default) =>
        UploadAsync(content.ToStream(), options, cancellationToken);

    /// <summary>
    /// Uploads a stream, replacing any existing blob unless <see cref="BlobUploadOptions.Conditions"/> say
    /// otherwise. Up to <see cref="BlobUploadOptions.SingleUploadThreshold"/> bytes go in one Put Blob;
    /// longer content goes as blocks followed by one Put Block List, which commits it atomically. The
    /// content MD5 is computed while sending, verified by the service per request, and stored on the blob.
    /// </summary>
    public virtual async Task<Response<BlobContentInfo>> UploadAsync(Stream content, BlobUploadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        options ??= new BlobUploadOptions();
        var first = await ReadChunkAsync(content, (int)Math.Min(options.SingleUploadThreshold + 1, int.MaxValue), cancellationToken).ConfigureAwait(false);
        if (first.Length <= options.SingleUploadThreshold)
        {
            return await PutBlobAsync(first, options, cancellationToken).ConfigureAwait(false);
        }
        return await PutBlocksAsync(first, content, options, cancellationToken).ConfigureAwait(false);
    }

    private async Task<Response<BlobContentInfo>> PutBlobAsync(byte[] data, BlobUploadOptions options, CancellationToken cancellationToken)
    {
        var request = _connection.CreateRequest(RequestMethod.Put, BlobUri());
        request.Headers.SetValue("x-ms-blob-type", "BlockBlob");
        request.Headers.SetValue("Content-Type", options.ContentType ?? "application/octet-stream");
        request.Headers.SetValue("Content-MD5", Convert.ToBase64String(MD5.HashData(data)));
        AddMetadata(request, options.Metadata);
        AddConditions(request, options.Conditions);
        request.Content = RequestContent.Create(data);
        var response = await _connection.SendAsync(request, cancellationToken, 201).ConfigureAwait(false);
        options.Progress?.Report(data.Length);
        return Response.FromValue(ContentInfo(response), response);
    }

    private async Task<Response<BlobContentInfo>> PutBlocksAsync(byte[] first, Stream content, BlobUploadOptions options, CancellationToken cancellationToken)
    {
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var blockIds = new List<string>();
        var inFlight = new List<Task>();
        long sent = 0;
        int blockSize = options.BlockSize;

        async Task StageAsync(ReadOnlyMemory<byte> block, string id)
        {
            var uri = BlobUri();
            uri.AppendQuery("comp", "block");
            uri.AppendQuery("blockid", id);
            var request = _connection.CreateRequest(RequestMethod.Put, uri);
            request.Headers.SetValue("Content-MD5", Convert.ToBase64String(MD5.HashData(block.Span)));
            if (options.Conditions?.LeaseId is { } lease)
            {
                request.Headers.SetValue("x-ms-lease-id", lease);
            }
            request.Content = RequestContent.Create(block);
            await _connection.SendAsync(request, cancellationToken, 201).ConfigureAwait(false);
            options.Progress?.Report(Interlocked.Add(ref sent, block.Length));
        }

        async Task QueueBlockAsync(ReadOnlyMemory<byte> block)
        {
            md5.AppendData(block.Span);
            // Block ids must all have the same length: a zero-padded sequence number, base64-encoded.
            string id = Convert.ToBase64String(Encoding.ASCII.GetBytes(blockIds.Count.ToString("D8", CultureInfo.InvariantCulture)));
            blockIds.Add(id);
            inFlight.Add(StageAsync(block, id));
            if (inFlight.Count >= Math.Max(1, options.MaxConcurrency))
            {
                var done = await Task.WhenAny(inFlight).ConfigureAwait(false);
                inFlight.Remove(done);
                await done.ConfigureAwait(false);
            }
        }

        for (int offset = 0; offset < first.Length; offset += blockSize)
        {
            await QueueBlockAsync(first.AsMemory(offset, Math.Min(blockSize, first.Length - offset))).ConfigureAwait(false);
        }
        while (true)
        {
            var block = await ReadChunkAsync(content, blockSize, cancellationToken).ConfigureAwait(false);
            if (block.Length == 0)
            {
                break;
            }
            await QueueBlockAsync(block).ConfigureAwait(false);
        }
        await Task.WhenAll(inFlight).ConfigureAwait(false);

        var listUri = BlobUri();
        listUri.AppendQuery("comp", "blocklist");
        var commit = _connection.CreateRequest(RequestMethod.Put, listUri);
        commit.Headers.SetValue("Content-Type", "application/xml");
        commit.Headers.SetValue("x-ms-blob-content-type", options.ContentType ?? "application/octet-stream");
        commit.Headers.SetValue("x-ms-blob-content-md5", Convert.ToBase64String(md5.GetHashAndReset()));
        AddMetadata(commit, options.Metadata);
        AddConditions(commit, options.Conditions);
        var xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?><BlockList>");
        foreach (var id in blockIds)
        {
            xml.Append("<Latest>").Append(id).Append("</Latest>");
        }
        xml.Append("</BlockList>");
        commit.Content = RequestContent.Create(Encoding.UTF8.GetBytes(xml.ToString()));
        var response = await _connection.SendAsync(commit, cancellationToken, 201).ConfigureAwait(false);
        return Response.FromValue(ContentInfo(response), response);
    }

    /// <summary>
    /// Opens the blob for reading; the content streams from the network as the caller reads it, so a
    /// blob of any size needs no buffer. Dispose the result.
    /// </summary>
    public virtual async Task<Response<BlobDownloadStreamingResult>> DownloadStreamingAsync(BlobRequestConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        var request = _connection.CreateRequest(RequestMethod.Get, BlobUri());
        AddConditions(request, conditions);
        var (response, content) = await _connection.SendStreamingAsync(request, cancellationToken).ConfigureAwait(false);
        return Response.FromValue(new BlobDownloadStreamingResult(content, PropertiesFromHeaders(response)), response);
    }

    /// <summary>Downloads the whole blob into memory. For small blobs (manifests, JSON, payloads).</summary>
    public virtual async Task<Response<BinaryData>> DownloadContentAsync(BlobRequestConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        var request = _connection.CreateRequest(RequestMethod.Get, BlobUri());
        AddConditions(request, conditions);
        var response = await _connection.SendAsync(request, cancellationToken, 200).ConfigureAwait(false);
        return Response.FromValue(response.Content, response);
    }

    /// <summary>Reads the blob's properties and metadata.</summary>
    public virtual async Task<Response<BlobProperties>> GetPropertiesAsync(BlobRequestConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        var request = _connection.CreateRequest(RequestMethod.Head, BlobUri());
        AddConditions(request, conditions);
        var response = await _connection.SendAsync(request, cancellationToken, 200).ConfigureAwait(false);
        return Response.FromValue(PropertiesFromHeaders(response), response);
    }

    /// <summary>True if the blob exists.</summary>
    public virtual async Task<Response<bool>> ExistsAsync(CancellationToken cancellationToken = default)
    {
        var response = await _connection.SendAsync(_connection.CreateRequest(RequestMethod.Head, BlobUri()), cancellationToken, 200, 404).ConfigureAwait(false);
        return Response.FromValue(response.Status == 200, response);
    }

    /// <summary>Replaces the blob's metadata.</summary>
    public virtual async Task<Response<BlobContentInfo>> SetMetadataAsync(IDictionary<string, string> metadata, BlobRequestConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        var uri = BlobUri();
        uri.AppendQuery("comp", "metadata");
        var request = _connection.CreateRequest(RequestMethod.Put, uri);
        AddMetadata(request, metadata);
        AddConditions(request, conditions);
        var response = await _connection.SendAsync(request, cancellationToken, 200).ConfigureAwait(false);
        return Response.FromValue(ContentInfo(response), response);
    }

    /// <summary>Deletes the blob (and its snapshots).</summary>
    public virtual async Task<Response> DeleteAsync(BlobRequestConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        var request = _connection.CreateRequest(RequestMethod.Delete, BlobUri());
        request.Headers.SetValue("x-ms-delete-snapshots", "include");
        AddConditions(request, conditions);
        return await _connection.SendAsync(request, cancellationToken, 202).ConfigureAwait(false);
    }

    /// <summary>Deletes the blob if it exists. Returns true if this call deleted it.</summary>
    public virtual async Task<Response<bool>> DeleteIfExistsAsync(BlobRequestConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        var request = _connection.CreateRequest(RequestMethod.Delete, BlobUri());
        request.Headers.SetValue("x-ms-delete-snapshots", "include");
        AddConditions(request, conditions);
        var response = await _connection.SendAsync(request, cancellationToken, 202, 404).ConfigureAwait(false);
        return Response.FromValue(response.Status == 202, response);
    }

    internal async Task<Response> LeaseAsync(string action, Action<Request> configure, int expectedStatus, CancellationToken cancellationToken)
    {
        var uri = BlobUri();
        uri.AppendQuery("comp", "lease");
        var request = _connection.CreateRequest(RequestMethod.Put, uri);
        request.Headers.SetValue("x-ms-lease-action", action);
        configure(request);
        return await _connection.SendAsync(request, cancellationToken, expectedStatus).ConfigureAwait(false);
    }

    private RequestUriBuilder BlobUri()
    {
        var uri = _connection.Uri(BlobContainerName);
        // Blob names keep their '/' separators; each segment is escaped on its own.
        foreach (var segment in Name.Split('/'))
        {
            uri.AppendPath("/", escape: false);
            uri.AppendPath(segment, escape: true);
        }
        return uri;
    }

    private static async Task<byte[]> ReadChunkAsync(Stream stream, int maxBytes, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(maxBytes, 1 << 20));
        try
        {
            using var chunk = new MemoryStream();
            while (chunk.Length < maxBytes)
            {
                int read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, maxBytes - chunk.Length)), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }
                chunk.Write(buffer, 0, read);
            }
            return chunk.ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void AddMetadata(Request request, IDictionary<string, string>? metadata)
    {
        if (metadata is null)
        {
            return;
        }
        foreach (var (name, value) in metadata)
        {
            request.Headers.SetValue("x-ms-meta-" + name, value);
        }
    }

    private static void AddConditions(Request request, BlobRequestConditions? conditions)
    {
        if (conditions is null)
        {
            return;
        }
        if (conditions.IfMatch is { } ifMatch)
        {
            request.Headers.SetValue("If-Match", ifMatch.ToString("H"));
        }
        if (conditions.IfNoneMatch is { } ifNoneMatch)
        {
            request.Headers.SetValue("If-None-Match", ifNoneMatch.ToString("H"));
        }
        if (conditions.LeaseId is { } lease)
        {
            request.Headers.SetValue("x-ms-lease-id", lease);
        }
    }

    private static BlobContentInfo ContentInfo(Response response) => new(
        response.Headers.ETag ?? default,
        response.Headers.TryGetValue("Last-Modified", out var lm) ? DateTimeOffset.Parse(lm, CultureInfo.InvariantCulture) : default,
        response.Headers.TryGetValue("Content-MD5", out var md5) ? Convert.FromBase64String(md5) : null);

    private static BlobProperties PropertiesFromHeaders(Response response)
    {
        var headers = response.Headers;
        var metadata = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in headers)
        {
            if (header.Name.StartsWith("x-ms-meta-", StringComparison.OrdinalIgnoreCase))
            {
                metadata[header.Name["x-ms-meta-".Length..]] = header.Value;
            }
        }
        string? Value(string name) => headers.TryGetValue(name, out var v) ? v : null;
        return new BlobProperties
        {
            ContentLength = long.Parse(Value("Content-Length") ?? "0", CultureInfo.InvariantCulture),
            ContentType = Value("Content-Type"),
            ETag = headers.ETag ?? default,
            LastModified = Value("Last-Modified") is { } lm ? DateTimeOffset.Parse(lm, CultureInfo.InvariantCulture) : default,
            CreatedOn = Value("x-ms-creation-time") is { } created ? DateTimeOffset.Parse(created, CultureInfo.InvariantCulture) : null,
            ContentHash = (Value("x-ms-blob-content-md5") ?? Value("Content-MD5")) is { } md5 ? Convert.FromBase64String(md5) : null,
            LeaseState = Value("x-ms-lease-state"),
            Metadata = metadata,
        };
    }
}
