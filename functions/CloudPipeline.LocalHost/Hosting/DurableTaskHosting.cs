using System.Net;
using System.Net.Sockets;
using Azure.Identity;
using CloudPipeline.Pipeline;
using CloudPipeline.Pipeline.Orchestrations;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.Options;

namespace CloudPipeline.LocalHost.Hosting;

/// <summary>
/// The local host's Durable Task engine. Orchestrations and activities run on the Durable Task Framework's
/// <see cref="TaskHubWorker"/> over <see cref="AzureStorageOrchestrationService"/> (the engine under Durable
/// Functions), the pipeline's <c>TaskOrchestrator</c>/<c>TaskActivity</c> classes wrapped by the SDK's shims.
/// Clients (ingestion, the API) use the standard <see cref="DurableTaskClient"/> over gRPC, served on a loopback
/// port by the Durable Task SDK's sidecar in API-only mode on the same storage provider, so the pipeline talks to
/// Durable Task exactly as it does in the Functions app. Why this split: docs/ARCHITECTURE.md, "The local host".
/// </summary>
internal static partial class DurableTaskHosting
{
    /// <summary>Registers the engine, the worker and the client; <paramref name="grpcPort"/> gets a loopback HTTP/2 endpoint.</summary>
    public static void AddLocalDurableTask(this WebApplicationBuilder builder, int grpcPort)
    {
        var services = builder.Services;
        services.AddSingleton(sp =>
        {
            var host = sp.GetRequiredService<IOptions<LocalHostOptions>>().Value;
            var storage = sp.GetRequiredService<IOptions<PipelineOptions>>().Value.Storage;
            var provider = storage.AccountName is { Length: > 0 } account
                ? new StorageAccountClientProvider(account, new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = storage.ClientId }))
                : new StorageAccountClientProvider(storage.ConnectionString);
            return new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
            {
                StorageAccountClientProvider = provider,
                TaskHubName = host.TaskHub,
                PartitionCount = host.PartitionCount,
                MaxConcurrentTaskActivityWorkItems = host.MaxConcurrentActivities,
                MaxConcurrentTaskOrchestrationWorkItems = host.MaxConcurrentOrchestrations,
                MaxQueuePollingInterval = host.MaxQueuePollingInterval,
                WorkItemQueueVisibilityTimeout = host.VisibilityTimeout,
                ControlQueueVisibilityTimeout = host.VisibilityTimeout,
                LeaseInterval = host.LeaseInterval,
                LeaseRenewInterval = host.LeaseInterval / 3,
                ExtendedSessionsEnabled = host.ExtendedSessionIdleTimeout > TimeSpan.Zero,
                ExtendedSessionIdleTimeout = host.ExtendedSessionIdleTimeout > TimeSpan.Zero ? host.ExtendedSessionIdleTimeout : TimeSpan.FromSeconds(30),
                // Instance-table writes carry the ETag the episode read. Without it, a host that loses a partition while
                // it commits an episode can write "Running" over the "Completed" that the partition's new owner has
                // just written for the next episode; the instance then reads Running for ever although its history
                // has ended (seen in the three-host scale-out test; durabletask issue 1252 and the setting's remarks).
                UseInstanceTableEtag = true,
                LoggerFactory = sp.GetRequiredService<ILoggerFactory>(),
            });
        });
        services.AddSingleton<IOrchestrationService>(sp => sp.GetRequiredService<AzureStorageOrchestrationService>());
        services.AddSingleton<IOrchestrationServiceClient>(sp => sp.GetRequiredService<AzureStorageOrchestrationService>());
        services.AddHostedService<OrchestrationWorkerService>();

        // The client API (start, raise, query) over gRPC on loopback; the worker above does the dispatching.
        services.AddGrpc();
        services.Configure<TaskHubGrpcServerOptions>(o => o.Mode = TaskHubGrpcServerMode.ApiServerOnly);
        services.AddSingleton<TaskHubGrpcServer>();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, grpcPort, l => l.Protocols = HttpProtocols.Http2));
        var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
        services.AddDurableTaskClient(b => b.UseGrpc(channel));
    }

    /// <summary>A free loopback port for the gRPC endpoint.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Runs the task hub worker for the host's lifetime.</summary>
    private sealed partial class OrchestrationWorkerService(AzureStorageOrchestrationService service, IOptions<LocalHostOptions> options, IServiceProvider services, ILoggerFactory loggers, ILogger<OrchestrationWorkerService> logger)
        : IHostedService
    {
        private TaskHubWorker? _worker;

        public async Task StartAsync(CancellationToken cancellationToken)
        {
            await service.CreateIfNotExistsAsync();
            var shims = new DurableTaskShimFactory(new DurableTaskWorkerOptions(), loggers);
            var worker = new TaskHubWorker(service, loggers);
            foreach (var (name, type) in PipelineTasks.Orchestrators)
            {
                worker.AddTaskOrchestrations(new Creator<TaskOrchestration>(name,
                    () => shims.CreateOrchestration(name, (ITaskOrchestrator)ActivatorUtilities.CreateInstance(services, type))));
            }
            foreach (var (name, type) in PipelineTasks.Activities)
            {
                worker.AddTaskActivities(new Creator<DurableTask.Core.TaskActivity>(name,
                    () => shims.CreateActivity(name, (ITaskActivity)services.GetRequiredService(type))));
            }
            await worker.StartAsync();
            _worker = worker;
            LogStarted(options.Value.TaskHub, PipelineTasks.Orchestrators.Count, PipelineTasks.Activities.Count);
        }

        public async Task StopAsync(CancellationToken cancellationToken)
        {
            if (_worker is { } worker)
            {
                _worker = null;
                // A graceful stop waits for the work in hand; the host's shutdown timeout bounds that wait (with
                // storage unreachable the worker would otherwise wait for ever).
                try
                {
                    await worker.StopAsync(isForced: false).WaitAsync(cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    await worker.StopAsync(isForced: true).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }
            }
        }

        [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Task hub '{TaskHub}' worker started: {Orchestrations} orchestrations, {Activities} activities.")]
        private partial void LogStarted(string taskHub, int orchestrations, int activities);
    }

    /// <summary>Creates one orchestration or activity object per execution under a fixed name (version "").</summary>
    private sealed class Creator<T> : ObjectCreator<T>
    {
        private readonly Func<T> _create;

        public Creator(string name, Func<T> create)
        {
            Name = name;
            Version = "";
            _create = create;
        }

        public override T Create() => _create();
    }
}
