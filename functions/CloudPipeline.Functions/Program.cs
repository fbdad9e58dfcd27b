using CloudPipeline.Core.Formats;
using CloudPipeline.Durable;
using CloudPipeline.Functions.Activities;
using CloudPipeline.Functions.Api;
using CloudPipeline.Functions.Catalog;
using CloudPipeline.Functions.Hosting;
using CloudPipeline.Functions.Ingestion;
using CloudPipeline.Functions.Orchestrations;
using CloudPipeline.Functions.Timers;
using CloudPipeline.Storage.Blobs;
using CloudPipeline.Storage.Queues;
using CloudPipeline.Storage.Tables;
using Microsoft.Extensions.Options;

var builder = WebApplication.CreateBuilder(args);
var services = builder.Services;
services.Configure<PipelineOptions>(builder.Configuration.GetSection(PipelineOptions.Section));
services.AddSingleton(TimeProvider.System);
// Results may hold NaN (text-only rows); write it as a JSON string rather than failing the response.
services.ConfigureHttpJsonOptions(o =>
{
    o.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals;
    o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter());
});

// Hosted services start in registration order: storage (and Azurite) exist before any function polls.
services.AddHostedService<EmbeddedAzuriteService>();
services.AddSingleton(sp => new BlobServiceClient(ConnectionString(sp)));
services.AddSingleton(sp => new QueueServiceClient(ConnectionString(sp)));
services.AddSingleton(sp => new TableServiceClient(ConnectionString(sp)));
services.AddHostedService<StorageBootstrapService>();

services.AddSingleton(FormatRegistry.Default);
services.AddSingleton<DatasetCatalog>();
services.AddSingleton<ArtifactStore>();
services.AddSingleton(sp =>
{
    var options = sp.GetRequiredService<IOptions<PipelineOptions>>().Value;
    return DurableClient.Create(options.Storage.ConnectionString, PipelineOrchestrations.All(options.ExperimentInputTimeout), new DurableOptions
    {
        TableName = StorageLayout.OrchestrationsTable,
        WorkQueueName = StorageLayout.WorkItemsQueue,
        PoisonQueueName = StorageLayout.WorkItemsPoisonQueue,
        PayloadContainerName = StorageLayout.DurablePayloadsContainer,
        MaxConcurrentWorkItems = options.MaxConcurrentWorkItems,
        TimeProvider = sp.GetRequiredService<TimeProvider>(),
    });
});
services.AddSingleton<IActivity, ValidateDatasetActivity>();
services.AddSingleton<IActivity, MriDriftActivity>();
services.AddSingleton<IActivity, EisActivity>();
services.AddSingleton<DatasetIngestor>();

// Functions, one trigger each.
services.AddHostedService<BlobEventsFunction>();
services.AddHostedService<DurableWorkerService>();
if (builder.Configuration.GetValue(PipelineOptions.Section + ":ChangeDetectorEnabled", true))
{
    services.AddSingleton<ITimerFunction, ChangeDetectorFunction>();
}
services.AddHostedService<TimerTriggerService>();

var app = builder.Build();
app.MapPipelineApi();
await app.RunAsync();

static string ConnectionString(IServiceProvider services) =>
    services.GetRequiredService<IOptions<PipelineOptions>>().Value.Storage.ConnectionString;
