using CloudPipeline.Durable;
using CloudPipeline.Functions.Catalog;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CloudPipeline.Functions.Api;

/// <summary>The HTTP API (loopback by default): health, datasets, experiments, instance status with history, results.</summary>
internal static class ApiEndpoints
{
    public static void MapPipelineApi(this WebApplication app)
    {
        app.MapGet("/health", () => TypedResults.Ok(new { status = "ok" }));
        var api = app.MapGroup("/api");
        api.MapGet("/datasets", ListDatasetsAsync);
        api.MapGet("/experiments", ListExperimentsAsync);
        api.MapGet("/instances/{instanceId}", GetInstanceAsync);
        api.MapGet("/results", ListResultsAsync);
    }

    private static async Task<Ok<IReadOnlyList<DatasetRecord>>> ListDatasetsAsync(DatasetCatalog catalog, string? site, string? experiment, CancellationToken ct) =>
        TypedResults.Ok(await catalog.ListAsync(site, experiment, ct));

    private static async Task<Ok<IReadOnlyList<ExperimentRecord>>> ListExperimentsAsync(DatasetCatalog catalog, string? site, CancellationToken ct) =>
        TypedResults.Ok(await catalog.ListExperimentsAsync(site, ct));

    private static async Task<Results<Ok<InstanceView>, NotFound<ProblemView>>> GetInstanceAsync(DurableClient durable, string instanceId, CancellationToken ct)
    {
        var state = await durable.GetStateAsync(instanceId, ct);
        if (state is null)
        {
            return TypedResults.NotFound(new ProblemView($"No instance '{instanceId}'."));
        }
        return TypedResults.Ok(new InstanceView(state, await durable.GetHistoryAsync(instanceId, ct)));
    }

    private static async Task<Ok<IReadOnlyList<ResultRecord>>> ListResultsAsync(DatasetCatalog catalog, string? site, string? experiment, bool? latest, CancellationToken ct)
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

    /// <summary>An instance with its history.</summary>
    public sealed record InstanceView(InstanceState State, IReadOnlyList<HistoryEvent> History);

    /// <summary>A not-found answer.</summary>
    public sealed record ProblemView(string Error);
}
