using System.Text.Json;
using CloudPipeline.Pipeline.Catalog;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.DurableTask.Client;

namespace CloudPipeline.Pipeline.Api;

/// <summary>
/// The HTTP API's handlers: health, datasets, experiments, orchestration instances and results. The local host maps
/// them with minimal APIs; the Functions app binds one HTTP trigger to each. <see cref="Routes"/> lists them.
/// </summary>
public static class PipelineApi
{
    /// <summary>Every route (GET), by the function name that serves it.</summary>
    public static readonly IReadOnlyDictionary<string, string> Routes = new Dictionary<string, string>
    {
        ["Health"] = "health",
        ["ListDatasets"] = "api/datasets",
        ["ListExperiments"] = "api/experiments",
        ["GetInstance"] = "api/instances/{instanceId}",
        ["ListResults"] = "api/results",
    };

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
        return TypedResults.Ok(new InstanceView(
            metadata.InstanceId,
            metadata.Name,
            metadata.RuntimeStatus.ToString(),
            metadata.CreatedAt,
            metadata.LastUpdatedAt,
            Json(metadata.SerializedCustomStatus),
            Json(metadata.SerializedOutput),
            metadata.FailureDetails?.ErrorMessage));
    }

    /// <summary>GET /api/results?site=&amp;experiment=&amp;latest=true.</summary>
    public static async Task<Ok<IReadOnlyList<ResultRecord>>> ListResultsAsync(DatasetCatalog catalog, string? site, string? experiment, bool? latest, CancellationToken ct)
    {
        var results = await catalog.ListResultsAsync(site, experiment, ct);
        if (latest == true)
        {
            // The "latest" view: per experiment, quantity and algorithm version, the most recent computation.
            results = results.GroupBy(r => (r.Site, r.Experiment, r.Technique, r.Quantity, r.Algorithm, r.Version))
                .Select(g => g.MaxBy(r => r.ComputedAt)!).ToList();
        }
        return TypedResults.Ok(results);
    }

    private static JsonElement? Json(string? serialized) =>
        string.IsNullOrEmpty(serialized) ? null : JsonDocument.Parse(serialized).RootElement.Clone();

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

    /// <summary>A not-found answer.</summary>
    /// <param name="Error">What was not found.</param>
    public sealed record ProblemView(string Error);
}
