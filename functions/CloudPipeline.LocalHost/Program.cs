using System.Net;
using CloudPipeline.Core.Numerics;
using CloudPipeline.LocalHost.Hosting;
using CloudPipeline.Pipeline;
using CloudPipeline.Pipeline.Api;
using CloudPipeline.Pipeline.Telemetry;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;

// The local host: the same orchestrations, activities, triggers and HTTP routes as the Functions app, on the
// Durable Task Framework's Azure Storage provider, with embedded Azurite by default.
NumericsRuntime.UseSingleThreadedKernels();
var builder = WebApplication.CreateBuilder(args);
var services = builder.Services;
services.Configure<LocalHostOptions>(builder.Configuration.GetSection(LocalHostOptions.Section));
services.Configure<AzuriteSettings>(builder.Configuration.GetSection(AzuriteSettings.Section));
// A stop (Ctrl+C, SIGTERM) waits at most this long for work in hand; unfinished work reappears on the queues.
services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(15));

// Traces: one per upload (docs/ARCHITECTURE.md, "Tracing"); to the console with CloudPipeline:Telemetry:Console=true,
// to an OpenTelemetry collector when OTEL_EXPORTER_OTLP_ENDPOINT is set.
services.AddOpenTelemetry()
    .ConfigureResource(r => r.AddService("cloudpipeline-localhost"))
    .WithTracing(tracing =>
    {
        tracing.AddSource([.. PipelineTelemetry.Sources]);
        if (builder.Configuration.GetValue("CloudPipeline:Telemetry:Console", false))
        {
            tracing.AddConsoleExporter();
        }
        if (!string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            tracing.AddOtlpExporter();
        }
    });

// Hosted services start in registration order: Azurite, then the storage layout, then the engine and the triggers.
services.AddHostedService<EmbeddedAzuriteService>();
services.AddPipeline(builder.Configuration);
services.AddHostedService<StorageBootstrapService>();
services.AddHostedService<CloudPipeline.Pipeline.Catalog.AlgorithmVersionsRecorder>();
builder.AddLocalDurableTask(DurableTaskHosting.FreePort());
services.AddHostedService<BlobEventsListener>();
if (builder.Configuration.GetValue(PipelineOptions.Section + ":" + nameof(PipelineOptions.ChangeDetectorEnabled), true))
{
    services.AddHostedService<ChangeDetectorTimer>();
}
if (!string.IsNullOrWhiteSpace(builder.Configuration[PipelineOptions.Section + ":Reanalysis:Schedule"]))
{
    services.AddHostedService<ReanalysisTimer>();
}

// The HTTP API on the configured URL (loopback by default); Kestrel's explicit endpoints replace "Urls".
var api = new Uri(builder.Configuration["Urls"] ?? "http://127.0.0.1:7071");
builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Parse(api.Host == "localhost" ? "127.0.0.1" : api.Host), api.Port));

var app = builder.Build();
app.MapGrpcService<TaskHubGrpcServer>();
app.MapGet("/" + PipelineApi.Routes["Health"].Template, PipelineApi.Health);
app.MapGet("/" + PipelineApi.Routes["ListDatasets"].Template, PipelineApi.ListDatasetsAsync);
app.MapGet("/" + PipelineApi.Routes["ListExperiments"].Template, PipelineApi.ListExperimentsAsync);
app.MapGet("/" + PipelineApi.Routes["GetInstance"].Template, PipelineApi.GetInstanceAsync);
app.MapGet("/" + PipelineApi.Routes["ListResults"].Template, PipelineApi.ListResultsAsync);
app.MapGet("/" + PipelineApi.Routes["DiffResults"].Template, PipelineApi.DiffResultsAsync);
app.MapGet("/" + PipelineApi.Routes["ListAlgorithms"].Template, PipelineApi.ListAlgorithmsAsync);
app.MapGet("/" + PipelineApi.Routes["ListArtifacts"].Template, PipelineApi.ListArtifactsAsync);
app.MapGet("/" + PipelineApi.Routes["GetArtifact"].Template.Replace("{*path}", "{**path}", StringComparison.Ordinal), PipelineApi.GetArtifactAsync);
app.MapGet("/" + PipelineApi.Routes["PlanCampaign"].Template, PipelineApi.PlanCampaignAsync);
app.MapPost("/" + PipelineApi.Routes["StartCampaign"].Template, PipelineApi.StartCampaignAsync);
app.MapGet("/" + PipelineApi.Routes["GetCampaign"].Template, PipelineApi.GetCampaignAsync);
app.MapDelete("/" + PipelineApi.Routes["CancelCampaign"].Template, PipelineApi.CancelCampaignAsync);
app.Lifetime.ApplicationStarted.Register(() => app.Logger.LogInformation("CloudPipeline local host ready: API on {Api}", api));
await app.RunAsync();
