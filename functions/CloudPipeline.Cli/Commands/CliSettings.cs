using System.CommandLine;

namespace CloudPipeline.Cli.Commands;

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

    /// <summary>The site.</summary>
    public static Option<string> Site(bool required) => new("--site") { Description = "Site (lab) name.", Required = required };

    /// <summary>The experiment.</summary>
    public static Option<string> Experiment(bool required) => new("--experiment") { Description = "Experiment (cell) name.", Required = required };
}
