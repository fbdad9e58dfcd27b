using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using CloudPipeline.Contracts;
using CloudPipeline.Pipeline.Campaigns;
using CloudPipeline.Pipeline.Catalog;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.DurableTask.Client;

namespace CloudPipeline.Pipeline.Api;

/// <summary>
/// The HTTP API's handlers: health, datasets, experiments, orchestration instances, results, their diff, algorithm versions,
/// artifacts and reanalysis campaigns. The local host maps them with minimal APIs; the Functions app binds one HTTP
/// trigger to each. <see cref="Routes"/> lists them.
/// </summary>
public static class PipelineApi
{
    /// <summary>Every route, by the function name that serves it.</summary>
    public static readonly IReadOnlyDictionary<string, ApiRoute> Routes = new Dictionary<string, ApiRoute>
    {
        ["Health"] = new("get", "health"),
        ["ListDatasets"] = new("get", "api/datasets"),
        ["ListExperiments"] = new("get", "api/experiments"),
        ["GetInstance"] = new("get", "api/instances/{instanceId}"),
        ["ListResults"] = new("get", "api/results"),
        ["DiffResults"] = new("get", "api/diff"),
        ["ListAlgorithms"] = new("get", "api/algorithms"),
        ["ListArtifacts"] = new("get", "api/artifacts"),
        ["GetArtifact"] = new("get", "api/artifacts/{*path}"),
        ["PlanCampaign"] = new("get", "api/campaigns/{stage}/plan"),
        ["StartCampaign"] = new("post", "api/campaigns/{stage}"),
        ["GetCampaign"] = new("get", "api/campaigns/{stage}"),
        ["CancelCampaign"] = new("delete", "api/campaigns/{stage}"),
    };

    /// <summary>
    /// GET /api/campaigns/{stage}/plan?site=&amp;experiment=: the dry run: which experiments a campaign would reanalyse
    /// and why, with counts per site, the query plan and its time; starts nothing. <c>stage</c> is an algorithm id, or
    /// <c>name@version</c> for that version only.
    /// </summary>
    public static async Task<Results<Ok<CampaignPlan>, BadRequest<ProblemView>>> PlanCampaignAsync(CampaignPlanner planner, string stage, string? site, string? experiment,
        CancellationToken ct)
    {
        try
        {
            return TypedResults.Ok(await planner.PlanAsync(planner.Resolve(stage, site, experiment), null, null, ct));
        }
        catch (CampaignRequestException ex)
        {
            return TypedResults.BadRequest(new ProblemView(ex.Message));
        }
    }

    /// <summary>
    /// POST /api/campaigns/{stage}?site=&amp;experiment=: starts the stage's campaign (202 with its instance), or answers
    /// 200 with an empty plan when nothing is due; 400 for an unknown stage or version, 409 while one runs.
    /// </summary>
    public static async Task<Results<Accepted<CampaignStart>, Ok<CampaignStart>, BadRequest<ProblemView>, Conflict<ProblemView>>> StartCampaignAsync(CampaignPlanner planner,
        ReanalysisCampaigns campaigns, DurableTaskClient durable, string stage, string? site, string? experiment, CancellationToken ct)
    {
        try
        {
            var start = await campaigns.StartAsync(durable, planner.Resolve(stage, site, experiment), ct);
            return start.InstanceId is null ? TypedResults.Ok(start) : TypedResults.Accepted($"/api/instances/{start.InstanceId}", start);
        }
        catch (CampaignRequestException ex)
        {
            return TypedResults.BadRequest(new ProblemView(ex.Message));
        }
        catch (CampaignConflictException ex)
        {
            return TypedResults.Conflict(new ProblemView(ex.Message));
        }
    }

    /// <summary>GET /api/campaigns/{stage}: the stage's campaign, running or last finished, with its progress.</summary>
    public static async Task<Results<Ok<InstanceView>, NotFound<ProblemView>>> GetCampaignAsync(DurableTaskClient durable, string stage, CancellationToken ct) =>
        await ReanalysisCampaigns.GetAsync(durable, stage.Split('@')[0], ct) is { } metadata
            ? TypedResults.Ok(View(metadata))
            : TypedResults.NotFound(new ProblemView($"No campaign for stage '{stage}' has run."));

