using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

using static CloudPipeline.Cli.Commands.ApiJson;

namespace CloudPipeline.Cli.Commands;

/// <summary>
/// <c>cloudpipeline reanalyze --stage S [--site] [--experiment] [--dry-run | --status | --cancel] [--wait]</c>: a
/// reanalysis campaign of one stage through the host's API. The dry run lists what would be reanalysed and why, with
/// counts per site; a start prints the campaign's instance; <c>--wait</c> follows its progress to the end.
/// </summary>
internal static class ReanalyzeCommand
{
    public static Command Create()
    {
        var stage = new Option<string>("--stage")
        {
            Description = "The stage (algorithm id, e.g. mri-drift-velocity; `curl {api}/api/algorithms` lists them), or name@version for that version only.",
            Required = true,
        };
        var site = CliSettings.Site(required: false);
        var experiment = CliSettings.Experiment(required: false);
        var dryRun = new Option<bool>("--dry-run") { Description = "List what would be reanalysed and why; start nothing." };
        var status = new Option<bool>("--status") { Description = "Show the stage's campaign (running or last finished)." };
        var cancel = new Option<bool>("--cancel") { Description = "Cancel the stage's running campaign (reanalyses in flight finish)." };
        var wait = new Option<bool>("--wait") { Description = "After starting, follow the campaign's progress until it finishes." };
        var command = new Command("reanalyze", "Reanalyse the experiments whose results came from an older stage version or changed parameters (a campaign).")
        {
            stage, site, experiment, dryRun, status, cancel, wait, CliSettings.Api,
        };
        command.SetAction(async (parse, ct) =>
        {
            using var http = ApiClient.Create(parse.GetValue(CliSettings.Api)!, CliSettings.Credential(parse));
            string path = $"api/campaigns/{Uri.EscapeDataString(parse.GetValue(stage)!)}";
            string query = (parse.GetValue(site) is { } s ? $"?site={Uri.EscapeDataString(s)}" : "")
                + (parse.GetValue(experiment) is { } x ? $"{(parse.GetValue(site) is null ? "?" : "&")}experiment={Uri.EscapeDataString(x)}" : "");
            try
            {
                using var response = parse.GetValue(dryRun) ? await http.GetAsync($"{path}/plan{query}", ct)
                    : parse.GetValue(status) ? await http.GetAsync(path, ct)
                    : parse.GetValue(cancel) ? await http.DeleteAsync(path, ct)
                    : await http.PostAsync(path + query, null, ct);
                string text = await response.Content.ReadAsStringAsync(ct);
                var body = text.Length > 0 && text[0] == '{' ? JsonSerializer.Deserialize(text, CliJsonContext.Default.JsonElement) : default;
                if (!response.IsSuccessStatusCode)
                {
                    Console.Error.WriteLine($"error: {(body.ValueKind == JsonValueKind.Object ? Text(body, "error") : $"the host answered {(int)response.StatusCode} {response.ReasonPhrase}")}");
                    return response.StatusCode == HttpStatusCode.NotFound ? 1 : 2;
                }
                if (parse.GetValue(status) || parse.GetValue(cancel))
                {
                    Console.WriteLine(parse.GetValue(cancel) ? Text(body, "error") : Progress(body));
                    return 0;
                }
                var plan = parse.GetValue(dryRun) ? body : body.GetProperty("plan");
                PrintPlan(plan, parse.GetValue(dryRun));
                if (!parse.GetValue(dryRun) && Text(body, "instanceId") is { Length: > 0 } instance)
                {
                    Console.WriteLine($"started campaign {instance}; follow it with: cloudpipeline reanalyze --stage {parse.GetValue(stage)} --status");
                    if (parse.GetValue(wait))
                    {
                        return await FollowAsync(http, path, ct);
                    }
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

    private static void PrintPlan(JsonElement plan, bool dryRun)
    {
        var targets = plan.GetProperty("targets").EnumerateArray().ToList();
        int total = plan.GetProperty("total").GetInt32();
        string versions = string.Join(", ", plan.GetProperty("versions").EnumerateArray().Select(v => v.GetString()));
        if (total == 0)
        {
            Console.WriteLine($"Nothing to reanalyse: every experiment's {Text(plan, "algorithm")} results are at {versions} with their current manifest.");
        }
        else if (dryRun)
        {
            Console.WriteLine($"{"SITE",-16} {"EXPERIMENT",-32} {"TECHNIQUE",-10} WHY");
            foreach (var t in targets)
            {
                Console.WriteLine($"{Text(t, "site"),-16} {Text(t, "experiment"),-32} {Text(t, "technique"),-10} {Text(t, "why")}");
            }
            Console.WriteLine();
        }
        foreach (var c in plan.GetProperty("counts").EnumerateArray())
        {
            Console.WriteLine($"{Text(c, "site")}: {Text(c, "experiments")} experiment(s) to reanalyse for {Text(c, "algorithm")}");
        }
        Console.WriteLine($"{total} in all{(dryRun ? " (dry run: nothing started)" : "")}; query: {Text(plan, "query")}, " +
            $"{plan.GetProperty("elapsedMs").GetDouble().ToString("F0", CultureInfo.InvariantCulture)} ms");
    }

    private static async Task<int> FollowAsync(HttpClient http, string path, CancellationToken ct)
    {
        string last = "";
        while (true)
        {
            var instance = await http.GetFromJsonAsync(path, CliJsonContext.Default.JsonElement, ct);
            string line = Progress(instance);
            if (line != last)
            {
                Console.WriteLine(line);
                last = line;
            }
            string state = Text(instance, "status");
            if (state is "Completed" or "Failed" or "Terminated")
            {
                return state == "Completed" ? 0 : 1;
            }
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
        }
    }

    /// <summary>A campaign's state and counts (its output when finished, else its progress; Durable Task writes them in PascalCase).</summary>
    private static string Progress(JsonElement instance)
    {
        var p = instance.TryGetProperty("output", out var o) && o.ValueKind == JsonValueKind.Object ? o
            : instance.TryGetProperty("progress", out var c) && c.ValueKind == JsonValueKind.Object ? c : default;
        string counts = p.ValueKind == JsonValueKind.Object
            ? $": {Field(p, "Reanalysed")} of {Field(p, "Total")} reanalysed, {Field(p, "Failed")} failed, {Field(p, "Pages")} page(s) done"
              + (p.TryGetProperty("Failures", out var failures) ? string.Concat(failures.EnumerateArray().Select(f => Environment.NewLine + "  failed: " + f.GetString())) : "")
            : "";
        return $"{Text(instance, "instanceId")} {Text(instance, "status")}{counts}";
    }

    private static string Field(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.ToString() : "";
}
