using System.Globalization;
using System.Xml.Linq;
using Azure;
using Azure.Core;
using CloudPipeline.Storage.Internal;

namespace CloudPipeline.Storage.Blobs;

/// <summary>One blob container. Immutable and safe to share between threads.</summary>
public class BlobContainerClient
{
    private readonly ServiceConnection _connection;

    internal BlobContainerClient(ServiceConnection connection, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _connection = connection;
        Name = name;
    }

    /// <summary>Connects to a container with a connection string.</summary>
    public BlobContainerClient(string connectionString, string containerName, StorageClientOptions? options = null)
        : this(ServiceConnection.FromConnectionString(connectionString, StorageService.Blob, options), containerName)
    {
    }

    /// <summary>For mocking frameworks only.</summary>
    protected BlobContainerClient()
    {
        _connection = null!;
        Name = null!;
    }

    /// <summary>The container name.</summary>
    public virtual string Name { get; }

    /// <summary>The container URI.</summary>
    public virtual Uri Uri => _connection.Uri(Name).ToUri();

    /// <summary>A client for one blob in this container; no request is made.</summary>
    public virtual BlobClient GetBlobClient(string blobName) => new(_connection, Name, blobName);

    /// <summary>Creates the container; fails with 409 (<c>ContainerAlreadyExists</c>) if it exists.</summary>
    public virtual async Task<Response> CreateAsync(CancellationToken cancellationToken = default)
    {
        var uri = _connection.Uri(Name);
        uri.AppendQuery("restype", "container");
        return await _connection.SendAsync(_connection.CreateRequest(RequestMethod.Put, uri), cancellationToken, 201).ConfigureAwait(false);
    }

    /// <summary>Creates the container unless it exists. Returns true if this call created it.</summary>
    public virtual async Task<Response<bool>> CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        var uri = _connection.Uri(Name);
        uri.AppendQuery("restype", "container");
        var response = await _connection.SendAsync(_connection.CreateRequest(RequestMethod.Put, uri), cancellationToken, 201, 409).ConfigureAwait(false);
        return Response.FromValue(response.Status == 201, response);
    }

    /// <summary>Deletes the container and every blob in it.</summary>
    public virtual async Task<Response> DeleteAsync(CancellationToken cancellationToken = default)
    {
        var uri = _connection.Uri(Name);
        uri.AppendQuery("restype", "container");
        return await _connection.SendAsync(_connection.CreateRequest(RequestMethod.Delete, uri), cancellationToken, 202).ConfigureAwait(false);
    }

    /// <summary>True if the container exists.</summary>
    public virtual async Task<Response<bool>> ExistsAsync(CancellationToken cancellationToken = default)
    {
        var uri = _connection.Uri(Name);
        uri.AppendQuery("restype", "container");
        var response = await _connection.SendAsync(_connection.CreateRequest(RequestMethod.Head, uri), cancellationToken, 200, 404).ConfigureAwait(false);
        return Response.FromValue(response.Status == 200, response);
    }

    /// <summary>
    /// Lists blobs whose names start with <paramref name="prefix"/>, in name order, following continuation
    /// markers page by page (the service returns at most 5,000 per page; <c>pageSizeHint</c> asks for fewer).
    /// </summary>
    public virtual AsyncPageable<BlobItem> GetBlobsAsync(string? prefix = null, bool includeMetadata = false, CancellationToken cancellationToken = default) =>
        new FuncAsyncPageable<BlobItem>(async (marker, pageSize, ct) =>
        {
            var uri = _connection.Uri(Name);
            uri.AppendQuery("restype", "container");
            uri.AppendQuery("comp", "list");
            if (!string.IsNullOrEmpty(prefix))
            {
                uri.AppendQuery("prefix", prefix);
            }
            if (!string.IsNullOrEmpty(marker))
            {
                uri.AppendQuery("marker", marker);
            }
            if (pageSize is { } size)
            {
                uri.AppendQuery("maxresults", size.ToString(CultureInfo.InvariantCulture));
            }
            if (includeMetadata)
            {
                uri.AppendQuery("include", "metadata");
            }
            var response = await _connection.SendAsync(_connection.CreateRequest(RequestMethod.Get, uri), ct, 200).ConfigureAwait(false);
            var root = XDocument.Parse(response.Content.ToString()).Root!;
            var items = root.Element("Blobs")?.Elements("Blob").Select(ParseBlobItem).ToList() ?? [];
            string? next = root.Element("NextMarker")?.Value;
            return Page<BlobItem>.FromValues(items, string.IsNullOrEmpty(next) ? null : next, response);
        }, cancellationToken);

    private static BlobItem ParseBlobItem(XElement blob)
    {
        var p = blob.Element("Properties");
        string? Value(string name) => p?.Element(name)?.Value is { Length: > 0 } v ? v : null;
        var metadata = blob.Element("Metadata")?.Elements().ToDictionary(e => e.Name.LocalName, e => e.Value, StringComparer.OrdinalIgnoreCase)
                       ?? new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        return new BlobItem(blob.Element("Name")!.Value, new BlobProperties
        {
            ContentLength = long.Parse(Value("Content-Length") ?? "0", CultureInfo.InvariantCulture),
            ContentType = Value("Content-Type"),
            ETag = new ETag(Value("Etag") ?? string.Empty),
            LastModified = DateTimeOffset.Parse(Value("Last-Modified")!, CultureInfo.InvariantCulture),
            CreatedOn = Value("Creation-Time") is { } created ? DateTimeOffset.Parse(created, CultureInfo.InvariantCulture) : null,
            ContentHash = Value("Content-MD5") is { } md5 ? Convert.FromBase64String(md5) : null,
            LeaseState = Value("LeaseState"),
            Metadata = metadata,
        });
    }
}