    /// <summary>DELETE /api/campaigns/{stage}: cancels the stage's running campaign (reanalyses in flight finish).</summary>
    public static async Task<Results<Ok<ProblemView>, NotFound<ProblemView>>> CancelCampaignAsync(ReanalysisCampaigns campaigns, DurableTaskClient durable, string stage,
        CancellationToken ct) =>
        await campaigns.CancelAsync(durable, stage.Split('@')[0], ct)
            ? TypedResults.Ok(new ProblemView($"The campaign for {stage} is cancelled; reanalyses in flight finish, no new one starts."))
            : TypedResults.NotFound(new ProblemView($"No campaign for stage '{stage}' is running."));

    /// <summary>GET /health.</summary>
    public static Ok<HealthView> Health() => TypedResults.Ok(new HealthView("ok"));

    /// <summary>GET /api/datasets?site=&amp;experiment=.</summary>
    public static async Task<Ok<IReadOnlyList<DatasetRecord>>> ListDatasetsAsync(DatasetCatalog catalog, string? site, string? experiment, CancellationToken ct) =>
        TypedResults.Ok(await catalog.ListAsync(site, experiment, ct));

    /// <summary>GET /api/experiments?site=.</summary>
    public static async Task<Ok<IReadOnlyList<ExperimentRecord>>> ListExperimentsAsync(DatasetCatalog catalog, string? site, CancellationToken ct) =>
        TypedResults.Ok(ExperimentRecord.WithDatasetStates(await catalog.ListExperimentsAsync(site, ct), await catalog.ListAsync(site, null, ct)));

    /// <summary>GET /api/instances/{instanceId}: an orchestration's status, progress (custom status), output or failure.</summary>
    public static async Task<Results<Ok<InstanceView>, NotFound<ProblemView>>> GetInstanceAsync(DurableTaskClient durable, string instanceId, CancellationToken ct)
    {
        var metadata = await durable.GetInstanceAsync(instanceId, getInputsAndOutputs: true, ct);
        if (metadata is null)
        {
            return TypedResults.NotFound(new ProblemView($"No instance '{instanceId}'."));
        }
        return TypedResults.Ok(View(metadata));
    }

    private static InstanceView View(OrchestrationMetadata metadata) => new(
        metadata.InstanceId,
        metadata.Name,
        metadata.RuntimeStatus.ToString(),
        metadata.CreatedAt,
        metadata.LastUpdatedAt,
        Json(metadata.SerializedCustomStatus),
        Json(metadata.SerializedOutput),
        metadata.FailureDetails?.ErrorMessage);

    /// <summary>GET /api/results?site=&amp;experiment=&amp;latest=true.</summary>
    public static async Task<Ok<IReadOnlyList<ResultRecord>>> ListResultsAsync(DatasetCatalog catalog, string? site, string? experiment, bool? latest, CancellationToken ct)
    {
        // The "latest" view (per experiment, quantity and algorithm version, the computation written last) is read from
        // the index rows; the history holds every computation.
        return TypedResults.Ok(latest == true ? await catalog.ListLatestResultsAsync(site, experiment, ct) : await catalog.ListResultsAsync(site, experiment, ct));
    }

