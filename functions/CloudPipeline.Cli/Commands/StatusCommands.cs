using System.CommandLine;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

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
            using var http = ApiClient.Create(parse.GetValue(CliSettings.Api)!);
            string query = Query(("site", parse.GetValue(site)), ("experiment", parse.GetValue(experiment)));
            try
            {
                var experiments = await http.GetFromJsonAsync("api/experiments" + Query(("site", parse.GetValue(site))), CliJsonContext.Default.JsonElementArray, ct) ?? [];
                Console.WriteLine($"{"SITE",-14} {"EXPERIMENT",-24} {"STATUS",-18} DETAIL");
                foreach (var e in experiments.Where(e => parse.GetValue(experiment) is not { } x || e.GetProperty("experiment").GetString() == x))
                {
                    Console.WriteLine($"{e.GetProperty("site").GetString(),-14} {e.GetProperty("experiment").GetString(),-24} {e.GetProperty("status").GetString(),-18} {Text(e, "detail")}");
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
                Console.Error.WriteLine($"error: the host API at {http.BaseAddress} did not answer ({ex.Message}). Is the host running (dotnet run --project functions/CloudPipeline.LocalHost)?");
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
        var all = new Option<bool>("--all-versions") { Description = "Every computation kept, not only the latest per version." };
        var command = new Command("results", "Show analysis results with their algorithm versions.") { site, experiment, format, all, CliSettings.Api };
        command.SetAction(async (parse, ct) =>
        {
            using var http = ApiClient.Create(parse.GetValue(CliSettings.Api)!);
            string query = Query(("site", parse.GetValue(site)), ("experiment", parse.GetValue(experiment)), ("latest", parse.GetValue(all) ? null : "true"));
            JsonElement[] rows;
            try
            {
                rows = await http.GetFromJsonAsync("api/results" + query, CliJsonContext.Default.JsonElementArray, ct) ?? [];
            }
            catch (HttpRequestException ex)
            {
                Console.Error.WriteLine($"error: the host API at {http.BaseAddress} did not answer ({ex.Message}).");
                return 3;
            }
            rows = rows.OrderBy(r => r.GetProperty("experiment").GetString()).ThenBy(r => r.GetProperty("version").GetString()).ThenBy(r => r.GetProperty("quantity").GetString()).ToArray();
            switch (parse.GetValue(format))
            {
                case "json":
                    Console.WriteLine(JsonSerializer.Serialize(rows, CliJsonContext.Default.JsonElementArray));
                    break;
                case "csv":
                    Console.WriteLine("site,experiment,technique,quantity,value,text,unit,algorithm,version,parameterHash,flags,computedAt");
                    foreach (var r in rows)
                    {
                        Console.WriteLine(string.Join(',', new[] { "site", "experiment", "technique", "quantity", "value", "text", "unit", "algorithm", "version", "parameterHash", "flags", "computedAt" }.Select(k => Csv(Text(r, k)))));
                    }
                    break;
                default:
                    Console.WriteLine($"{"EXPERIMENT",-20} {"QUANTITY",-20} {"VALUE",14} {"UNIT",-6} {"ALGORITHM",-24} FLAGS");
                    foreach (var r in rows)
                    {
                        string value = r.GetProperty("value").ValueKind == JsonValueKind.Number ? r.GetProperty("value").GetDouble().ToString("G6", CultureInfo.InvariantCulture) : Text(r, "text");
                        Console.WriteLine($"{Text(r, "experiment"),-20} {Text(r, "quantity"),-20} {value,14} {Text(r, "unit"),-6} {Text(r, "algorithm") + "@" + Text(r, "version"),-24} {Text(r, "flags")}");
                    }
                    break;
            }
            return 0;
        });
        return command;
    }

    private static string Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? (v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText()) : "";

    private static string Csv(string value) => value.Contains(',') || value.Contains('"') ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;

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
