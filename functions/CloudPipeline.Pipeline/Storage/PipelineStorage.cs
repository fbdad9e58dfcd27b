using CloudPipeline.Contracts;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.DependencyInjection;

namespace CloudPipeline.Pipeline.Storage;

/// <summary>Registers the Azure SDK clients of the pipeline's storage account, once per host.</summary>
public static class PipelineStorage
{
    /// <summary>
    /// Registers <see cref="BlobServiceClient"/>, <see cref="QueueServiceClient"/> and <see cref="TableServiceClient"/>
    /// with Microsoft.Extensions.Azure: from the connection string, or, when <see cref="StorageSettings.AccountName"/>
    /// is set, identity-based (the account's public endpoints with <c>DefaultAzureCredential</c>). Queue messages are
    /// Base64, as the Functions queue trigger expects.
    /// Transient failures (408, 429, 5xx, connection faults) are retried by the SDK briefly: <see cref="SdkRetries"/>
    /// retries, exponential from <see cref="SdkRetryDelay"/> with jitter, so one call gives up within a few seconds.
    /// Longer outages are the callers' business: an activity fails and Durable Task's retry policy runs it again
    /// after a durable timer (which holds no worker), the event listener leaves the message for redelivery.
    /// (The storage SDK's own default is 5 retries with up to 30 s between them: about half a minute of one
    /// activity blocking a worker slot before the orchestration even learns of the fault.)
    /// </summary>
    public static IServiceCollection AddPipelineStorage(this IServiceCollection services, StorageSettings settings)
    {
        services.AddAzureClients(clients =>
        {
            if (settings.AccountName is { Length: > 0 } account)
            {
                clients.AddBlobServiceClient(new Uri($"https://{account}.blob.core.windows.net"));
                clients.AddQueueServiceClient(new Uri($"https://{account}.queue.core.windows.net"))
                    .ConfigureOptions(o => o.MessageEncoding = QueueMessageEncoding.Base64);
                clients.AddTableServiceClient(new Uri($"https://{account}.table.core.windows.net"));
                clients.UseCredential(new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = settings.ClientId }));
            }
            else
            {
                clients.AddBlobServiceClient(settings.ConnectionString);
                clients.AddQueueServiceClient(settings.ConnectionString).ConfigureOptions(o => o.MessageEncoding = QueueMessageEncoding.Base64);
                clients.AddTableServiceClient(settings.ConnectionString);
            }
            clients.ConfigureDefaults(o =>
            {
                o.Retry.Mode = RetryMode.Exponential;
                o.Retry.MaxRetries = SdkRetries;
                o.Retry.Delay = SdkRetryDelay;
                o.Retry.MaxDelay = TimeSpan.FromSeconds(4);
            });
        });
        return services;
    }

    /// <summary>Retries of one storage call by the SDK: 3.</summary>
    public const int SdkRetries = 3;

    /// <summary>The SDK's first retry delay (doubling, with jitter, at most 4 s): 0.5 s.</summary>
    public static readonly TimeSpan SdkRetryDelay = TimeSpan.FromSeconds(0.5);

    /// <summary>Creates the pipeline's containers, queues and tables where they are missing.</summary>
    public static async Task EnsureLayoutAsync(BlobServiceClient blobs, QueueServiceClient queues, TableServiceClient tables, CancellationToken ct)
    {
        await Task.WhenAll(
            StorageLayout.Containers.Select(name => (Task)blobs.GetBlobContainerClient(name).CreateIfNotExistsAsync(cancellationToken: ct))
                .Concat(StorageLayout.Queues.Select(name => (Task)queues.GetQueueClient(name).CreateIfNotExistsAsync(cancellationToken: ct)))
                .Concat(StorageLayout.Tables.Select(name => (Task)tables.GetTableClient(name).CreateIfNotExistsAsync(ct)))).ConfigureAwait(false);
    }
}
