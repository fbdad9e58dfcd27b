using System.Text.Json;
using System.Text.Json.Serialization;
using CloudPipeline.Core.Analysis.Eis;
using CloudPipeline.Core.Analysis.Mri;

namespace CloudPipeline.Core.Pipeline;

/// <summary>
/// Compile-time JSON metadata for everything Core reads and writes: experiment.json, the parameter objects that are
/// hashed for provenance, and the stages' reports. No reflection and no run-time code generation, so the CLI starts
/// without compiling serializers and can be built ahead of time. <see cref="Default"/> carries the manifest's settings
/// (camelCase, comments and trailing commas allowed, unknown members rejected, nulls omitted, indented); enums are
/// camelCase strings through <see cref="CamelCaseEnumConverter{TEnum}"/> on each enum type.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ExperimentManifest))]
[JsonSerializable(typeof(DriftVelocityParameters))]
[JsonSerializable(typeof(EisSettings))]
[JsonSerializable(typeof(NmrSettings))]
[JsonSerializable(typeof(MriDriftDocument))]
[JsonSerializable(typeof(EisDocument))]
[JsonSerializable(typeof(NmrDocument))]
[JsonSerializable(typeof(CyclerDocument))]
internal sealed partial class CoreJsonContext : JsonSerializerContext
{
    /// <summary>The settings of <see cref="Default"/>, with NaN and ±∞ written as strings: the stages' JSON reports.</summary>
    public static CoreJsonContext Reports => s_reports ??=
        new(new JsonSerializerOptions(Default.Options) { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals });

    private static CoreJsonContext? s_reports;
}
