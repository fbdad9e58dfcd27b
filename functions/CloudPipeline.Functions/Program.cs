using CloudPipeline.Pipeline;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

// The Azure Functions isolated worker: the pipeline's services, and the functions in this project that bind
// each trigger to them. In Azure, storage is identity-based (CloudPipeline__Storage__AccountName, ClientId).
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddPipeline(builder.Configuration);
builder.Build().Run();
