using Azure;
using Azure.Core;
using CloudPipeline.Storage.Internal;

namespace CloudPipeline.Storage.Queues;

/// <summary>Entry point to a storage account's Queue service. Immutable and safe to share between threads.</summary>
public class QueueServiceClient
{
    private readonly ServiceConnection _connection;

    /// <summary>Connects with a connection string.</summary>
    public QueueServiceClient(string connectionString, StorageClientOptions? options = null)
        => _connection = ServiceConnection.FromConnectionString(connectionString, StorageService.Queue, options);

    /// <summary>Connects with an Entra ID token.</summary>
    public QueueServiceClient(Uri serviceUri, TokenCredential credential, StorageClientOptions? options = null)
        => _connection = ServiceConnection.FromToken(serviceUri, credential, StorageService.Queue, options);

    /// <summary>Connects with an account key.</summary>
    public QueueServiceClient(Uri serviceUri, AzureNamedKeyCredential credential, StorageClientOptions? options = null)
        => _connection = ServiceConnection.FromSharedKey(serviceUri, credential, StorageService.Queue, options);

    /// <summary>For mocking frameworks only.</summary>
    protected QueueServiceClient() => _connection = null!;

    /// <summary>The service endpoint.</summary>
    public virtual Uri Uri => _connection.Endpoint;

    /// <summary>A client for one queue; no request is made.</summary>
    public virtual QueueClient GetQueueClient(string queueName) => new(_connection, queueName);
}
