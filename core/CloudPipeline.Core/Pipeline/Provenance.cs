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

    /// <summary>
    /// The hash of a parameter object's canonical JSON (the manifest's settings): equal parameters give equal hashes, any
    /// change a new one. <typeparamref name="T"/> is one of the parameter types of <see cref="CoreJsonContext"/>.
    /// </summary>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> has no compile-time JSON metadata in Core.</exception>
    public static string ParameterHash<T>(T parameters) =>
        Sha256(JsonSerializer.SerializeToUtf8Bytes(parameters, (JsonTypeInfo<T>)CoreJsonContext.Default.GetTypeInfo(typeof(T))!))[..16];
}
