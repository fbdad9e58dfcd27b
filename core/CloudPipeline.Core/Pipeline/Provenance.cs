using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace CloudPipeline.Core.Pipeline;

/// <summary>One input of a result: its name and content hash.</summary>
/// <param name="Name">File or blob name.</param>
/// <param name="Sha256">Lowercase hex SHA-256 of the content.</param>
public sealed record InputReference(string Name, string Sha256);

/// <summary>A named output of a stage (CSV, JSON, SVG), written to a folder by the CLI or to blobs by the host.</summary>
/// <param name="Name">File name, e.g. <c>velocity.csv</c>.</param>
/// <param name="ContentType">MIME type.</param>
/// <param name="Content">The text.</param>
public sealed record Artifact(string Name, string ContentType, string Content);

/// <summary>Hashes for provenance.</summary>
public static class Provenance
{
    /// <summary>Lowercase hex SHA-256 of bytes.</summary>
    public static string Sha256(ReadOnlySpan<byte> content) => Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>The serializer settings of a stage's JSON report: the manifest's (camelCase) with NaN and ±∞ written as strings.</summary>
    public static JsonSerializerOptions ReportJsonOptions { get; } =
        new(ExperimentManifest.JsonOptions) { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>
    /// The manifest's settings for writing (camelCase, nulls omitted, enums as camelCase strings), with the
    /// compile-time metadata of <see cref="CoreJsonContext"/> first and reflection for other types.
    /// </summary>
    internal static JsonSerializerOptions WriteJsonOptions { get; } =
        new(ExperimentManifest.JsonOptions) { TypeInfoResolver = JsonTypeInfoResolver.Combine(CoreJsonContext.Default, new DefaultJsonTypeInfoResolver()) };

    /// <summary>The hash of a parameter object's canonical JSON: equal parameters give equal hashes, any change a new one.</summary>
    public static string ParameterHash<T>(T parameters) =>
        Sha256(JsonSerializer.SerializeToUtf8Bytes(parameters, WriteJsonOptions))[..16];
}
