using System.CommandLine;
using CloudPipeline.Cli.Commands;
using CloudPipeline.Core.Numerics;

NumericsRuntime.UseSingleThreadedKernels();

var root = new RootCommand("cloudpipeline: operando battery-data pipeline tool. Local analysis (analyze, inspect, simulate) needs no cloud; upload, watch, status, results, diff, reanalyze and artifacts talk to the pipeline.")
{
    AnalyzeCommand.Create(),
    InspectCommand.Create(),
    SimulateCommand.Create(),
    UploadCommand.Create(),
    WatchCommand.Create(),
    StatusCommands.Status(),
    StatusCommands.Results(),
    DiffCommand.Create(),
    ReanalyzeCommand.Create(),
    ArtifactsCommand.Create(),
    SiteCommands.Site(),
    SiteCommands.Share(),
    SiteCommands.Audit(),
    SiteCommands.Consortium(),
    CliSettings.Key,
};
return await root.Parse(args).InvokeAsync();
