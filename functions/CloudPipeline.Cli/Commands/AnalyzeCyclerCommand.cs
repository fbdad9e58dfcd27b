using System.CommandLine;
using System.Globalization;
using CloudPipeline.Core.Analysis;
using CloudPipeline.Core.Analysis.Cycler;
using CloudPipeline.Core.Formats;
using CloudPipeline.Core.Formats.Cycler;
using CloudPipeline.Core.Pipeline;

namespace CloudPipeline.Cli.Commands;

/// <summary><c>cloudpipeline analyze cycler FILE</c>.</summary>
internal static class AnalyzeCyclerCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "A cycler export: Neware CSV, Arbin CSV, Maccor text, Novonix CSV or PEC CSV." };
        var first = new Option<string>("--first-direction") { Description = "The direction each cycle starts with (charge or discharge); default: that of the file's first non-rest step (discharge for an anode half cell)." };
        first.AcceptOnlyFromAmong("charge", "discharge");
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for cycles.csv, steps.csv, cycler.json, timeseries.bdf.csv (Battery Data Format column names) and the SVG plots." };
        file.AcceptExistingOnly();
        var command = new Command("cycler", "Steps, per-cycle capacities, energies, Coulombic efficiency and retention of a cycler file (electrochemistry spec §3, §6).")
        {
            file, first, output,
        };
        command.SetAction(parse =>
        {
            var info = parse.GetValue(file)!;
            var dir = parse.GetValue(output);
            string? bdfPath = dir is null ? null : Path.Combine(dir.FullName, "timeseries.bdf.csv");
            try
            {
                var parameters = new CycleSummaryParameters
                {
                    FirstDirection = parse.GetValue(first) switch { "charge" => CycleDirection.Charge, "discharge" => CycleDirection.Discharge, _ => null },
                };
                using var record = CyclerFormats.Open(info.OpenRead(), info.Name);
                dir?.Create();
                CyclerReport report;
                using (var bdf = bdfPath is null ? null : new StreamWriter(bdfPath))
                {
                    report = CyclerStage.Run(record, parameters, bdf);
                }
                Print(report);
                if (dir is not null)
                {
                    foreach (var artifact in CyclerStage.Artifacts(report, [new InputReference(info.FullName, "")], TimeProvider.System.GetUtcNow()))
                    {
                        File.WriteAllBytes(Path.Combine(dir.FullName, artifact.Name), [.. artifact.Bytes]);
                    }
                    Console.WriteLine($"written to  {dir.FullName}");
                }
                return 0;
            }
            catch (Exception ex) when (ex is InstrumentFileException or AnalysisException or IOException or UnauthorizedAccessException)
            {
                if (bdfPath is not null && File.Exists(bdfPath))
                {
                    File.Delete(bdfPath); // a time series cut short by the error is not left behind as if complete
                }
                Console.Error.WriteLine($"error: {ex.Message}");
                return 2;
            }
        });
        return command;
    }

    private static void Print(CyclerReport report)
    {
        var a = report.Analysis;
        var f = report.File;
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine($"{f.SourceName}: {f.Reader}, {a.Samples} rows over {(a.DurationS / 3600).ToString("0.###", c)} h{(f.Start is { } s ? ", started " + s.ToString("yyyy-MM-dd HH:mm:ss", c) : "")}");
        if (report.IncompleteLastRow)
        {
            Console.WriteLine("  the file ends inside its last row (a copy taken while it was written): that row is not used");
        }
        Console.WriteLine($"{CyclerAnalysis.AlgorithmVersion}: charge {(a.ChargeAh * 1e3).ToString("G6", c)} mAh / {(a.ChargeWh * 1e3).ToString("G6", c)} mWh, discharge {(a.DischargeAh * 1e3).ToString("G6", c)} mAh / {(a.DischargeWh * 1e3).ToString("G6", c)} mWh, {a.Steps.Count} steps{(a.Flags.Count > 0 ? ", " + string.Join(", ", a.Flags) : "")}");
        if (a.Cycles.Count == 0)
        {
            return;
        }
        string inName = a.FirstDirection == CycleDirection.Discharge ? "Q_dis" : "Q_chg";
        string outName = a.FirstDirection == CycleDirection.Discharge ? "Q_chg" : "Q_dis";
        bool resistance = a.Cycles.Any(x => x.InternalResistanceOhm is not null);
        Console.WriteLine($"{"CYCLE",5} {inName + " mAh",12} {outName + " mAh",12} {"CE %",8} {"V_in",7} {"V_out",7} {"RET %",7}{(resistance ? $" {"R_int mOhm",10}" : "")}  FLAGS");
        string N(double? v, string format) => v is { } x ? x.ToString(format, c) : "-";
        foreach (var cycle in a.Cycles)
        {
            Console.WriteLine($"{cycle.Cycle,5} {N(cycle.QInAh * 1e3, "F4"),12} {N(cycle.QOutAh * 1e3, "F4"),12} {N(cycle.CoulombicEfficiency * 100, "F2"),8} {N(cycle.MeanVoltageInV, "F4"),7} {N(cycle.MeanVoltageOutV, "F4"),7} {N(cycle.Retention * 100, "F1"),7}{(resistance ? $" {N(cycle.InternalResistanceOhm * 1e3, "F2"),10}" : "")}  {string.Join(", ", cycle.Flags)}");
        }
        if (a.Fade is { } fade)
        {
            Console.WriteLine($"capacity fade over {fade.Cycles} complete cycles: {(fade.SlopeAhPerCycle * 1e3).ToString("G4", c)} mAh/cycle ({(fade.RelativePerCycle * 100).ToString("G3", c)} %/cycle of the reference cycle), R² {fade.RSquared.ToString("F3", c)}");
        }
    }
}
