using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using CloudPipeline.Core.Numerics;
using CloudPipeline.Pipeline;
using CloudPipeline.Pipeline.Telemetry;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Trace;

// The Azure Functions isolated worker: the pipeline's services, and the functions in this project that bind
// each trigger to them. In Azure, storage is identity-based (CloudPipeline__Storage__AccountName, ClientId).
NumericsRuntime.UseSingleThreadedKernels();
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.UseMiddleware<CloudPipeline.Functions.ApiAuthenticationMiddleware>();
builder.Services.AddPipeline(builder.Configuration);
builder.Services.AddHostedService<CloudPipeline.Pipeline.Catalog.AlgorithmVersionsRecorder>();

// Traces (host.json "telemetryMode": "OpenTelemetry"): the worker's trigger spans, the pipeline's and Durable
// Task's, to Application Insights with the app's managed identity when the app has its connection string.
var telemetry = builder.Services.AddOpenTelemetry().UseFunctionsWorkerDefaults()
    .WithTracing(tracing => tracing.AddSource([.. PipelineTelemetry.Sources]));
if (!string.IsNullOrEmpty(builder.Configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"]))
{
    string? clientId = builder.Configuration[PipelineOptions.Section + ":Storage:ClientId"];
    telemetry.WithTracing(tracing => tracing.AddAzureMonitorTraceExporter(o =>
        o.Credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = clientId })));
}
builder.Build().Run();
