using System.CommandLine;
using System.Globalization;
using CloudPipeline.Core.Analysis;
using CloudPipeline.Core.Formats;
using CloudPipeline.Core.Pipeline;

namespace CloudPipeline.Cli.Commands;

/// <summary><c>cloudpipeline analyze …</c>: run a technique's analysis on local files, no cloud needed.</summary>
internal static class AnalyzeCommand
{
    public static Command Create()
    {
        var analyze = new Command("analyze", "Run a technique's analysis on local files, without any cloud.");
        analyze.Add(MriDrift());
        analyze.Add(AnalyzeEisCommand.Create());
        analyze.Add(AnalyzeNmrCommand.Create());
        analyze.Add(AnalyzeCyclerCommand.Create());
        return analyze;
    }

    private static Command MriDrift()
    {
        var profiles = new Option<DirectoryInfo>("--profiles") { Description = "Folder of TopSpin 1D profile exports (one file per profile).", Required = true };
        var voltage = new Option<FileInfo>("--voltage") { Description = "The potentiostat record (tab-separated: t [h], V [V], j [mA/cm²]), e.g. POL.txt.", Required = true };
        var manifest = new Option<FileInfo>("--manifest") { Description = "experiment.json with the analysis parameters (see docs/manifest.md); default: the published parameters, no flip." };
        var output = new Option<DirectoryInfo>("--out") { Description = "Output folder for velocity.csv, concentration.csv, metrics.json, the figures (SVG and PNG) and report.html.", Required = true };
        profiles.AcceptExistingOnly();
        voltage.AcceptExistingOnly();
        manifest.AcceptExistingOnly();

        var command = new Command("mri-drift", "Anion drift velocities from operando 19F MRI profiles and the cell voltage (mri-drift-velocity spec).")
        {
            profiles, voltage, manifest, output,
        };
        command.SetAction(parse =>
        {
            try
            {
                var m = ReadManifest(parse.GetValue(manifest));
                var cell = MriCellFolder.Read(parse.GetValue(profiles)!.FullName, parse.GetValue(voltage)!.FullName, m.ElectrodeAreaCm2 ?? 1.0);
                var report = MriDriftStage.Run(cell.Profiles, cell.Voltage, m, cell.Inputs);
                var outDir = parse.GetValue(output)!;
                outDir.Create();
                foreach (var artifact in MriDriftStage.Artifacts(report, TimeProvider.System.GetUtcNow()))
                {
                    File.WriteAllBytes(Path.Combine(outDir.FullName, artifact.Name), [.. artifact.Bytes]);
                }
                PrintSummary(report, outDir);
                return 0;
            }
            catch (Exception ex) when (ex is InstrumentFileException or AnalysisException or InvalidOperationException or ArgumentException)
            {
                Console.Error.WriteLine($"error: {ex.Message}");
                return 2;
            }
        });
        return command;
    }

    /// <summary>The manifest of <c>--manifest</c>, or the defaults (the published parameters) without one.</summary>
    private static ExperimentManifest ReadManifest(FileInfo? file)
    {
        if (file is null)
        {
            return new ExperimentManifest();
        }
        using var stream = file.OpenRead();
        return ExperimentManifest.Read(stream, file.Name);
    }

    private static void PrintSummary(MriDriftReport report, DirectoryInfo output)
    {
        var d = report.Drift;
        var m = d.Metrics;
        string F(double v) => v.ToString("F3", CultureInfo.InvariantCulture);
        Console.WriteLine($"mri-drift-velocity {d.AlgorithmVersion}: {d.ProfileCount} of {d.FileCount} profiles, ROI {d.RoiStart}..{d.RoiEnd} ({d.X1.Length} points)");
        Console.WriteLine($"  max |v_a|        {F(m.VMaxAbs)} um/h at profile {m.VMaxProfileIndex}, x1 = {F(m.VMaxX1)}");
        Console.WriteLine($"  edges k=0        {F(m.First.AtPlating)} / {F(m.First.AtCounter)} um/h");
        Console.WriteLine($"  edges k_CC={m.KCc,-4}  {F(m.AfterCc.AtPlating)} / {F(m.AfterCc.AtCounter)} um/h");
        Console.WriteLine($"  edges k=N-1      {F(m.Last.AtPlating)} / {F(m.Last.AtCounter)} um/h");
        Console.WriteLine($"  spatial diff     {F(m.SpatialDiffPct)} %   CV change x1=0 {F(m.CvChangePctPlating)} %, x1=1 {F(m.CvChangePctCounter)} %");
        if (report.Onset is { } o)
        {
            Console.WriteLine($"  MTL onset        {F(o.OnsetS / 60)} min after CC start (r_max {F(o.MaxRateVPerH)} V/h{(o.Censored ? ", censored" : "")}); knee {(o.KneeS is { } k ? F(k / 60) + " min" : "none")}");
        }
        if (report.SandsTimeS is { } sand)
        {
            Console.WriteLine($"  Sand's time      {F(sand / 60)} min");
        }
        Console.WriteLine($"  flags            {(d.Flags.Count == 0 ? "none" : string.Join(", ", d.Flags))}");
        Console.WriteLine($"  written to       {output.FullName}");
    }
}
