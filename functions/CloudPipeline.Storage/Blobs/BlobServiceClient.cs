using Azure;
using Azure.Core;
using CloudPipeline.Storage.Internal;

namespace CloudPipeline.Storage.Blobs;

/// <summary>Entry point to a storage account's Blob service. Immutable and safe to share between threads.</summary>
public class BlobServiceClient
{
    internal ServiceConnection Connection { get; }

    /// <summary>Connects with a connection string (development storage, account key or SAS).</summary>
    public BlobServiceClient(string connectionString, StorageClientOptions? options = null)
        : this(ServiceConnection.FromConnectionString(connectionString, StorageService.Blob, options))
    {
    }

    /// <summary>Connects with an account key.</summary>
    public BlobServiceClient(Uri serviceUri, AzureNamedKeyCredential credential, StorageClientOptions? options = null)
        : this(ServiceConnection.FromSharedKey(serviceUri, credential, StorageService.Blob, options))
    {
    }

    /// <summary>Connects with a shared access signature.</summary>
    public BlobServiceClient(Uri serviceUri, AzureSasCredential credential, StorageClientOptions? options = null)
        : this(ServiceConnection.FromSas(serviceUri, credential, StorageService.Blob, options))
    {
    }

    /// <summary>Connects with an Entra ID token (e.g. managed identity through Azure.Identity).</summary>
    public BlobServiceClient(Uri serviceUri, TokenCredential credential, StorageClientOptions? options = null)
        : this(ServiceConnection.FromToken(serviceUri, credential, StorageService.Blob, options))
    {
    }

    internal BlobServiceClient(ServiceConnection connection) => Connection = connection;

    /// <summary>For mocking frameworks only.</summary>
    protected BlobServiceClient() => Connection = null!;

    /// <summary>The service endpoint.</summary>
    public virtual Uri Uri => Connection.Endpoint;

    /// <summary>The storage account name.</summary>
    public virtual string AccountName => Connection.AccountName;

    /// <summary>A client for one container; no request is made.</summary>
    public virtual BlobContainerClient GetBlobContainerClient(string containerName) => new(Connection, containerName);
}
