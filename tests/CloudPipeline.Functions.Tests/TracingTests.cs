using System.Text.RegularExpressions;
using CloudPipeline.Testing;
using Xunit;
using static CloudPipeline.Functions.Tests.PipelineEndToEndTests;

namespace CloudPipeline.Functions.Tests;

/// <summary>The trace of one upload through the real local host, read from its console exporter.</summary>
[Collection(AzuriteCollection.Name)]
public sealed partial class TracingTests
{
    private readonly AzuriteFixture _azurite;

    public TracingTests(AzuriteFixture azurite) => _azurite = azurite;

    [Fact]
    public async Task One_upload_is_one_trace_from_the_blob_event_through_ingestion_and_the_orchestration_to_each_activity()
    {
        await using var host = await HostProcess.StartAsync(_azurite.ConnectionString, changeDetector: false,
            // Spans only on the console: log lines written between a span's lines would split it.
            settings: new Dictionary<string, string> { ["CloudPipeline__Telemetry__Console"] = "true", ["Logging__LogLevel__Default"] = "Warning" });
        string experiment = "trace-" + Guid.NewGuid().ToString("N")[..8];
        string name = $"lab/{experiment}/MRI(005).txt";
        await UploadWithEventAsync(_azurite.ConnectionString, name, SmallProfile("TRACE"));
        var dataset = (await WaitForDatasetsAsync(host, "lab", experiment, 1, TimeSpan.FromMinutes(3))).Single();
        Assert.Equal("Completed", dataset.GetProperty("status").GetString());
        string instanceId = dataset.GetProperty("instanceId").GetString()!;

        // Spans are exported when they end, in no fixed order: wait for the event's span (it ends after the ingestion,
        // which may still be telling the experiment when the validation is done) and the orchestration's final
        // span (its last episode ends after the activity's spans).
        // The engine's activity span comes twice: scheduled by the orchestration, then executed by the worker.
        string[] chain = ["blob-event blob-events", "ingest", "create_orchestration:DatasetV1", "orchestration:DatasetV1", "activity:ValidateDatasetV1", "activity:ValidateDatasetV1", "validate"];
        var spans = await WaitForAsync(() => Task.FromResult(Spans(host.Log)),
            all => all.Any(s => s.Name == "orchestration:DatasetV1" && s.Tags.GetValueOrDefault("durabletask.task.instance_id") == instanceId
                                && s.Tags.GetValueOrDefault("durabletask.task.status") == "Completed")
                && all.Any(s => s.Name == "blob-event blob-events" && s.Tags.GetValueOrDefault("cloudpipeline.blob") == name),
            TimeSpan.FromSeconds(30), "the event's and the orchestration's final spans in the host's console");
        string traceId = spans.Single(s => s.Name == "ingest" && s.Tags.GetValueOrDefault("cloudpipeline.blob") == name).TraceId;
        // The engine exports an orchestration's span at the end of each episode under the same span id: one span.
        var trace = spans.Where(s => s.TraceId == traceId).GroupBy(s => s.SpanId).Select(g => g.Last()).ToList();

        // The chain, each span the child of the one before, each carrying the dataset's instance id.
        string? parent = null;
        foreach (string step in chain)
        {
            var matches = trace.Where(s => s.Name == step && s.ParentSpanId == parent).ToList();
            Assert.True(matches.Count == 1, $"{matches.Count} spans named {step} under {parent ?? "no parent"}:\n{string.Join('\n', trace)}");
            var span = matches[0];
            Assert.True(span.Tags.GetValueOrDefault("durabletask.task.instance_id") == instanceId, $"{step} lacks the instance id:\n{span}");
            parent = span.SpanId;
        }
    }

    private sealed record Span(string TraceId, string SpanId, string? ParentSpanId, string Name, Dictionary<string, string> Tags)
    {
        public override string ToString() => $"{Name} {SpanId} <- {ParentSpanId} [{string.Join(", ", Tags.Select(t => $"{t.Key}={t.Value}"))}]";
    }

    /// <summary>Reads the console exporter's blocks ("Activity.TraceId: …", …, "Activity.Tags:" then indented "key: value").</summary>
    private static List<Span> Spans(string log)
    {
        var spans = new List<Span>();
        foreach (var block in log.Split("Activity.TraceId:", StringSplitOptions.None).Skip(1))
        {
            string Field(string field) => Regex.Match(block, $@"Activity\.{field}:\s*(\S[^\r\n]*)").Groups[1].Value.Trim();
            var tags = new Dictionary<string, string>();
            var tagBlock = Regex.Match(block, @"Activity\.Tags:\r?\n((?:[ \t]+[^\r\n]*\r?\n)+)");
            foreach (Match tag in TagLine().Matches(tagBlock.Groups[1].Value))
            {
                tags[tag.Groups["k"].Value] = tag.Groups["v"].Value.Trim();
            }
            string traceId = Regex.Match(block, @"^\s*(\w+)").Groups[1].Value;
            string parent = Field("ParentSpanId");
            spans.Add(new Span(traceId, Field("SpanId"), parent.Length == 0 ? null : parent, Field("DisplayName"), tags));
        }
        return spans;
    }

    [GeneratedRegex(@"^[ \t]+(?<k>[\w.]+):[ \t]*(?<v>[^\r\n]*)$", RegexOptions.Multiline)]
    private static partial Regex TagLine();
}
