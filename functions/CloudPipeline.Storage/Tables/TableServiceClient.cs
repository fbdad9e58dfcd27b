using Azure;
using Azure.Core;
using CloudPipeline.Storage.Internal;

namespace CloudPipeline.Storage.Tables;

/// <summary>Entry point to a storage account's Table service. Immutable and safe to share between threads.</summary>
public class TableServiceClient
{
    private readonly ServiceConnection _connection;

    /// <summary>Connects with a connection string.</summary>
    public TableServiceClient(string connectionString, StorageClientOptions? options = null)
        => _connection = ServiceConnection.FromConnectionString(connectionString, StorageService.Table, options);

    /// <summary>Connects with an account key.</summary>
    public TableServiceClient(Uri serviceUri, AzureNamedKeyCredential credential, StorageClientOptions? options = null)
        => _connection = ServiceConnection.FromSharedKey(serviceUri, credential, StorageService.Table, options);

    /// <summary>Connects with an Entra ID token.</summary>
    public TableServiceClient(Uri serviceUri, TokenCredential credential, StorageClientOptions? options = null)
        => _connection = ServiceConnection.FromToken(serviceUri, credential, StorageService.Table, options);

    /// <summary>For mocking frameworks only.</summary>
    protected TableServiceClient() => _connection = null!;

    /// <summary>The service endpoint.</summary>
    public virtual Uri Uri => _connection.Endpoint;

    /// <summary>A client for one table; no request is made.</summary>
    public virtual TableClient GetTableClient(string tableName) => new(_connection, tableName);
}
