using CloudPipeline.Core.Pipeline;
using System.CommandLine;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

using static CloudPipeline.Cli.Commands.ApiJson;

namespace CloudPipeline.Cli.Commands;

/// <summary><c>cloudpipeline status</c> and <c>cloudpipeline results</c>: read the pipeline through the host's HTTP API.</summary>
internal static class StatusCommands
{
    public static Command Status()
    {
        var site = CliSettings.Site(required: false);
        var experiment = CliSettings.Experiment(required: false);
        var command = new Command("status", "Show experiments and datasets with their status.") { site, experiment, CliSettings.Api };
        command.SetAction(async (parse, ct) =>
        {
            using var http = ApiClient.Create(parse.GetValue(CliSettings.Api)!, CliSettings.Credential(parse));
            string query = Query(("site", parse.GetValue(site)), ("experiment", parse.GetValue(experiment)));
            try
            {
                var experiments = await http.GetFromJsonAsync("api/experiments" + Query(("site", parse.GetValue(site))), CliJsonContext.Default.JsonElementArray, ct) ?? [];
                Console.WriteLine($"{"SITE",-14} {"EXPERIMENT",-24} {"STATUS",-18} {"TECHNIQUES",-22} DETAIL");
                foreach (var e in experiments.Where(e => parse.GetValue(experiment) is not { } x || e.GetProperty("experiment").GetString() == x))
                {
                    string techniques = e.TryGetProperty("techniques", out var t) && t.ValueKind == JsonValueKind.Array ? string.Join(",", t.EnumerateArray().Select(x => x.GetString())) : "";
                    Console.WriteLine($"{e.GetProperty("site").GetString(),-14} {e.GetProperty("experiment").GetString(),-24} {e.GetProperty("status").GetString(),-18} {techniques,-22} {Text(e, "detail")}");
                }
                Console.WriteLine();
                var datasets = await http.GetFromJsonAsync("api/datasets" + query, CliJsonContext.Default.JsonElementArray, ct) ?? [];
                var counts = datasets.GroupBy(d => d.GetProperty("status").GetString()).Select(g => $"{g.Key} {g.Count()}");
                Console.WriteLine($"{datasets.Length} dataset(s): {string.Join(", ", counts)}");
                foreach (var d in datasets.Where(d => d.GetProperty("status").GetString() is "Rejected" or "Failed" or "Quarantined" or "Processing" or "Received"))
                {
                    Console.WriteLine($"  {d.GetProperty("status").GetString(),-12} {d.GetProperty("site").GetString()}/{d.GetProperty("experiment").GetString()}/{d.GetProperty("path").GetString()}  {Text(d, "reason")}");
                }
                return 0;
            }
            catch (HttpRequestException ex)
            {
                Console.Error.WriteLine(ApiClient.Describe(http, ex));
                return 3;
            }
        });
        return command;
    }

