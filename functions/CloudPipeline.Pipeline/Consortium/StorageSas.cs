using Azure.Storage.Blobs;
using Azure.Storage.Sas;
using CloudPipeline.Contracts;
using Microsoft.Extensions.Options;

namespace CloudPipeline.Pipeline.Consortium;

/// <summary>A SAS link and until when it works.</summary>
/// <param name="Uri">The blob's URL with the SAS.</param>
/// <param name="BlobName">The blob it is for (in its container).</param>
/// <param name="ExpiresOn">When it stops working.</param>
public sealed record SasLink(Uri Uri, string BlobName, DateTimeOffset ExpiresOn);

/// <summary>
/// Issues the SAS links the API hands out, only after the caller's access was checked: an upload link that may create
/// and write one blob under <c>raw/{site}/</c> (no read, no list, no delete), and a short-lived read link to one
/// artifact. Signed with the account key where the host has one (Azurite, a connection string), else with a user
/// delegation key obtained with the host's managed identity (it needs the Storage Blob Delegator role).
/// Blob Storage has no prefix-scoped SAS on an account without a hierarchical namespace, and Azurite has none at all,
/// so an upload link names one blob: an instrument PC asks for one per file, with its site's key.
/// </summary>
public sealed class StorageSas(BlobServiceClient blobs, TimeProvider time, IOptions<AuthOptions> options)
{
    /// <summary>A link that may create and write <c>raw/{site}/{experiment}/{path}</c> until <see cref="AuthOptions.UploadSasLifetime"/> from now.</summary>
    public Task<SasLink> UploadAsync(string site, string experiment, string path, CancellationToken ct) =>
        SignAsync(StorageLayout.RawContainer, $"{site}/{experiment}/{path}", BlobSasPermissions.Create | BlobSasPermissions.Write, options.Value.UploadSasLifetime, ct);

    /// <summary>A link that may read one artifact until <see cref="AuthOptions.ArtifactSasLifetime"/> from now.</summary>
    public Task<SasLink> ReadArtifactAsync(string name, CancellationToken ct) =>
        SignAsync(StorageLayout.ArtifactsContainer, name, BlobSasPermissions.Read, options.Value.ArtifactSasLifetime, ct);

    private async Task<SasLink> SignAsync(string container, string name, BlobSasPermissions permissions, TimeSpan lifetime, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var expires = now + lifetime;
        var blob = blobs.GetBlobContainerClient(container).GetBlobClient(name);
        // Start a little in the past: clocks of client, host and storage differ by seconds.
        var builder = new BlobSasBuilder(permissions, expires) { BlobContainerName = container, BlobName = name, Resource = "b", StartsOn = now.AddMinutes(-2) };
        if (blob.CanGenerateSasUri)
        {
            return new SasLink(blob.GenerateSasUri(builder), name, expires);
        }
        var key = (await blobs.GetUserDelegationKeyAsync(new Azure.Storage.Blobs.Models.BlobGetUserDelegationKeyOptions(expires) { StartsOn = now.AddMinutes(-2) }, ct).ConfigureAwait(false)).Value;
        var uri = new BlobUriBuilder(blob.Uri) { Sas = builder.ToSasQueryParameters(key, blobs.AccountName) }.ToUri();
        return new SasLink(uri, name, expires);
    }
}
