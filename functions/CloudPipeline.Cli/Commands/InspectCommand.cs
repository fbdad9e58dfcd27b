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
            var reports = new List<InspectReport>();
            foreach (var file in parse.GetValue(files)!)
            {
                try
                {
                    var f = FormatRegistry.Default.Identify(file.Name, File.ReadAllBytes(file.FullName));
                    reports.Add(new InspectReport(file.Name, f.FormatId, f.Technique, f.Reader, f.Points, f.Columns, f.First, f.Last, Error: null));
                }
                catch (Exception ex) when (ex is InstrumentFileException or IOException or UnauthorizedAccessException)
                {
                    reports.Add(new InspectReport(file.Name, null, null, null, null, null, null, null, ex.Message));
                    status = 2;
                }
            }
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(reports, CliJsonContext.Default.IReadOnlyListInspectReport));
                return status;
            }
            foreach (var report in reports)
            {
                foreach (var (key, value) in report.Fields())
                {
                    Console.WriteLine($"{key,-10} {value}");
                }
                Console.WriteLine();
            }
            return status;
        });
        return command;
    }
}

/// <summary>What <c>inspect</c> reports of one file: its identification, or the error that stopped it.</summary>
internal sealed record InspectReport(string File, string? Format, string? Technique, string? Reader, int? Points, IReadOnlyList<string>? Columns,
    string? First, string? Last, string? Error)
{
    /// <summary>The fields that are set, as the text output shows them (lists joined by "; ").</summary>
    public IEnumerable<(string Key, string Value)> Fields()
    {
        (string, string?)[] all =
        [
            ("file", File), ("format", Format), ("technique", Technique), ("reader", Reader), ("points", Points?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("columns", Columns is null ? null : string.Join("; ", Columns)), ("first", First), ("last", Last), ("error", Error),
        ];
        return all.Where(f => f.Item2 is not null).Select(f => (f.Item1, f.Item2!));
    }
}
