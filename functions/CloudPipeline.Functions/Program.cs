using CloudPipeline.Functions.Hosting;
using CloudPipeline.Storage;
using CloudPipeline.Storage.Blobs;
using CloudPipeline.Storage.Queues;
using CloudPipeline.Storage.Tables;
using Microsoft.Extensions.Options;

var builder = WebApplication.CreateBuilder(args);
builder.Services.Configure<PipelineOptions>(builder.Configuration.GetSection(PipelineOptions.Section));

// Order matters: hosted services start in registration order, so storage exists before anything uses it.
builder.Services.AddHostedService<EmbeddedAzuriteService>();
builder.Services.AddSingleton(sp => new BlobServiceClient(ConnectionString(sp)));
builder.Services.AddSingleton(sp => new QueueServiceClient(ConnectionString(sp)));
builder.Services.AddSingleton(sp => new TableServiceClient(ConnectionString(sp)));
builder.Services.AddHostedService<StorageBootstrapService>();

var app = builder.Build();
app.MapGet("/health", () => TypedResults.Ok(new { status = "ok" }));
await app.RunAsync();

static string ConnectionString(IServiceProvider services) =>
    services.GetRequiredService<IOptions<PipelineOptions>>().Value.Storage.ConnectionString;
