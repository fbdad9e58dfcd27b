using System.CommandLine;
using System.Text.Json;
using CloudPipeline.Core.Formats;

namespace CloudPipeline.Cli.Commands;

/// <summary><c>cloudpipeline inspect FILE…</c>: what the pipeline makes of a file, through the same reader registry the host uses.</summary>
internal static class InspectCommand
{
    public static Command Create()
    {
        var files = new Argument<FileInfo[]>("files") { Description = "Files to inspect.", Arity = ArgumentArity.OneOrMore };
        var json = new Option<bool>("--json") { Description = "Machine-readable output." };
        var command = new Command("inspect", "Show the detected format, reader version, points, columns with units, and the first and last record of each file.") { files, json };
        command.SetAction(parse =>
        {
            int status = 0;
            var reports = new List<Dictionary<string, object?>>();
            foreach (var file in parse.GetValue(files)!)
            {
                try
                {
                    var f = FormatRegistry.Default.Identify(file.Name, File.ReadAllBytes(file.FullName));
                    reports.Add(new()
                    {
                        ["file"] = file.Name, ["format"] = f.FormatId, ["technique"] = f.Technique, ["reader"] = f.Reader,
                        ["points"] = f.Points, ["columns"] = f.Columns, ["first"] = f.First, ["last"] = f.Last,
                    });
                }
                catch (Exception ex) when (ex is InstrumentFileException or IOException or UnauthorizedAccessException)
                {
                    reports.Add(new() { ["file"] = file.Name, ["error"] = ex.Message });
                    status = 2;
                }
            }
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(reports, new JsonSerializerOptions { WriteIndented = true }));
                return status;
            }
            foreach (var report in reports)
            {
                foreach (var (key, value) in report)
                {
                    Console.WriteLine($"{key,-10} {(value is IEnumerable<string> list ? string.Join("; ", list) : value)}");
                }
                Console.WriteLine();
            }
            return status;
        });
        return command;
    }
}
