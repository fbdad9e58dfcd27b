using System.CommandLine;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace CloudPipeline.Cli.Commands;

/// <summary>
/// <c>cloudpipeline artifacts --site S --experiment E [--out DIR]</c>: lists the plots, arrays, tables and reports the
/// pipeline wrote for an experiment, or downloads them, through the host's HTTP API (no storage credentials needed).
/// </summary>
internal static class ArtifactsCommand
{
    private static readonly Lazy<HttpClient> Storage = new(() => new HttpClient { Timeout = TimeSpan.FromMinutes(5) });

    public static Command Create()
    {
        var site = CliSettings.Site(required: true);
        var experiment = CliSettings.Experiment(required: true);
        var output = new Option<DirectoryInfo?>("--out") { Description = "Download every artifact into this folder (kept in the pipeline's site/experiment/stage/... layout); without it, list them." };
        var command = new Command("artifacts", "List or download the plots, arrays, tables and reports the pipeline wrote for an experiment.") { site, experiment, output, CliSettings.Api };
        command.SetAction(async (parse, ct) =>
        {
            using var http = ApiClient.Create(parse.GetValue(CliSettings.Api)!, CliSettings.Credential(parse));
            string s = parse.GetValue(site)!, e = parse.GetValue(experiment)!;
            JsonElement[] artifacts;
            try
            {
                artifacts = await http.GetFromJsonAsync($"api/artifacts?site={Uri.EscapeDataString(s)}&experiment={Uri.EscapeDataString(e)}", CliJsonContext.Default.JsonElementArray, ct) ?? [];
            }
            catch (HttpRequestException ex)
            {
                Console.Error.WriteLine(ApiClient.Describe(http, ex));
                return 3;
            }
            if (artifacts.Length == 0)
            {
                Console.Error.WriteLine($"No artifacts for {s}/{e} yet (is the experiment uploaded, and has an analysis finished? `cloudpipeline status --site {s}` says).");
                return 1;
            }
            if (parse.GetValue(output) is not { } folder)
            {
                Console.WriteLine($"{"SIZE",10}  NAME");
                foreach (var a in artifacts)
                {
                    Console.WriteLine($"{a.GetProperty("size").GetInt64(),10}  {a.GetProperty("name").GetString()}");
                }
                Console.WriteLine($"{artifacts.Length} artifact(s); --out DIR downloads them.");
                return 0;
            }
            long total = 0;
            foreach (var a in artifacts)
            {
                string name = a.GetProperty("name").GetString()!;
                string target = Path.GetFullPath(Path.Combine(folder.FullName, name.Replace('/', Path.DirectorySeparatorChar)));
                if (!target.StartsWith(Path.GetFullPath(folder.FullName), StringComparison.Ordinal))
                {
                    Console.Error.WriteLine($"error: the artifact name '{name}' points outside {folder.FullName}; skipped.");
                    continue;
                }
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                try
                {
                    // The listing carries a short-lived read link per artifact, issued after the host checked this
                    // credential; the bytes come straight from storage, and the key is not sent there.
                    using var response = await Storage.Value.GetAsync(new Uri(a.GetProperty("url").GetString()!), HttpCompletionOption.ResponseHeadersRead, ct);
                    response.EnsureSuccessStatusCode();
                    await using var file = File.Create(target);
                    await response.Content.CopyToAsync(file, ct);
                    total += file.Length;
                }
                catch (HttpRequestException ex)
                {
                    Console.Error.WriteLine($"error: {name} could not be downloaded ({ex.Message}).");
                    return 3;
                }
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{artifacts.Length} artifact(s), {total:N0} bytes, in {folder.FullName}"));
            return 0;
        });
        return command;
    }
}
