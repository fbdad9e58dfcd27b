using System.Net;
using CloudPipeline.Core.Numerics;
using CloudPipeline.LocalHost.Hosting;
using CloudPipeline.Pipeline;
using CloudPipeline.Pipeline.Api;
using CloudPipeline.Pipeline.Consortium;
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
services.AddHostedService<OperatorKeyService>();
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
app.Use(ApiAuthentication.Middleware);
app.MapGet("/" + PipelineApi.Routes["Health"].Template, PipelineApi.Health);
// Every other route: authenticated first (ApiAuthentication), then the handler with the caller's AccessScope.
var secured = app.MapGroup("/").WithMetadata(ApiAuthentication.RequiresCaller.Instance);
void Map(string name, Delegate handler)
{
    var route = PipelineApi.Routes[name];
    string template = route.Template.Replace("{*", "{**", StringComparison.Ordinal);
    secured.MapMethods(template, [route.Method.ToUpperInvariant()], handler).WithName(name);
}
Map("ListDatasets", PipelineApi.ListDatasetsAsync);
Map("ListExperiments", PipelineApi.ListExperimentsAsync);
Map("GetInstance", PipelineApi.GetInstanceAsync);
Map("ListResults", PipelineApi.ListResultsAsync);
Map("DiffResults", PipelineApi.DiffResultsAsync);
Map("ListAlgorithms", PipelineApi.ListAlgorithmsAsync);
Map("ListArtifacts", PipelineApi.ListArtifactsAsync);
Map("GetArtifact", PipelineApi.GetArtifactAsync);
Map("PlanCampaign", PipelineApi.PlanCampaignAsync);
Map("StartCampaign", PipelineApi.StartCampaignAsync);
Map("GetCampaign", PipelineApi.GetCampaignAsync);
Map("CancelCampaign", PipelineApi.CancelCampaignAsync);
Map("ListSites", ConsortiumApi.ListSitesAsync);
Map("AddSite", ConsortiumApi.AddSiteAsync);
Map("ListKeys", ConsortiumApi.ListKeysAsync);
Map("CreateKey", ConsortiumApi.CreateKeyAsync);
Map("RevokeKey", ConsortiumApi.RevokeKeyAsync);
Map("ListShares", ConsortiumApi.ListSharesAsync);
Map("GrantShare", ConsortiumApi.GrantShareAsync);
Map("RevokeShare", ConsortiumApi.RevokeShareAsync);
Map("ListAudit", ConsortiumApi.ListAuditAsync);
Map("ConsortiumResults", ConsortiumApi.ConsortiumResultsAsync);
Map("GrantUpload", ConsortiumApi.GrantUploadAsync);
app.Lifetime.ApplicationStarted.Register(() => app.Logger.LogInformation("CloudPipeline local host ready: API on {Api}", api));
await app.RunAsync();
