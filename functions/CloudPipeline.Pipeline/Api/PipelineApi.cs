using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using CloudPipeline.Contracts;
using CloudPipeline.Pipeline.Campaigns;
using CloudPipeline.Pipeline.Catalog;
using CloudPipeline.Pipeline.Consortium;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.DurableTask.Client;

namespace CloudPipeline.Pipeline.Api;

/// <summary>
/// The HTTP API's handlers: health, datasets, experiments, orchestration instances, results, their diff, algorithm versions,
/// artifacts and reanalysis campaigns (the consortium's routes are in <see cref="ConsortiumApi"/>). The local host maps
/// them with minimal APIs; the Functions app binds one HTTP trigger to each. <see cref="Routes"/> lists them.
/// Every route but health is authenticated first (<see cref="ApiAuthentication"/>) and gets the caller's
/// <see cref="AccessScope"/>: lists hold only what the caller may see; an experiment, instance or artifact the caller
/// may not see answers 404 exactly as one that does not exist; operator-only routes answer 403 to a site.
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
        ["ListSites"] = new("get", "api/sites"),
        ["AddSite"] = new("post", "api/sites"),
        ["ListKeys"] = new("get", "api/sites/{site}/keys"),
        ["CreateKey"] = new("post", "api/sites/{site}/keys"),
        ["RevokeKey"] = new("delete", "api/sites/{site}/keys/{keyId}"),
        ["ListShares"] = new("get", "api/shares"),
        ["GrantShare"] = new("post", "api/shares"),
        ["RevokeShare"] = new("delete", "api/shares"),
        ["ListAudit"] = new("get", "api/audit"),
        ["ConsortiumResults"] = new("get", "api/consortium/results"),
        ["GrantUpload"] = new("post", "api/uploads/{experiment}/{*path}"),
    };

    /// <summary>The routes anyone may call without a credential.</summary>
    public static readonly IReadOnlySet<string> Anonymous = new HashSet<string>(StringComparer.Ordinal) { "Health" };

    /// <summary>
    /// GET /api/campaigns/{stage}/plan?site=&amp;experiment=: the dry run: which experiments a campaign would reanalyse
    /// and why, with counts per site, the query plan and its time; starts nothing. <c>stage</c> is an algorithm id, or
    /// <c>name@version</c> for that version only.
    /// </summary>
    public static async Task<Results<Ok<CampaignPlan>, BadRequest<ProblemView>, ForbidResult>> PlanCampaignAsync(AccessScope scope, CampaignPlanner planner, string stage, string? site,
        string? experiment, CancellationToken ct)
    {
        if (!scope.Caller.IsOperator)
        {
            return OperatorOnly;
        }
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
    public static async Task<Results<Accepted<CampaignStart>, Ok<CampaignStart>, BadRequest<ProblemView>, Conflict<ProblemView>, ForbidResult>> StartCampaignAsync(AccessScope scope,
        CampaignPlanner planner, ReanalysisCampaigns campaigns, DurableTaskClient durable, string stage, string? site, string? experiment, CancellationToken ct)
    {
        if (!scope.Caller.IsOperator)
        {
            return OperatorOnly;
        }
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
    public static async Task<Results<Ok<InstanceView>, NotFound<ProblemView>, ForbidResult>> GetCampaignAsync(AccessScope scope, DurableTaskClient durable, string stage, CancellationToken ct) =>
        !scope.Caller.IsOperator ? OperatorOnly
        : await ReanalysisCampaigns.GetAsync(durable, stage.Split('@')[0], ct) is { } metadata
            ? TypedResults.Ok(View(metadata))
            : TypedResults.NotFound(new ProblemView($"No campaign for stage '{stage}' has run."));

    /// <summary>DELETE /api/campaigns/{stage}: cancels the stage's running campaign (reanalyses in flight finish).</summary>
    public static async Task<Results<Ok<ProblemView>, NotFound<ProblemView>, ForbidResult>> CancelCampaignAsync(AccessScope scope, ReanalysisCampaigns campaigns, DurableTaskClient durable,
        string stage, CancellationToken ct) =>
        !scope.Caller.IsOperator ? OperatorOnly
        : await campaigns.CancelAsync(durable, stage.Split('@')[0], ct)
            ? TypedResults.Ok(new ProblemView($"The campaign for {stage} is cancelled; reanalyses in flight finish, no new one starts."))
            : TypedResults.NotFound(new ProblemView($"No campaign for stage '{stage}' is running."));

    /// <summary>GET /health.</summary>
    public static Ok<HealthView> Health() => TypedResults.Ok(new HealthView("ok"));

    /// <summary>GET /api/datasets?site=&amp;experiment=: the datasets the caller may see.</summary>
    public static async Task<Results<Ok<IReadOnlyList<DatasetRecord>>, NotFound<ProblemView>>> ListDatasetsAsync(AccessScope scope, DatasetCatalog catalog, string? site,
        string? experiment, CancellationToken ct)
    {
        if (Hidden(scope, site, experiment) is { } hidden)
        {
            return hidden;
        }
        IReadOnlyList<DatasetRecord> rows = [.. (await catalog.ListAsync(site, experiment, ct)).Where(d => scope.CanRead(d.Site, d.Experiment, d.Technique))];
        await scope.AuditReadsAsync("ListDatasets", rows.Select(d => (d.Site, d.Experiment)), ct);
        return TypedResults.Ok(rows);
    }

    /// <summary>GET /api/experiments?site=: the experiments the caller may see (wholly, or one of their techniques).</summary>
    public static async Task<Ok<IReadOnlyList<ExperimentRecord>>> ListExperimentsAsync(AccessScope scope, DatasetCatalog catalog, string? site, CancellationToken ct)
    {
        IReadOnlyList<ExperimentRecord> rows = [.. ExperimentRecord.WithDatasetStates(await catalog.ListExperimentsAsync(site, ct), await catalog.ListAsync(site, null, ct))
            .Where(e => scope.CanSee(e.Site, e.Experiment, e.Techniques))];
        await scope.AuditReadsAsync("ListExperiments", rows.Select(e => (e.Site, e.Experiment)), ct);
        return TypedResults.Ok(rows);
    }

    /// <summary>GET /api/instances/{instanceId}: an orchestration's status, progress (custom status), output or failure, for a caller who may see its experiment.</summary>
    public static async Task<Results<Ok<InstanceView>, NotFound<ProblemView>>> GetInstanceAsync(AccessScope scope, DurableTaskClient durable, string instanceId, CancellationToken ct)
    {
        var metadata = await durable.GetInstanceAsync(instanceId, getInputsAndOutputs: true, ct);
        var owner = metadata is null ? null : InstanceOwner(metadata.Name, metadata.SerializedInput);
        // An instance of no experiment (a reanalysis campaign) is the operator's; one of no single technique (a
        // dataset's validation) needs the whole experiment, so a technique share does not open the others' instances.
        bool visible = metadata is not null && (scope.Caller.IsOperator || owner is { } o && scope.CanRead(o.Site, o.Experiment, o.Technique));
        if (!visible)
        {
            return TypedResults.NotFound(new ProblemView($"No instance '{instanceId}'."));
        }
        if (owner is { } read)
        {
            await scope.AuditReadsAsync("GetInstance", [(read.Site, read.Experiment)], ct);
        }
        return TypedResults.Ok(View(metadata!));
    }

    /// <summary>The site, experiment and technique an orchestration works for, from its input (and its name for the technique).</summary>
    private static (string Site, string Experiment, string? Technique)? InstanceOwner(string name, string? serializedInput)
    {
        if (string.IsNullOrEmpty(serializedInput))
        {
            return null;
        }
        using var input = JsonDocument.Parse(serializedInput);
        var root = input.RootElement;
        if (root.ValueKind != JsonValueKind.Object || Property(root, "site") is not { } site || Property(root, "experiment") is not { } experiment)
        {
            return null;
        }
        string? technique = Property(root, "technique") ?? name switch
        {
            _ when name.StartsWith("MriExperiment", StringComparison.Ordinal) => "mri",
            _ when name.StartsWith("EisExperiment", StringComparison.Ordinal) => "eis",
            _ when name.StartsWith("NmrDataset", StringComparison.Ordinal) => "nmr",
            _ when name.StartsWith("CyclerDataset", StringComparison.Ordinal) => "cycler",
            _ => null,
        };
        return (site, experiment, technique);

        static string? Property(JsonElement o, string name) =>
            o.EnumerateObject().FirstOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Value is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;
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

    /// <summary>GET /api/results?site=&amp;experiment=&amp;latest=true: the results the caller may see.</summary>
    public static async Task<Results<Ok<IReadOnlyList<ResultRecord>>, NotFound<ProblemView>>> ListResultsAsync(AccessScope scope, DatasetCatalog catalog, string? site,
        string? experiment, bool? latest, CancellationToken ct)
    {
        if (Hidden(scope, site, experiment) is { } hidden)
        {
            return hidden;
        }
        // The "latest" view (per experiment, quantity and algorithm version, the computation written last) is read from
        // the index rows; the history holds every computation.
        var all = latest == true ? await catalog.ListLatestResultsAsync(site, experiment, ct) : await catalog.ListResultsAsync(site, experiment, ct);
        IReadOnlyList<ResultRecord> rows = [.. all.Where(r => scope.CanRead(r.Site, r.Experiment, r.Technique))];
        await scope.AuditReadsAsync("ListResults", rows.Select(r => (r.Site, r.Experiment)), ct);
        return TypedResults.Ok(rows);
    }

    /// <summary>
    /// GET /api/diff?site=&amp;experiment=&amp;from=&amp;to=: per quantity, the older and newer computation's values, the
    /// relative change and the QC flags that appeared or went away (<see cref="ResultDiff"/>).
    /// </summary>
    public static async Task<Results<Ok<IReadOnlyList<QuantityChange>>, BadRequest<ProblemView>, NotFound<ProblemView>>> DiffResultsAsync(AccessScope scope, DatasetCatalog catalog,
        string? site, string? experiment, string? from, string? to, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(site) || string.IsNullOrWhiteSpace(experiment))
        {
            return TypedResults.BadRequest(new ProblemView("Give site and experiment (?site=S&experiment=E), and optionally from and to (a version such as 1.0.0, algorithm@version, or a parameter-hash prefix)."));
        }
        if (Hidden(scope, site, experiment) is { } hidden)
        {
            return hidden;
        }
        var rows = (await catalog.ListResultsAsync(site, experiment, ct)).Where(r => scope.CanRead(r.Site, r.Experiment, r.Technique)).ToList();
        await scope.AuditReadsAsync("DiffResults", rows.Select(r => (r.Site, r.Experiment)), ct);
        return TypedResults.Ok(ResultDiff.Compute(rows, from, to));
    }

    /// <summary>GET /api/algorithms: every analysis stage version the hosts have recorded, with its parameter schema.</summary>
    public static async Task<Ok<IReadOnlyList<AlgorithmVersionRecord>>> ListAlgorithmsAsync(AccessScope scope, AlgorithmVersionsTable algorithms, CancellationToken ct) =>
        TypedResults.Ok(await algorithms.ListAsync(ct));

    /// <summary>
    /// GET /api/artifacts?site=&amp;experiment=: the plots, arrays, reports and tables the pipeline wrote for an experiment
    /// that the caller may read, each with a read SAS link valid for <see cref="AuthOptions.ArtifactSasLifetime"/>.
    /// </summary>
    public static async Task<Results<Ok<IReadOnlyList<ArtifactView>>, BadRequest<ProblemView>, NotFound<ProblemView>>> ListArtifactsAsync(AccessScope scope, BlobServiceClient blobs,
        StorageSas sas, string? site, string? experiment, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(site) || string.IsNullOrWhiteSpace(experiment) || site.Contains('/', StringComparison.Ordinal) || experiment.Contains('/', StringComparison.Ordinal))
        {
            return TypedResults.BadRequest(new ProblemView("Give site and experiment (?site=S&experiment=E), each a single path segment."));
        }
        if (Hidden(scope, site, experiment) is { } hidden)
        {
            return hidden;
        }
        var container = blobs.GetBlobContainerClient(StorageLayout.ArtifactsContainer);
        var list = new List<ArtifactView>();
        await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, $"{site}/{experiment}/", ct))
        {
            if (scope.CanRead(site, experiment, ArtifactTechnique(blob.Name)))
            {
                var link = await sas.ReadArtifactAsync(blob.Name, ct);
                list.Add(new ArtifactView(blob.Name, blob.Properties.ContentLength ?? 0, blob.Properties.ContentType, blob.Properties.LastModified, link.Uri, link.ExpiresOn));
            }
        }
        await scope.AuditReadsAsync("ListArtifacts", list.Count > 0 ? [(site, experiment)] : [], ct);
        return TypedResults.Ok<IReadOnlyList<ArtifactView>>(list);
    }

    /// <summary>GET /api/artifacts/{path}: a redirect (302) to a short-lived read SAS link of the artifact, after the access check.</summary>
    public static async Task<Results<RedirectHttpResult, NotFound<ProblemView>, BadRequest<ProblemView>>> GetArtifactAsync(AccessScope scope, BlobServiceClient blobs, StorageSas sas,
        string path, CancellationToken ct)
    {
        var segments = string.IsNullOrEmpty(path) ? [] : path.Split('/');
        if (segments.Length < 3 || segments.Any(segment => segment is "" or "." or ".."))
        {
            return TypedResults.BadRequest(new ProblemView($"'{path}' is not an artifact path (site/experiment/...)."));
        }
        var notFound = TypedResults.NotFound(new ProblemView($"No artifact '{path}'."));
        if (!scope.CanRead(segments[0], segments[1], ArtifactTechnique(path)))
        {
            return notFound;
        }
        if (!await blobs.GetBlobContainerClient(StorageLayout.ArtifactsContainer).GetBlobClient(path).ExistsAsync(ct))
        {
            return notFound;
        }
        await scope.AuditReadsAsync("GetArtifact", [(segments[0], segments[1])], ct);
        return TypedResults.Redirect((await sas.ReadArtifactAsync(path, ct)).Uri.AbsoluteUri);
    }

    /// <summary>
    /// The technique an artifact belongs to, from its stage folder (<c>site/experiment/mri-drift/...</c> is mri,
    /// <c>.../eis/...</c> eis); null for what spans techniques (the experiment's report), readable only with the whole experiment.
    /// </summary>
    public static string? ArtifactTechnique(string name)
    {
        var segments = name.Split('/');
        return segments.Length < 4 ? null : segments[2].Split('-')[0] is { Length: > 0 } technique && technique is "mri" or "eis" or "cycler" or "nmr" ? technique : null;
    }

    /// <summary>The 404 for an experiment the caller may not see at all (told exactly as one that does not exist); null when it may.</summary>
    internal static NotFound<ProblemView>? Hidden(AccessScope scope, string? site, string? experiment) =>
        string.IsNullOrEmpty(site) || string.IsNullOrEmpty(experiment) || scope.MaySee(site, experiment)
            ? null
            : TypedResults.NotFound(new ProblemView($"No experiment '{experiment}' at site '{site}'."));

    /// <summary>The answer of an operator-only route to a site's credential.</summary>
    internal static ForbidResult OperatorOnly => new("Only the consortium operator may do this.");

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
    /// <param name="Url">A read SAS link to its bytes, valid until <paramref name="UrlExpiresOn"/>.</param>
    /// <param name="UrlExpiresOn">When the link stops working (list again for a new one).</param>
    public sealed record ArtifactView(string Name, long Size, string? ContentType, DateTimeOffset? LastModified, Uri Url, DateTimeOffset UrlExpiresOn);

    /// <summary>403 with the reason, as a problem message.</summary>
    public sealed class ForbidResult(string reason) : IResult
    {
        /// <inheritdoc/>
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status403Forbidden;
            return httpContext.Response.WriteAsJsonAsync(new ProblemView(reason));
        }
    }

    /// <summary>A message: what was wrong or not found, or what was done.</summary>
    /// <param name="Error">The message.</param>
    public sealed record ProblemView(string Error);
}
