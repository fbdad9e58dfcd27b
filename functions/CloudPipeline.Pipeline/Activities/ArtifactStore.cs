using CloudPipeline.Contracts;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using CloudPipeline.Core.Pipeline;
using CloudPipeline.Pipeline.Storage;

namespace CloudPipeline.Pipeline.Activities;

/// <summary>Writes a stage's artifacts under a prefix of the <c>artifacts</c> container (overwriting: reruns stay idempotent).</summary>
public sealed class ArtifactStore
{
    private readonly BlobContainerClient _artifacts;

    /// <summary>Creates the store.</summary>
    public ArtifactStore(BlobServiceClient blobs) => _artifacts = blobs.GetBlobContainerClient(StorageLayout.ArtifactsContainer);

    /// <summary>Uploads each artifact to <paramref name="prefix"/> + its name.</summary>
    public async Task WriteAsync(string prefix, IEnumerable<Artifact> artifacts, CancellationToken ct)
    {
        foreach (var artifact in artifacts)
        {
            await _artifacts.GetBlobClient(prefix + artifact.Name).UploadAsync(new BinaryData([.. artifact.Bytes]),
                new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = artifact.ContentType } }, ct);
        }
    }
}
