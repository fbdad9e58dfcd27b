using System.CommandLine;

namespace CloudPipeline.Cli.Commands;

/// <summary>How the CLI authenticates to the API: an API key, or an Entra ID bearer token.</summary>
/// <param name="Key">The API key (sent as X-Api-Key).</param>
/// <param name="Token">The bearer token.</param>
internal sealed record ApiCredential(string? Key, string? Token);

/// <summary>Options shared by the commands that talk to the pipeline, configured like the host.</summary>
internal static class CliSettings
{
    /// <summary>The storage connection string: --connection, else CloudPipeline__Storage__ConnectionString, else development storage.</summary>
    public static readonly Option<string> Connection = new("--connection")
    {
        Description = "Storage connection string (default: $CloudPipeline__Storage__ConnectionString or UseDevelopmentStorage=true).",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("CloudPipeline__Storage__ConnectionString") ?? "UseDevelopmentStorage=true",
    };

    /// <summary>The host's HTTP API.</summary>
    public static readonly Option<Uri> Api = new("--api")
    {
        Description = "The host's HTTP API (default: $CLOUDPIPELINE_API or http://127.0.0.1:7071).",
        DefaultValueFactory = _ => new Uri(Environment.GetEnvironmentVariable("CLOUDPIPELINE_API") ?? "http://127.0.0.1:7071"),
    };

    /// <summary>The API key, on every command: --key, else $CLOUDPIPELINE_API_KEY, else the local host's operator key file.</summary>
    public static readonly Option<string?> Key = new("--key")
    {
        Description = "API key for the host's API (default: $CLOUDPIPELINE_API_KEY, else $CLOUDPIPELINE_TOKEN as an Entra ID bearer token, else the key in the file $CLOUDPIPELINE_KEY_FILE, else the local operator key in .cloudpipeline/operator.key above the current folder). With upload and watch, a key sends the files through per-file upload links instead of the storage connection.",
        Recursive = true,
    };

    /// <summary>The key given explicitly (--key or $CLOUDPIPELINE_API_KEY), or null.</summary>
    public static string? ExplicitKey(ParseResult parse) =>
        parse.GetValue(Key) is { Length: > 0 } key ? key.Trim() : Environment.GetEnvironmentVariable("CLOUDPIPELINE_API_KEY") is { Length: > 0 } env ? env.Trim() : null;

    /// <summary>The credential for API calls: an explicit key, else a bearer token from $CLOUDPIPELINE_TOKEN, else a key file ($CLOUDPIPELINE_KEY_FILE, or the local operator's); null when there is none.</summary>
    public static ApiCredential? Credential(ParseResult parse)
    {
        if (ExplicitKey(parse) is { } key)
        {
            return new ApiCredential(key, null);
        }
        if (Environment.GetEnvironmentVariable("CLOUDPIPELINE_TOKEN") is { Length: > 0 } token)
        {
            return new ApiCredential(null, token.Trim());
        }
        if (Environment.GetEnvironmentVariable("CLOUDPIPELINE_KEY_FILE") is { Length: > 0 } keyFile && File.Exists(keyFile))
        {
            return new ApiCredential(File.ReadAllText(keyFile).Trim(), null);
        }
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            string file = Path.Combine(dir.FullName, ".cloudpipeline", "operator.key");
            if (File.Exists(file))
            {
                return new ApiCredential(File.ReadAllText(file).Trim(), null);
            }
        }
        return null;
    }

    /// <summary>The site.</summary>
    public static Option<string> Site(bool required) => new("--site") { Description = "Site (lab) name.", Required = required };

    /// <summary>The experiment.</summary>
    public static Option<string> Experiment(bool required) => new("--experiment") { Description = "Experiment (cell) name.", Required = required };
}
