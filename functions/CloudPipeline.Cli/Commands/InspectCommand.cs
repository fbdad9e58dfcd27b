using System.CommandLine;
using System.Text.Json;
using CloudPipeline.Core.Formats;
using CloudPipeline.Core.Formats.Electrochemistry;
using CloudPipeline.Core.Formats.Mri;

namespace CloudPipeline.Cli.Commands;

/// <summary><c>cloudpipeline inspect FILE…</c>: what the pipeline makes of a file.</summary>
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
            var reports = new List<object>();
            foreach (var file in parse.GetValue(files)!)
            {
                try
                {
                    reports.Add(Inspect(file));
                }
                catch (Exception ex) when (ex is InstrumentFileException or IOException)
                {
                    reports.Add(new { file = file.Name, error = ex.Message });
                    status = 2;
                }
            }
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(reports, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
            }
            else
            {
                foreach (var report in reports)
                {
                    foreach (var property in report.GetType().GetProperties())
                    {
                        Console.WriteLine($"{property.Name,-10} {Render(property.GetValue(report))}");
                    }
                    Console.WriteLine();
                }
            }
            return status;
        });
        return command;
    }

    private static string Render(object? value) => value switch
    {
        null => "-",
        string s => s,
        System.Collections.IEnumerable e => string.Join(", ", e.Cast<object>()),
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "-",
    };

    private static object Inspect(FileInfo file)
    {
        var text = File.ReadAllText(file.FullName);
        if (TopSpinProfileReader.Sniff(text.AsSpan(0, Math.Min(text.Length, 2048))))
        {
            var p = TopSpinProfileReader.Read(new StringReader(text), file.Name);
            return new
            {
                file = file.Name,
                format = "topspin-1d-text",
                reader = $"TopSpinProfileReader {TopSpinProfileReader.Version}",
                points = p.Size,
                columns = new[] { "intensity (a.u.), LEFT→RIGHT" },
                first = p.Values[0].ToString("R", System.Globalization.CultureInfo.InvariantCulture),
                last = p.Values[^1].ToString("R", System.Globalization.CultureInfo.InvariantCulture),
                details = $"data set {p.DataSetName}, EXPNO {p.ExpNo}, PROCNO {p.ProcNo}, {p.LeftPpm} → {p.RightPpm} ppm",
            };
        }
        var series = DelimitedTimeSeriesReader.Read(new StringReader(text), file.Name, DelimitedTimeSeriesLayout.ZahnerPolarisation, 1.0);
        return new
        {
            file = file.Name,
            format = "potentiostat-record (t h, V, j mA/cm²)",
            reader = $"DelimitedTimeSeriesReader {DelimitedTimeSeriesReader.Version}",
            points = series.Count,
            columns = new[] { "t (s from first row)", "V (V)", "I (A per cm²)" },
            first = $"t=0 s, V={series.Voltage[0]}, I={series.Current[0]:G6}",
            last = $"t={series.Time[^1]:F1} s, V={series.Voltage[^1]}, I={series.Current[^1]:G6}",
            details = $"clock starts at {series.StartOffset / 3600:F5} h",
        };
    }
}
