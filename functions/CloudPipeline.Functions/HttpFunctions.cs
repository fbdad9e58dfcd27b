using Azure.Storage.Blobs;
using CloudPipeline.Pipeline.Api;
using CloudPipeline.Pipeline.Campaigns;
using CloudPipeline.Pipeline.Catalog;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace CloudPipeline.Functions;

/// <summary>The HTTP API: one trigger per route of <see cref="PipelineApi.Routes"/>, each calling its shared handler.</summary>
public sealed class HttpFunctions(DatasetCatalog catalog, BlobServiceClient blobs, AlgorithmVersionsTable algorithms, CampaignPlanner planner, ReanalysisCampaigns campaigns)
{
    /// <summary>GET /health.</summary>
    [Function("Health")]
    public IResult Health([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request) => PipelineApi.Health();

    /// <summary>GET /api/datasets.</summary>
    [Function("ListDatasets")]
    public async Task<IResult> ListDatasetsAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/datasets")] HttpRequest request, CancellationToken ct) =>
        await PipelineApi.ListDatasetsAsync(catalog, request.Query["site"], request.Query["experiment"], ct);

    /// <summary>GET /api/experiments.</summary>
    [Function("ListExperiments")]
    public async Task<IResult> ListExperimentsAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/experiments")] HttpRequest request, CancellationToken ct) =>
        await PipelineApi.ListExperimentsAsync(catalog, request.Query["site"], ct);

    /// <summary>GET /api/instances/{instanceId}.</summary>
    [Function("GetInstance")]
    public async Task<IResult> GetInstanceAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/instances/{instanceId}")] HttpRequest request,
        string instanceId,
        [DurableClient] DurableTaskClient durable,
        CancellationToken ct) =>
        (await PipelineApi.GetInstanceAsync(durable, instanceId, ct)).Result;

    /// <summary>GET /api/results.</summary>
    [Function("ListResults")]
    public async Task<IResult> ListResultsAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/results")] HttpRequest request, CancellationToken ct) =>
        await PipelineApi.ListResultsAsync(catalog, request.Query["site"], request.Query["experiment"],
            bool.TryParse(request.Query["latest"], out bool latest) ? latest : null, ct);

    /// <summary>GET /api/diff.</summary>
    [Function("DiffResults")]
    public async Task<IResult> DiffResultsAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/diff")] HttpRequest request, CancellationToken ct) =>
        (await PipelineApi.DiffResultsAsync(catalog, request.Query["site"], request.Query["experiment"], request.Query["from"], request.Query["to"], ct)).Result;

    /// <summary>GET /api/algorithms.</summary>
    [Function("ListAlgorithms")]
    public async Task<IResult> ListAlgorithmsAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/algorithms")] HttpRequest request, CancellationToken ct) =>
        await PipelineApi.ListAlgorithmsAsync(algorithms, ct);

    /// <summary>GET /api/artifacts.</summary>
    [Function("ListArtifacts")]
    public async Task<IResult> ListArtifactsAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/artifacts")] HttpRequest request, CancellationToken ct) =>
        (await PipelineApi.ListArtifactsAsync(blobs, request.Query["site"], request.Query["experiment"], ct)).Result;

    /// <summary>GET /api/artifacts/{path}.</summary>
    [Function("GetArtifact")]
    public async Task<IResult> GetArtifactAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/artifacts/{*path}")] HttpRequest request, string path, CancellationToken ct) =>
        (await PipelineApi.GetArtifactAsync(blobs, path, ct)).Result;

    /// <summary>GET /api/campaigns/{stage}/plan.</summary>
    [Function("PlanCampaign")]
    public async Task<IResult> PlanCampaignAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/campaigns/{stage}/plan")] HttpRequest request, string stage,
        CancellationToken ct) =>
        (await PipelineApi.PlanCampaignAsync(planner, stage, request.Query["site"], request.Query["experiment"], ct)).Result;

    /// <summary>POST /api/campaigns/{stage}.</summary>
    [Function("StartCampaign")]
    public async Task<IResult> StartCampaignAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/campaigns/{stage}")] HttpRequest request, string stage,
        [DurableClient] DurableTaskClient durable, CancellationToken ct) =>
        (await PipelineApi.StartCampaignAsync(planner, campaigns, durable, stage, request.Query["site"], request.Query["experiment"], ct)).Result;

    /// <summary>GET /api/campaigns/{stage}.</summary>
    [Function("GetCampaign")]
    public async Task<IResult> GetCampaignAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/campaigns/{stage}")] HttpRequest request, string stage,
        [DurableClient] DurableTaskClient durable, CancellationToken ct) =>
        (await PipelineApi.GetCampaignAsync(durable, stage, ct)).Result;

    /// <summary>DELETE /api/campaigns/{stage}.</summary>
    [Function("CancelCampaign")]
    public async Task<IResult> CancelCampaignAsync([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/campaigns/{stage}")] HttpRequest request, string stage,
        [DurableClient] DurableTaskClient durable, CancellationToken ct) =>
        (await PipelineApi.CancelCampaignAsync(campaigns, durable, stage, ct)).Result;
}
