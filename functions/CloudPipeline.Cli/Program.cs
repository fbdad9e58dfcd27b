using System.CommandLine;
using CloudPipeline.Cli.Commands;

var root = new RootCommand("cloudpipeline: operando battery-data pipeline tool (analyze files locally, inspect, simulate).")
{
    AnalyzeCommand.Create(),
    InspectCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
