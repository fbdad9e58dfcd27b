using System.Text.Json;
using System.Text.Json.Serialization;

namespace CloudPipeline.Cli.Commands;

/// <summary>
/// Compile-time JSON metadata for what the CLI prints and what it reads from the host's API (camelCase, indented, nulls
/// omitted): no reflection, so the ahead-of-time compiled CLI starts without building serializers.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(JsonElement[]))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(IReadOnlyList<InspectReport>))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
