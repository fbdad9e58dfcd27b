using System.CommandLine;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

using CloudPipeline.Core.Plotting;

using static CloudPipeline.Cli.Commands.ApiJson;

namespace CloudPipeline.Cli.Commands;

/// <summary>
/// <c>cloudpipeline diff --site S --experiment E [--from V1 --to V2]</c>: per quantity, old value, new value and relative
/// change between two computations (algorithm versions or parameter sets), and the QC flags that appeared or went away.
/// </summary>
internal static class DiffCommand
{
    public static Command Create()
    {
        var site = CliSettings.Site(required: true);
        var experiment = CliSettings.Experiment(required: true);
        var from = new Option<string?>("--from") { Description = "The old computation: a version (1.0.0), algorithm@version, or a parameter-hash prefix. Default: each quantity's computation before its newest." };
        var to = new Option<string?>("--to") { Description = "The new computation, the same way. Default: each quantity's newest." };
        var format = new Option<string>("--format") { Description = "table (default), json or csv.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json", "csv");
        var plot = new Option<DirectoryInfo?>("--plot") { Description = "Also write, into this folder, a figure (SVG and PNG) of each changed quantity across every computation of it." };
        var command = new Command("diff", "Compare an experiment's results between two algorithm versions or parameter sets.") { site, experiment, from, to, format, plot, CliSettings.Api };
        command.SetAction(async (parse, ct) =>
        {
            using var http = ApiClient.Create(parse.GetValue(CliSettings.Api)!, CliSettings.Credential(parse));
            string query = $"api/diff?site={Uri.EscapeDataString(parse.GetValue(site)!)}&experiment={Uri.EscapeDataString(parse.GetValue(experiment)!)}"
                + (parse.GetValue(from) is { } f ? $"&from={Uri.EscapeDataString(f)}" : "") + (parse.GetValue(to) is { } t ? $"&to={Uri.EscapeDataString(t)}" : "");
            JsonElement[] changes;
            try
            {
                changes = await http.GetFromJsonAsync(query, CliJsonContext.Default.JsonElementArray, ct) ?? [];
            }
            catch (HttpRequestException ex)
            {
                Console.Error.WriteLine(ApiClient.Describe(http, ex));
                return 3;
            }
            if (changes.Length == 0)
            {
                Console.Error.WriteLine("Nothing to compare: no quantity of this experiment has two computations (matching --from and --to, when given).");
                return 1;
            }
            switch (parse.GetValue(format))
            {
                case "json":
                    Console.WriteLine(JsonSerializer.Serialize(changes, CliJsonContext.Default.JsonElementArray));
                    break;
                case "csv":
                    Console.WriteLine("technique,quantity,unit,from,to,oldValue,newValue,relativeChange,flagsAppeared,flagsGone");
                    foreach (var c in changes)
                    {
                        Console.WriteLine(string.Join(',', new[] { Text(c, "technique"), Text(c, "quantity"), Text(c, "unit"), Text(c, "from"), Text(c, "to"), Value(c, "oldValue", "oldText"),
                            Value(c, "newValue", "newText"), Text(c, "relativeChange"), Flags(c, "flagsAppeared").Replace(',', ' '), Flags(c, "flagsGone").Replace(',', ' ') }.Select(Csv)));
                    }
                    break;
                default:
                    Console.WriteLine($"{"QUANTITY",-36} {"OLD",14} {"NEW",14} {"CHANGE",9} {"UNIT",-8} {"FROM → TO",-60} FLAGS");
                    foreach (var c in changes)
                    {
                        string change = c.TryGetProperty("relativeChange", out var r) && r.ValueKind == JsonValueKind.Number ? r.GetDouble().ToString("+0.0%;-0.0%;0%", CultureInfo.InvariantCulture) : "";
                        string flags = string.Join(' ', new[] { Flags(c, "flagsAppeared") is { Length: > 0 } a ? "+" + a : "", Flags(c, "flagsGone") is { Length: > 0 } g ? "−" + g : "" }.Where(x => x.Length > 0));
                        Console.WriteLine($"{Text(c, "quantity"),-36} {Value(c, "oldValue", "oldText"),14} {Value(c, "newValue", "newText"),14} {change,9} {Text(c, "unit"),-8} {Text(c, "from") + " → " + Text(c, "to"),-60} {flags}");
                    }
                    break;
            }
            if (parse.GetValue(plot) is { } folder)
            {
                var history = await http.GetFromJsonAsync($"api/results?site={Uri.EscapeDataString(parse.GetValue(site)!)}&experiment={Uri.EscapeDataString(parse.GetValue(experiment)!)}",
                    CliJsonContext.Default.JsonElementArray, ct) ?? [];
                foreach (string written in PlotAcrossVersions(folder, parse.GetValue(site)!, parse.GetValue(experiment)!, changes, history))
                {
                    Console.Error.WriteLine($"wrote {written}");
                }
            }
            return 0;
        });
        return command;
    }

    /// <summary>For each changed numeric quantity, its value over every computation (oldest first) with its 95 % interval; returns the files written.</summary>
    private static List<string> PlotAcrossVersions(DirectoryInfo folder, string site, string experiment, JsonElement[] changes, JsonElement[] history)
    {
        folder.Create();
        var written = new List<string>();
        foreach (var change in changes.Where(c => c.TryGetProperty("oldValue", out var v) && v.ValueKind == JsonValueKind.Number))
        {
            string technique = Text(change, "technique"), quantity = Text(change, "quantity");
            var rows = history.Where(r => Text(r, "technique") == technique && Text(r, "quantity") == quantity && r.GetProperty("value").ValueKind == JsonValueKind.Number)
                .OrderBy(r => r.GetProperty("computedAt").GetDateTimeOffset()).ToList();
            var points = rows.Select(r =>
            {
                double value = r.GetProperty("value").GetDouble();
                double? low = Number(r, "ci95Low"), high = Number(r, "ci95High");
                if (low is null && Number(r, "uncertainty") is { } u)
                {
                    (low, high) = (value - 1.96 * u, value + 1.96 * u); // normal approximation, as the results table shows it
                }
                return ($"{Text(r, "version")} · {Text(r, "parameterHash")[..Math.Min(6, Text(r, "parameterHash").Length)]}", value, low, high);
            }).ToList();
            string cell = rows.Select(r => Text(r, "cellId")).FirstOrDefault(c => c.Length > 0) ?? "";
            var model = Figures.AcrossVersions($"{quantity} across computations", $"{site}/{experiment}{(cell.Length > 0 ? $" · cell {cell}" : "")} · {technique}", points,
                new PlotAxis(quantity, Text(change, "unit") is "1" ? "" : Text(change, "unit")));
            string name = string.Concat(quantity.Select(ch => char.IsAsciiLetterOrDigit(ch) ? ch : '-'));
            foreach (var file in Figures.Export(name, model))
            {
                string path = Path.Combine(folder.FullName, file.Name);
                File.WriteAllBytes(path, [.. file.Bytes]);
                written.Add(path);
            }
        }
        return written;
    }

    private static double? Number(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

    /// <summary>A numeric value (6 significant digits), or the result's text when it has no number.</summary>
    private static string Value(JsonElement e, string number, string text) =>
        e.TryGetProperty(number, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble().ToString("G6", CultureInfo.InvariantCulture) : Text(e, text);

    private static string Flags(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array ? string.Join(',', v.EnumerateArray().Select(x => x.GetString())) : "";
}
