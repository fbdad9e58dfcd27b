using System.Security.Cryptography;
using Azure;
using CloudPipeline.Storage.Blobs;
using CloudPipeline.Storage.Events;
using CloudPipeline.Storage.Queues;

namespace CloudPipeline.Cli.Commands;

/// <summary>
/// Uploads files to <c>raw/{site}/{experiment}/{relative path}</c> and enqueues their BlobCreated events, so
/// ingestion starts at once. A file whose content the blob already has (same MD5) is skipped. The experiment
/// manifest goes first, so the analysis never starts with default parameters by accident.
/// </summary>
internal sealed class Uploader
{
    private readonly BlobContainerClient _raw;
    private readonly QueueClient _events;

    public Uploader(string connectionString)
    {
        _raw = new BlobServiceClient(connectionString).GetBlobContainerClient("raw");
        _events = new QueueServiceClient(connectionString).GetQueueClient("blob-events");
    }

    public async Task EnsureAsync(CancellationToken ct)
    {
        await _raw.CreateIfNotExistsAsync(ct);
        await _events.CreateIfNotExistsAsync(ct);
    }

    public static IReadOnlyList<(FileInfo File, string Relative)> Collect(IEnumerable<FileSystemInfo> inputs)
    {
        var files = new List<(FileInfo, string)>();
        foreach (var input in inputs)
        {
            if (input is DirectoryInfo dir)
            {
                files.AddRange(dir.EnumerateFiles("*", SearchOption.AllDirectories)
                    .Where(f => !f.Name.StartsWith('.'))
                    .Select(f => (f, Path.GetRelativePath(dir.FullName, f.FullName).Replace('\\', '/'))));
            }
            else if (input is FileInfo file)
            {
                files.Add((file, file.Name));
            }
        }
        return files.OrderBy(f => f.Item1.Name.Equals("experiment.json", StringComparison.OrdinalIgnoreCase) ? 0 : 1)
            .ThenBy(f => f.Item2, StringComparer.Ordinal).ToList();
    }

    /// <summary>Uploads one file; returns false if the blob already had this content.</summary>
    public async Task<bool> UploadAsync(FileInfo file, string blobName, CancellationToken ct)
    {
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
        var info = (await blob.UploadAsync(new BinaryData(bytes), new BlobUploadOptions { ContentType = "application/octet-stream" }, ct)).Value;
        string json = BlobCreatedEvent.For("raw", blobName, blob.Uri, info.ETag.ToString(), bytes.LongLength, "application/octet-stream", DateTimeOffset.UtcNow).ToJson();
        await _events.SendMessageAsync(json, cancellationToken: ct);
        return true;
    }
}
