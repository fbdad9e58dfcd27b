using System.Text.Json;

namespace CloudPipeline.Cli.Commands;

/// <summary>Reading the host API's JSON rows for display: fields as text, CSV quoting.</summary>
internal static class ApiJson
{
    /// <summary>A field as text: a string as is, any other value as its JSON, absent or null as empty.</summary>
    public static string Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? (v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText()) : "";

    /// <summary>A CSV field, quoted when it holds a comma, quote or line break.</summary>
    public static string Csv(string value) => value.AsSpan().IndexOfAny(',', '"', '\n') >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
