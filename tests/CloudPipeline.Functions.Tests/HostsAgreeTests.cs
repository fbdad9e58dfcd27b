using System.Text.Json;
using CloudPipeline.Pipeline.Api;
using CloudPipeline.Pipeline.Orchestrations;
using CloudPipeline.Testing;
using Xunit;

namespace CloudPipeline.Functions.Tests;

/// <summary>
/// Holds the Functions app (its build's functions.metadata) and the local host (which binds
/// <see cref="PipelineTasks"/>, <see cref="PipelineApi.Routes"/>, the blob-events queue and the change detector) to
/// the same set of triggers, so the two hosts cannot drift.
/// </summary>
public sealed class HostsAgreeTests
{
    private static readonly JsonElement[] Metadata =
        JsonSerializer.Deserialize<JsonElement[]>(File.ReadAllText(Path.Combine(Processes.FunctionsAppFolder, "functions.metadata")))!;

    private static IEnumerable<(string Name, JsonElement Trigger)> Triggers() =>
        Metadata.Select(f => (f.GetProperty("name").GetString()!, f.GetProperty("bindings").EnumerateArray()
            .Single(b => b.GetProperty("direction").GetString() == "In" && b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal))));

    private static List<string> Named(string type) =>
        Triggers().Where(t => t.Trigger.GetProperty("type").GetString() == type).Select(t => t.Name).Order(StringComparer.Ordinal).ToList();

    [Fact]
    public void Every_orchestration_and_activity_of_the_local_host_is_a_function_and_no_other()
    {
        Assert.Equal(PipelineTasks.Orchestrators.Keys.Order(StringComparer.Ordinal), Named("orchestrationTrigger"));
        Assert.Equal(PipelineTasks.Activities.Keys.Order(StringComparer.Ordinal), Named("activityTrigger"));
    }

    [Fact]
    public void Every_http_route_of_the_local_host_is_a_function_with_the_same_method_and_route()
    {
        var http = Triggers().Where(t => t.Trigger.GetProperty("type").GetString() == "httpTrigger")
            .ToDictionary(t => t.Name, t => t.Trigger);
        Assert.Equal(PipelineApi.Routes.Keys.Order(StringComparer.Ordinal), http.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, route) in PipelineApi.Routes)
        {
            Assert.Equal(route.Template, http[name].GetProperty("route").GetString());
            Assert.Equal([route.Method], http[name].GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
        }
        var hostJson = JsonDocument.Parse(File.ReadAllText(Path.Combine(Processes.FunctionsAppFolder, "host.json")));
        Assert.Equal("", hostJson.RootElement.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
    }

    [Fact]
    public void Ingestion_binds_raw_through_event_grid_and_the_event_queue_and_the_timers_are_the_change_detector_and_the_scheduled_reanalysis()
    {
        var blob = Assert.Single(Triggers(), t => t.Trigger.GetProperty("type").GetString() == "blobTrigger").Trigger;
        Assert.Equal("raw/{name}", blob.GetProperty("path").GetString());
        Assert.Equal("EventGrid", blob.GetProperty("source").GetString());
        var queue = Assert.Single(Triggers(), t => t.Trigger.GetProperty("type").GetString() == "queueTrigger").Trigger;
        Assert.Equal("blob-events", queue.GetProperty("queueName").GetString());
        var timers = Triggers().Where(t => t.Trigger.GetProperty("type").GetString() == "timerTrigger").ToDictionary(t => t.Name, t => t.Trigger.GetProperty("schedule").GetString());
        Assert.Equal(new Dictionary<string, string?>
        {
            [Pipeline.Ingestion.ChangeDetector.Name] = "%ChangeDetectorSchedule%",
            ["ScheduledReanalysis"] = "%ReanalysisSchedule%",
        }, timers);
    }

    [Fact]
    public void The_metadata_has_no_trigger_outside_the_checked_kinds()
    {
        Assert.All(Triggers(), t => Assert.Contains(t.Trigger.GetProperty("type").GetString(),
            new[] { "orchestrationTrigger", "activityTrigger", "httpTrigger", "blobTrigger", "queueTrigger", "timerTrigger" }));
        Assert.Equal(PipelineTasks.Orchestrators.Count + PipelineTasks.Activities.Count + PipelineApi.Routes.Count + 4, Metadata.Length);
    }
}