    /// <summary>
    /// GET /api/diff?site=&amp;experiment=&amp;from=&amp;to=: per quantity, the older and newer computation's values, the
    /// relative change and the QC flags that appeared or went away (<see cref="ResultDiff"/>).
    /// </summary>
    public static async Task<Results<Ok<IReadOnlyList<QuantityChange>>, BadRequest<ProblemView>>> DiffResultsAsync(DatasetCatalog catalog, string? site, string? experiment,
        string? from, string? to, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(site) || string.IsNullOrWhiteSpace(experiment))
        {
            return TypedResults.BadRequest(new ProblemView("Give site and experiment (?site=S&experiment=E), and optionally from and to (a version such as 1.0.0, algorithm@version, or a parameter-hash prefix)."));
        }
        return TypedResults.Ok(ResultDiff.Compute(await catalog.ListResultsAsync(site, experiment, ct), from, to));
    }

    /// <summary>GET /api/algorithms: every analysis stage version the hosts have recorded, with its parameter schema.</summary>
    public static async Task<Ok<IReadOnlyList<AlgorithmVersionRecord>>> ListAlgorithmsAsync(AlgorithmVersionsTable algorithms, CancellationToken ct) =>
        TypedResults.Ok(await algorithms.ListAsync(ct));

    /// <summary>GET /api/artifacts?site=&amp;experiment=: the plots, arrays, reports and tables the pipeline wrote for an experiment.</summary>
    public static async Task<Results<Ok<IReadOnlyList<ArtifactView>>, BadRequest<ProblemView>>> ListArtifactsAsync(BlobServiceClient blobs, string? site, string? experiment, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(site) || string.IsNullOrWhiteSpace(experiment) || site.Contains('/', StringComparison.Ordinal) || experiment.Contains('/', StringComparison.Ordinal))
        {
            return TypedResults.BadRequest(new ProblemView("Give site and experiment (?site=S&experiment=E), each a single path segment."));
        }
        var container = blobs.GetBlobContainerClient(StorageLayout.ArtifactsContainer);
        var list = new List<ArtifactView>();
        await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, $"{site}/{experiment}/", ct))
        {
            list.Add(new ArtifactView(blob.Name, blob.Properties.ContentLength ?? 0, blob.Properties.ContentType, blob.Properties.LastModified));
        }
        return TypedResults.Ok<IReadOnlyList<ArtifactView>>(list);
    }

    /// <summary>GET /api/artifacts/{path}: one artifact's bytes, streamed as stored.</summary>
    public static async Task<Results<FileStreamHttpResult, NotFound<ProblemView>, BadRequest<ProblemView>>> GetArtifactAsync(BlobServiceClient blobs, string path, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(path) || path.Split('/').Any(segment => segment is "" or "." or ".."))
        {
            return TypedResults.BadRequest(new ProblemView($"'{path}' is not an artifact path (site/experiment/...)."));
        }
        var blob = blobs.GetBlobContainerClient(StorageLayout.ArtifactsContainer).GetBlobClient(path);
        try
        {
            var download = (await blob.DownloadStreamingAsync(cancellationToken: ct)).Value;
            return TypedResults.Stream(download.Content, download.Details.ContentType ?? "application/octet-stream", Path.GetFileName(path));
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return TypedResults.NotFound(new ProblemView($"No artifact '{path}'."));
        }
    }

    private static JsonElement? Json(string? serialized) =>
        string.IsNullOrEmpty(serialized) ? null : JsonDocument.Parse(serialized).RootElement.Clone();

    /// <summary>A route: its HTTP method (lower case, as the Functions metadata has it) and template.</summary>
    /// <param name="Method">get, post or delete.</param>
    /// <param name="Template">The route template, without a leading slash.</param>
    public sealed record ApiRoute(string Method, string Template);

    /// <summary>The health answer.</summary>
    /// <param name="Status">"ok".</param>
    public sealed record HealthView(string Status);

    /// <summary>An orchestration instance.</summary>
    /// <param name="InstanceId">Its id.</param>
    /// <param name="Name">The orchestration name (with its version suffix).</param>
    /// <param name="Status">Pending, Running, Completed, Failed, Terminated, Suspended or ContinuedAsNew.</param>
    /// <param name="CreatedAt">When it was created.</param>
    /// <param name="LastUpdatedAt">When it last changed.</param>
    /// <param name="Progress">What it is doing or waiting for (its custom status).</param>
    /// <param name="Output">Its output when completed.</param>
    /// <param name="Error">The failure, when failed.</param>
    public sealed record InstanceView(string InstanceId, string Name, string Status, DateTimeOffset CreatedAt, DateTimeOffset LastUpdatedAt, JsonElement? Progress, JsonElement? Output, string? Error);

    /// <summary>An artifact the pipeline wrote.</summary>
    /// <param name="Name">Its path in the artifacts container (<c>site/experiment/stage/...</c>); GET <c>api/artifacts/{Name}</c> gives its bytes.</param>
    /// <param name="Size">Bytes.</param>
    /// <param name="ContentType">Its content type.</param>
    /// <param name="LastModified">When it was written.</param>
    public sealed record ArtifactView(string Name, long Size, string? ContentType, DateTimeOffset? LastModified);

    /// <summary>A message: what was wrong or not found, or what was done.</summary>
    /// <param name="Error">The message.</param>
    public sealed record ProblemView(string Error);
}