    public static Command Results()
    {
        var site = CliSettings.Site(required: false);
        var experiment = CliSettings.Experiment(required: false);
        var format = new Option<string>("--format") { Description = "table (default), json or csv.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json", "csv");
        var all = new Option<bool>("--all-versions") { Description = "Every computation kept (every version and parameter set), not only the latest per version; with --format csv or json, an export with the provenance columns." };
        var explain = new Option<bool>("--explain") { Description = "Explain in words each QC flag the results carry (table: after the rows; csv and json: a column per row)." };
        var command = new Command("results", "Show analysis results with their uncertainty, 95 % confidence interval, algorithm version and QC flags.") { site, experiment, format, all, explain, CliSettings.Api };
        command.SetAction(async (parse, ct) =>
        {
            using var http = ApiClient.Create(parse.GetValue(CliSettings.Api)!, CliSettings.Credential(parse));
            string query = Query(("site", parse.GetValue(site)), ("experiment", parse.GetValue(experiment)), ("latest", parse.GetValue(all) ? null : "true"));
            JsonElement[] rows;
            try
            {
                rows = await http.GetFromJsonAsync("api/results" + query, CliJsonContext.Default.JsonElementArray, ct) ?? [];
            }
            catch (HttpRequestException ex)
            {
                Console.Error.WriteLine(ApiClient.Describe(http, ex));
                return 3;
            }
            rows = rows.OrderBy(r => r.GetProperty("experiment").GetString()).ThenBy(r => r.GetProperty("version").GetString()).ThenBy(r => r.GetProperty("quantity").GetString()).ToArray();
            bool explained = parse.GetValue(explain);
            string Explanations(JsonElement r) => string.Join(" | ", QcFlags.Split(Text(r, "flags")).Select(f => $"{f}: {QcFlags.Explain(f)}"));
            switch (parse.GetValue(format))
            {
                case "json":
                    if (explained)
                    {
                        // Each row with an "explanations" object: flag → sentence.
                        rows = [.. rows.Select(r =>
                        {
                            var node = System.Text.Json.Nodes.JsonNode.Parse(r.GetRawText())!.AsObject();
                            var words = new System.Text.Json.Nodes.JsonObject();
                            foreach (string f in QcFlags.Split(Text(r, "flags")))
                            {
                                words[f] = QcFlags.Explain(f);
                            }
                            node["explanations"] = words;
                            return JsonDocument.Parse(node.ToJsonString()).RootElement.Clone();
                        })];
                    }
                    Console.WriteLine(JsonSerializer.Serialize(rows, CliJsonContext.Default.JsonElementArray));
                    break;
                case "csv":
                    // The provenance columns too (an export): cell, algorithm, version, parameter hash, inputs with their
                    // SHA-256, artifact prefix and time; --all-versions exports every computation, not only the latest.
                    string[] columns = ["site", "experiment", "cellId", "technique", "quantity", "value", "uncertainty", "ci95Low", "ci95High", "text", "unit", "algorithm", "version",
                        "parameterHash", "flags", "artifactPrefix", "computedAt"];
                    Console.WriteLine(string.Join(',', columns) + ",inputs" + (explained ? ",explanations" : ""));
                    foreach (var r in rows)
                    {
                        string inputs = r.TryGetProperty("inputs", out var list) && list.ValueKind == JsonValueKind.Array
                            ? string.Join(';', list.EnumerateArray().Select(i => $"{Text(i, "name")}@{Text(i, "sha256")}"))
                            : "";
                        Console.WriteLine(string.Join(',', columns.Select(k => Csv(Text(r, k)))) + "," + Csv(inputs) + (explained ? "," + Csv(Explanations(r)) : ""));
                    }
                    break;
                default:
                    Console.WriteLine($"{"EXPERIMENT",-20} {"QUANTITY",-34} {"VALUE ± u",-26} {"95 % CI",-27} {"UNIT",-8} {"ALGORITHM",-26} FLAGS");
                    foreach (var r in rows)
                    {
                        Console.WriteLine($"{Text(r, "experiment"),-20} {Text(r, "quantity"),-34} {ValueText(r),-26} {CiText(r),-27} {Text(r, "unit"),-8} {Text(r, "algorithm") + "@" + Text(r, "version"),-26} {Text(r, "flags")}");
                    }
                    var flags = rows.SelectMany(r => QcFlags.Split(Text(r, "flags"))).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
                    if (explained && flags.Count > 0)
                    {
                        Console.WriteLine();
                        Console.WriteLine("QC flags (warnings about a result, not failures):");
                        foreach (string f in flags)
                        {
                            Console.WriteLine($"  {f}: {QcFlags.Explain(f)}");
                        }
                    }
                    else if (flags.Count > 0)
                    {
                        Console.WriteLine($"({flags.Count} QC flag{(flags.Count == 1 ? "" : "s")}: --explain says what each means.)");
                    }
                    break;
            }
            return 0;
        });
        return command;
    }

    /// <summary>The value with its standard uncertainty (or the text of a text-only result).</summary>
    private static string ValueText(JsonElement r)
    {
        if (!r.TryGetProperty("value", out var v) || v.ValueKind != JsonValueKind.Number)
        {
            return Text(r, "text");
        }
        string value = v.GetDouble().ToString("G6", CultureInfo.InvariantCulture);
        return r.TryGetProperty("uncertainty", out var u) && u.ValueKind == JsonValueKind.Number ? $"{value} ± {u.GetDouble().ToString("G2", CultureInfo.InvariantCulture)}" : value;
    }

    /// <summary>The 95 % confidence interval the analysis gave, or ±1.96u (normal approximation, marked ≈) from the standard uncertainty.</summary>
    private static string CiText(JsonElement r)
    {
        static double? Number(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
        string F(double x) => x.ToString("G4", CultureInfo.InvariantCulture);
        if (Number(r, "ci95Low") is { } low && Number(r, "ci95High") is { } high)
        {
            return $"[{F(low)}, {F(high)}]";
        }
        return Number(r, "value") is { } value && Number(r, "uncertainty") is { } u ? $"≈[{F(value - 1.96 * u)}, {F(value + 1.96 * u)}]" : "";
    }

    private static string Query(params (string Name, string? Value)[] parts)
    {
        var sb = new StringBuilder();
        foreach (var (name, value) in parts.Where(p => p.Value is not null))
        {
            sb.Append(sb.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value!));
        }
        return sb.ToString();
    }
}
