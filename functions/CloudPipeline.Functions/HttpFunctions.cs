using Azure.Storage.Blobs;
using CloudPipeline.Pipeline.Api;
using CloudPipeline.Pipeline.Campaigns;
using CloudPipeline.Pipeline.Catalog;
using CloudPipeline.Pipeline.Consortium;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace CloudPipeline.Functions;

/// <summary>
/// The HTTP API: one trigger per route of <see cref="PipelineApi.Routes"/>, each calling its shared handler with the
/// caller's <see cref="AccessScope"/>, which <see cref="ApiAuthenticationMiddleware"/> established before the function ran.
/// </summary>
public sealed class HttpFunctions(DatasetCatalog catalog, BlobServiceClient blobs, AlgorithmVersionsTable algorithms, CampaignPlanner planner, ReanalysisCampaigns campaigns,
    StorageSas sas, SiteRegistry sites, ApiKeys keys, Shares shares, AuditLog audit, TimeProvider time, IOptions<AuthOptions> auth)
{
    private static AccessScope Scope(HttpRequest request) => AccessScope.From(request.HttpContext);

    private static string? Q(HttpRequest request, string name) => request.Query[name];

    /// <summary>GET /health.</summary>
    [Function("Health")]
    public IResult Health([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request) => PipelineApi.Health();

    /// <summary>GET /api/datasets.</summary>
    [Function("ListDatasets")]
    public async Task<IResult> ListDatasetsAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/datasets")] HttpRequest request, CancellationToken ct) =>
        (await PipelineApi.ListDatasetsAsync(Scope(request), catalog, Q(request, "site"), Q(request, "experiment"), ct)).Result;

    /// <summary>GET /api/experiments.</summary>
    [Function("ListExperiments")]
    public async Task<IResult> ListExperimentsAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/experiments")] HttpRequest request, CancellationToken ct) =>
        await PipelineApi.ListExperimentsAsync(Scope(request), catalog, Q(request, "site"), ct);

    /// <summary>GET /api/instances/{instanceId}.</summary>
    [Function("GetInstance")]
    public async Task<IResult> GetInstanceAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/instances/{instanceId}")] HttpRequest request,
        string instanceId,
        [DurableClient] DurableTaskClient durable,
        CancellationToken ct) =>
        (await PipelineApi.GetInstanceAsync(Scope(request), durable, instanceId, ct)).Result;

    /// <summary>GET /api/results.</summary>
    [Function("ListResults")]
    public async Task<IResult> ListResultsAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/results")] HttpRequest request, CancellationToken ct) =>
        (await PipelineApi.ListResultsAsync(Scope(request), catalog, Q(request, "site"), Q(request, "experiment"),
            bool.TryParse(request.Query["latest"], out bool latest) ? latest : null, ct)).Result;

    /// <summary>GET /api/diff.</summary>
    [Function("DiffResults")]
    public async Task<IResult> DiffResultsAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/diff")] HttpRequest request, CancellationToken ct) =>
        (await PipelineApi.DiffResultsAsync(Scope(request), catalog, Q(request, "site"), Q(request, "experiment"), Q(request, "from"), Q(request, "to"), ct)).Result;

    /// <summary>GET /api/algorithms.</summary>
    [Function("ListAlgorithms")]
    public async Task<IResult> ListAlgorithmsAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/algorithms")] HttpRequest request, CancellationToken ct) =>
        await PipelineApi.ListAlgorithmsAsync(Scope(request), algorithms, ct);

    /// <summary>GET /api/artifacts.</summary>
    [Function("ListArtifacts")]
    public async Task<IResult> ListArtifactsAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/artifacts")] HttpRequest request, CancellationToken ct) =>
        (await PipelineApi.ListArtifactsAsync(Scope(request), blobs, sas, Q(request, "site"), Q(request, "experiment"), ct)).Result;

    /// <summary>GET /api/artifacts/{path}.</summary>
    [Function("GetArtifact")]
    public async Task<IResult> GetArtifactAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/artifacts/{*path}")] HttpRequest request, string path, CancellationToken ct) =>
        (await PipelineApi.GetArtifactAsync(Scope(request), blobs, sas, path, ct)).Result;

    /// <summary>GET /api/campaigns/{stage}/plan.</summary>
    [Function("PlanCampaign")]
    public async Task<IResult> PlanCampaignAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/campaigns/{stage}/plan")] HttpRequest request, string stage,
        CancellationToken ct) =>
        (await PipelineApi.PlanCampaignAsync(Scope(request), planner, stage, Q(request, "site"), Q(request, "experiment"), ct)).Result;

    /// <summary>POST /api/campaigns/{stage}.</summary>
    [Function("StartCampaign")]
    public async Task<IResult> StartCampaignAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/campaigns/{stage}")] HttpRequest request, string stage,
        [DurableClient] DurableTaskClient durable, CancellationToken ct) =>
        (await PipelineApi.StartCampaignAsync(Scope(request), planner, campaigns, durable, stage, Q(request, "site"), Q(request, "experiment"), ct)).Result;

    /// <summary>GET /api/campaigns/{stage}.</summary>
    [Function("GetCampaign")]
    public async Task<IResult> GetCampaignAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/campaigns/{stage}")] HttpRequest request, string stage,
        [DurableClient] DurableTaskClient durable, CancellationToken ct) =>
        (await PipelineApi.GetCampaignAsync(Scope(request), durable, stage, ct)).Result;

    /// <summary>DELETE /api/campaigns/{stage}.</summary>
    [Function("CancelCampaign")]
    public async Task<IResult> CancelCampaignAsync([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/campaigns/{stage}")] HttpRequest request, string stage,
        [DurableClient] DurableTaskClient durable, CancellationToken ct) =>
        (await PipelineApi.CancelCampaignAsync(Scope(request), campaigns, durable, stage, ct)).Result;

    /// <summary>GET /api/sites.</summary>
    [Function("ListSites")]
    public async Task<IResult> ListSitesAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/sites")] HttpRequest request, CancellationToken ct) =>
        await ConsortiumApi.ListSitesAsync(Scope(request), sites, ct);

    /// <summary>POST /api/sites.</summary>
    [Function("AddSite")]
    public async Task<IResult> AddSiteAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/sites")] HttpRequest request, CancellationToken ct) =>
        await Body<ConsortiumApi.SiteRequest>(request, ct) is { } body
            ? (await ConsortiumApi.AddSiteAsync(Scope(request), sites, audit, time, body, ct)).Result
            : BadBody<ConsortiumApi.SiteRequest>();

    /// <summary>GET /api/sites/{site}/keys.</summary>
    [Function("ListKeys")]
    public async Task<IResult> ListKeysAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/sites/{site}/keys")] HttpRequest request, string site, CancellationToken ct) =>
        (await ConsortiumApi.ListKeysAsync(Scope(request), keys, site, ct)).Result;

    /// <summary>POST /api/sites/{site}/keys.</summary>
    [Function("CreateKey")]
    public async Task<IResult> CreateKeyAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/sites/{site}/keys")] HttpRequest request, string site, CancellationToken ct) =>
        await Body<ConsortiumApi.KeyRequest>(request, ct) is { } body
            ? (await ConsortiumApi.CreateKeyAsync(Scope(request), keys, sites, audit, auth, site, body, ct)).Result
            : BadBody<ConsortiumApi.KeyRequest>();

    /// <summary>DELETE /api/sites/{site}/keys/{keyId}.</summary>
    [Function("RevokeKey")]
    public async Task<IResult> RevokeKeyAsync([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/sites/{site}/keys/{keyId}")] HttpRequest request, string site, string keyId,
        CancellationToken ct) =>
        (await ConsortiumApi.RevokeKeyAsync(Scope(request), keys, audit, site, keyId, ct)).Result;

    /// <summary>GET /api/shares.</summary>
    [Function("ListShares")]
    public async Task<IResult> ListSharesAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/shares")] HttpRequest request, CancellationToken ct) =>
        await ConsortiumApi.ListSharesAsync(Scope(request), shares, ct);

    /// <summary>POST /api/shares.</summary>
    [Function("GrantShare")]
    public async Task<IResult> GrantShareAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/shares")] HttpRequest request, CancellationToken ct) =>
        await Body<ConsortiumApi.ShareRequest>(request, ct) is { } body
            ? (await ConsortiumApi.GrantShareAsync(Scope(request), shares, sites, audit, body, ct)).Result
            : BadBody<ConsortiumApi.ShareRequest>();

    /// <summary>DELETE /api/shares.</summary>
    [Function("RevokeShare")]
    public async Task<IResult> RevokeShareAsync([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/shares")] HttpRequest request, CancellationToken ct) =>
        (await ConsortiumApi.RevokeShareAsync(Scope(request), shares, sites, audit, Q(request, "experiment"), Q(request, "technique"), Q(request, "with"), ct)).Result;

    /// <summary>GET /api/audit.</summary>
    [Function("ListAudit")]
    public async Task<IResult> ListAuditAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/audit")] HttpRequest request, CancellationToken ct) =>
        (await ConsortiumApi.ListAuditAsync(Scope(request), audit, Q(request, "site"),
            DateTimeOffset.TryParse(request.Query["since"], System.Globalization.CultureInfo.InvariantCulture, out var since) ? since : null,
            int.TryParse(request.Query["top"], out int top) ? top : null, ct)).Result;

    /// <summary>GET /api/consortium/results.</summary>
    [Function("ConsortiumResults")]
    public async Task<IResult> ConsortiumResultsAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/consortium/results")] HttpRequest request, CancellationToken ct) =>
        (await ConsortiumApi.ConsortiumResultsAsync(Scope(request), catalog, Q(request, "technique"), Q(request, "quantity"), ct)).Result;

    /// <summary>POST /api/uploads/{experiment}/{path}.</summary>
    [Function("GrantUpload")]
    public async Task<IResult> GrantUploadAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/uploads/{experiment}/{*path}")] HttpRequest request, string experiment,
        string path, CancellationToken ct) =>
        (await ConsortiumApi.GrantUploadAsync(Scope(request), sas, experiment, path, Q(request, "site"), ct)).Result;

    private static async Task<T?> Body<T>(HttpRequest request, CancellationToken ct) where T : class
    {
        try
        {
            return await request.ReadFromJsonAsync<T>(ct);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static IResult BadBody<T>() => TypedResults.BadRequest(new PipelineApi.ProblemView($"The body is not a JSON {typeof(T).Name}."));
}

/// <summary>
/// Authenticates every HTTP-triggered function but those of <see cref="PipelineApi.Anonymous"/> before it runs (the same
/// <see cref="ApiAuthentication"/> step as the local host's), answering 401 itself when the request has no valid credential.
/// </summary>
public sealed class ApiAuthenticationMiddleware : IFunctionsWorkerMiddleware
{
    /// <inheritdoc/>
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        if (context.GetHttpContext() is { } http && PipelineApi.Routes.ContainsKey(context.FunctionDefinition.Name) && !PipelineApi.Anonymous.Contains(context.FunctionDefinition.Name))
        {
            var authentication = http.RequestServices.GetService(typeof(ApiAuthentication)) as ApiAuthentication
                ?? throw new InvalidOperationException("ApiAuthentication is not registered.");
            var (_, failure) = await authentication.AuthenticateAsync(http, context.CancellationToken);
            if (failure is not null)
            {
                await ApiAuthentication.Challenge(failure).ExecuteAsync(http);
                return;
            }
        }
        await next(context);
    }
}
