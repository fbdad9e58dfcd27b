using System.Globalization;
using System.Text.Json;
using Azure;

namespace CloudPipeline.Storage.Tables;

/// <summary>Converts entities to and from the OData JSON of the Table service, with explicit type annotations.</summary>
internal static class TableEntityJson
{
    private const string TypeSuffix = "@odata.type";

    public static byte[] Serialize(TableEntity entity)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("PartitionKey", entity.PartitionKey);
            writer.WriteString("RowKey", entity.RowKey);
            foreach (var (name, value) in entity)
            {
                switch (value)
                {
                    case string s:
                        writer.WriteString(name, s);
                        break;
                    case int i:
                        writer.WriteNumber(name, i);
                        break;
                    case long l:
                        writer.WriteString(name, l.ToString(CultureInfo.InvariantCulture));
                        writer.WriteString(name + TypeSuffix, "Edm.Int64");
                        break;
                    case double d when double.IsFinite(d):
                        writer.WriteNumber(name, d);
                        writer.WriteString(name + TypeSuffix, "Edm.Double");
                        break;
                    case double d:
                        writer.WriteString(name, double.IsNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
                        writer.WriteString(name + TypeSuffix, "Edm.Double");
                        break;
                    case bool b:
                        writer.WriteBoolean(name, b);
                        break;
                    case DateTimeOffset dt:
                        writer.WriteString(name, dt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture));
                        writer.WriteString(name + TypeSuffix, "Edm.DateTime");
                        break;
                    case Guid g:
                        writer.WriteString(name, g.ToString("D"));
                        writer.WriteString(name + TypeSuffix, "Edm.Guid");
                        break;
                    case byte[] bytes:
                        writer.WriteString(name, Convert.ToBase64String(bytes));
                        writer.WriteString(name + TypeSuffix, "Edm.Binary");
                        break;
                }
            }
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }

    public static TableEntity Deserialize(JsonElement json, ETag? headerETag = null)
    {
        // A $select projection omits the keys unless they are selected.
        string Key(string name) => json.TryGetProperty(name, out var key) ? key.GetString() ?? string.Empty : string.Empty;
        var entity = new TableEntity(Key("PartitionKey"), Key("RowKey"));
        foreach (var property in json.EnumerateObject())
        {
            string name = property.Name;
            if (name is "PartitionKey" or "RowKey" || name.StartsWith("odata.", StringComparison.Ordinal) || name.Contains('@', StringComparison.Ordinal))
            {
                continue;
            }
            string? type = json.TryGetProperty(name + TypeSuffix, out var t) ? t.GetString() : null;
            if (name == "Timestamp")
            {
                entity.Timestamp = DateTimeOffset.Parse(property.Value.GetString()!, CultureInfo.InvariantCulture);
                continue;
            }
            entity[name] = ReadValue(property.Value, type);
        }
        if (json.TryGetProperty("odata.etag", out var etag))
        {
            entity.ETag = new ETag(etag.GetString()!);
        }
        else if (headerETag is { } e)
        {
            entity.ETag = e;
        }
        return entity;
    }

    private static object? ReadValue(JsonElement value, string? type) => type switch
    {
        "Edm.Int64" => long.Parse(value.GetString()!, CultureInfo.InvariantCulture),
        "Edm.Int32" => value.GetInt32(),
        "Edm.Double" when value.ValueKind == JsonValueKind.String => value.GetString() switch
        {
            "NaN" => double.NaN,
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            var s => double.Parse(s!, CultureInfo.InvariantCulture),
        },
        "Edm.Double" => value.GetDouble(),
        "Edm.DateTime" => DateTimeOffset.Parse(value.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
        "Edm.Guid" => Guid.Parse(value.GetString()!),
        "Edm.Binary" => Convert.FromBase64String(value.GetString()!),
        "Edm.Boolean" => value.GetBoolean(),
        _ => value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number when value.TryGetInt32(out int i) && !value.GetRawText().Contains('.', StringComparison.Ordinal) => i,
            JsonValueKind.Number => value.GetDouble(),
            _ => null,
        },
    };
}
