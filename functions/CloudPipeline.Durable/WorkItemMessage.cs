using System.Text.Json;
using System.Text.Json.Serialization;

namespace CloudPipeline.Durable;

/// <summary>What a work item asks for.</summary>
internal enum WorkItemKind
{
    /// <summary>Run the step's activity (or one fan-out element).</summary>
    Run,

    /// <summary>A durable timer fired.</summary>
    Timer,

    /// <summary>A wait deadline passed.</summary>
    Deadline,
}

/// <summary>A queue message: a reference to work, never the payload itself (payloads live in blobs and rows).</summary>
internal sealed record WorkItemMessage(
    [property: JsonPropertyName("i")] string InstanceId,
    [property: JsonPropertyName("s")] int Step,
    [property: JsonPropertyName("x")] int Index,
    [property: JsonPropertyName("k")] WorkItemKind Kind,
    [property: JsonPropertyName("v")] string Version,
    [property: JsonPropertyName("d")] double DelaySeconds = 0)
{
    private static readonly JsonSerializerOptions Options = new() { Converters = { new JsonStringEnumConverter() } };

    public string Serialize() => JsonSerializer.Serialize(this, Options);

    public static WorkItemMessage? TryParse(string text)
    {
        try
        {
            return JsonSerializer.Deserialize<WorkItemMessage>(text, Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
