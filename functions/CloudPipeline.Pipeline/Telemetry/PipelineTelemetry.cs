using System.Diagnostics;

namespace CloudPipeline.Pipeline.Telemetry;

/// <summary>
/// The pipeline's distributed tracing. One trace per upload: the event's receipt and the ingestion (spans of
/// <see cref="Source"/>), the Durable Task client's <c>create_orchestration</c> span, whose context travels in the
/// instance's start event, the engine's <c>orchestration:</c> and <c>activity:</c> spans, and the pipeline's span
/// around each activity's work. Every span of the pipeline carries the dataset's orchestration instance id under
/// Durable Task's own tag name, so one query finds a dataset's whole path.
/// </summary>
public static class PipelineTelemetry
{
    /// <summary>The pipeline's activity source.</summary>
    public const string SourceName = "CloudPipeline.Pipeline";

    /// <summary>Durable Task's orchestration instance id tag (the engine's own spans carry it too).</summary>
    public const string InstanceIdTag = "durabletask.task.instance_id";

    /// <summary>The dataset's catalog key: site/experiment/row key.</summary>
    public const string DatasetTag = "cloudpipeline.dataset";

    /// <summary>The blob an event is about.</summary>
    public const string BlobTag = "cloudpipeline.blob";

    /// <summary>The sources a host listens to for one end-to-end trace: the pipeline, the Durable Task client and the engine.</summary>
    public static readonly IReadOnlyList<string> Sources = [SourceName, "Microsoft.DurableTask", "DurableTask.Core"];

    /// <summary>Spans of the pipeline.</summary>
    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>Starts the span of an activity's work (a child of the engine's activity span), tagged with what it works on.</summary>
    public static Activity? StartWork(string name, string instanceId, string? dataset = null)
    {
        var span = Source.StartActivity(name, ActivityKind.Internal);
        span?.SetTag(InstanceIdTag, instanceId);
        if (dataset is not null)
        {
            span?.SetTag(DatasetTag, dataset);
        }
        return span;
    }
}
