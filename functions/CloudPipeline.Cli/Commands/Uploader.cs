using CloudPipeline.Contracts;
using System.Security.Cryptography;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;
using System.CommandLine;

namespace CloudPipeline.Cli.Commands;

/// <summary>
/// Uploads files to <c>raw/{site}/{experiment}/{relative path}</c> and enqueues their BlobCreated events (Event Grid
/// schema), so ingestion starts at once. A file whose content the blob already has (same MD5) is skipped. The
/// experiment manifest goes first, so the analysis never starts with default parameters by accident.
/// </summary>
internal sealed class Uploader : IUploader
{
    /// <summary>The name every manifest is stored under, beside the experiment's files.</summary>
    public const string ManifestName = "experiment.json";

    private readonly BlobContainerClient _raw;
    private readonly QueueClient _events;

    /// <summary>
    /// The uploader for a command: with an explicit API key, through per-file upload links from the host's API
    /// (<see cref="GrantedUploader"/>); otherwise straight to storage with the connection string.
    /// </summary>
    public static IUploader For(ParseResult parse) =>
        CliSettings.ExplicitKey(parse) is { } key
            ? new GrantedUploader(ApiClient.Create(parse.GetValue(CliSettings.Api)!, new ApiCredential(key, null)))
            : new Uploader(parse.GetValue(CliSettings.Connection)!);

    public Uploader(string connectionString)
    {
        // Fail fast when storage is unreachable (a refused connection fails at once; 2 retries): a person is waiting at the
        // prompt. A slow but live service (Azurite on a loaded machine) gets 10 s per try before it counts as down.
        var blobOptions = new BlobClientOptions();
        var queueOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        foreach (var retry in new[] { blobOptions.Retry, queueOptions.Retry })
        {
            retry.MaxRetries = 2;
            retry.Delay = TimeSpan.FromMilliseconds(400);
            retry.NetworkTimeout = TimeSpan.FromSeconds(10);
        }
        _raw = new BlobServiceClient(connectionString, blobOptions).GetBlobContainerClient(StorageLayout.RawContainer);
        _events = new QueueServiceClient(connectionString, queueOptions).GetQueueClient(StorageLayout.BlobEventsQueue);
    }

    /// <summary>The storage endpoint, for messages.</summary>
    public Uri Endpoint => _raw.Uri;

    public async Task EnsureAsync(CancellationToken ct)
    {
        await _raw.CreateIfNotExistsAsync(cancellationToken: ct);
        await _events.CreateIfNotExistsAsync(cancellationToken: ct);
    }

    /// <summary>The files to upload with their relative names; the manifest (given or found) first, as experiment.json.</summary>
    public static IReadOnlyList<(FileInfo File, string Relative)> Collect(IEnumerable<FileSystemInfo> inputs, FileInfo? manifest = null)
    {
        var files = new List<(FileInfo, string)>();
        foreach (var input in inputs)
        {
            if (input is DirectoryInfo dir)
            {
                files.AddRange(dir.EnumerateFiles("*", SearchOption.AllDirectories)
                    .Where(f => !f.Name.StartsWith('.'))
                    .Where(f => manifest is null || !f.Name.Equals(ManifestName, StringComparison.OrdinalIgnoreCase))
                    .Select(f => (f, Path.GetRelativePath(dir.FullName, f.FullName).Replace('\\', '/'))));
            }
            else if (input is FileInfo file)
            {
                files.Add((file, file.Name));
            }
        }
        if (manifest is not null)
        {
            files.RemoveAll(f => f.Item1.FullName == manifest.FullName);
            files.Add((manifest, ManifestName));
        }
        return files.OrderBy(f => f.Item2.Equals(ManifestName, StringComparison.OrdinalIgnoreCase) ? 0 : 1)
            .ThenBy(f => f.Item2, StringComparer.Ordinal).ToList();
    }

    /// <summary>Uploads one file; returns false if the blob already had this content.</summary>
    public async Task<bool> UploadAsync(FileInfo file, RawBlob target, CancellationToken ct)
    {
        string blobName = target.Name;
        var bytes = await File.ReadAllBytesAsync(file.FullName, ct);
        byte[] md5 = MD5.HashData(bytes);
        var blob = _raw.GetBlobClient(blobName);
        try
        {
            var existing = (await blob.GetPropertiesAsync(cancellationToken: ct)).Value;
            if (existing.ContentHash is { } hash && hash.AsSpan().SequenceEqual(md5))
            {
                return false;
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
        }
        const string contentType = "application/octet-stream";
        var info = (await blob.UploadAsync(new BinaryData(bytes), new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = contentType, ContentHash = md5 } }, ct)).Value;
        var message = new BlobCreated(StorageLayout.RawContainer, blobName, info.ETag.ToString())
            .ToEventGridMessage(blob.Uri, bytes.LongLength, contentType, DateTimeOffset.UtcNow);
        await _events.SendMessageAsync(message, cancellationToken: ct);
        return true;
    }
}

/// <summary>Where the upload and watch commands send files.</summary>
internal interface IUploader
{
    /// <summary>Where the files go, for messages.</summary>
    Uri Endpoint { get; }

    /// <summary>Prepares (creates the container and queue where the uploader may).</summary>
    Task EnsureAsync(CancellationToken ct);

    /// <summary>Uploads one file as <c>raw/{site}/{experiment}/{relative path}</c>; false if it was skipped as unchanged.</summary>
    Task<bool> UploadAsync(FileInfo file, RawBlob target, CancellationToken ct);
}

/// <summary>Where an upload goes in the raw container.</summary>
/// <param name="Site">The site.</param>
/// <param name="Experiment">The experiment.</param>
/// <param name="Relative">The file's path within the experiment.</param>
internal sealed record RawBlob(string Site, string Experiment, string Relative)
{
    /// <summary>The blob's name: <c>{site}/{experiment}/{relative path}</c>.</summary>
    public string Name => $"{Site}/{Experiment}/{Relative}";
}

/// <summary>
/// Uploads with a site's API key and no storage credentials: for each file, the host's API issues an upload link (a SAS
/// that may create and write that one blob under <c>raw/{site}/</c>, nothing else), and the file goes straight to
/// storage with it. The link cannot read, so nothing is skipped here; the pipeline recognises content it already has
/// (SHA-256) and does no new work. Ingestion starts from storage's event (Event Grid; locally the change detector).
/// </summary>
internal sealed class GrantedUploader(HttpClient api) : IUploader
{
    public Uri Endpoint => api.BaseAddress!;

    public Task EnsureAsync(CancellationToken ct) => Task.CompletedTask;

    public async Task<bool> UploadAsync(FileInfo file, RawBlob target, CancellationToken ct)
    {
        string route = $"api/uploads/{Uri.EscapeDataString(target.Experiment)}/{string.Join('/', target.Relative.Split('/').Select(Uri.EscapeDataString))}?site={Uri.EscapeDataString(target.Site)}";
        using var response = await api.PostAsync(route, null, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new UploadRefusedException($"the host refused an upload link for {target.Name}: {await ApiClient.ProblemAsync(response, ct)}");
        }
        var link = System.Text.Json.JsonSerializer.Deserialize(await response.Content.ReadAsStringAsync(ct), CliJsonContext.Default.JsonElement);
        var blob = new BlobClient(new Uri(link.GetProperty("uri").GetString()!));
        await using var content = file.OpenRead();
        await blob.UploadAsync(content, new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/octet-stream" } }, ct);
        return true;
    }
}

/// <summary>The host would not issue an upload link (no valid key, another site's folder, a bad path).</summary>
internal sealed class UploadRefusedException(string message) : Exception(message);
