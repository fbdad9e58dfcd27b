using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace CloudPipeline.Core.Pipeline;

/// <summary>One input of a result: its name and content hash.</summary>
/// <param name="Name">File or blob name.</param>
/// <param name="Sha256">Lowercase hex SHA-256 of the content.</param>
public sealed record InputReference(string Name, string Sha256);

/// <summary>A named output of a stage (CSV, JSON, SVG, PNG), written to a folder by the CLI or to blobs by the host.</summary>
public sealed record Artifact
{
    /// <summary>A text artifact (stored as UTF-8).</summary>
    /// <param name="name">File name, e.g. <c>velocity.csv</c>.</param>
    /// <param name="contentType">MIME type.</param>
    /// <param name="content">The text.</param>
    public Artifact(string name, string contentType, string content)
        : this(name, contentType, System.Text.Encoding.UTF8.GetBytes(content))
    {
    }

    /// <summary>A binary artifact (an image).</summary>
    /// <param name="name">File name, e.g. <c>nyquist.png</c>.</param>
    /// <param name="contentType">MIME type.</param>
    /// <param name="bytes">The bytes.</param>
    public Artifact(string name, string contentType, byte[] bytes)
    {
        Name = name;
        ContentType = contentType;
        Bytes = bytes;
    }

    /// <summary>File name.</summary>
    public string Name { get; }

    /// <summary>MIME type.</summary>
    public string ContentType { get; }

    /// <summary>The bytes as stored.</summary>
    public IReadOnlyList<byte> Bytes { get; }

    /// <summary>The content as UTF-8 text (for text artifacts).</summary>
    public string Content => System.Text.Encoding.UTF8.GetString([.. Bytes]);
}

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
