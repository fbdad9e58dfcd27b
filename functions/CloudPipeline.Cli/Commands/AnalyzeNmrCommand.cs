using System.CommandLine;
using System.Globalization;
using CloudPipeline.Core.Analysis;
using CloudPipeline.Core.Analysis.Nmr;
using CloudPipeline.Core.Formats;
using CloudPipeline.Core.Formats.Nmr;
using CloudPipeline.Core.Pipeline;

namespace CloudPipeline.Cli.Commands;

/// <summary><c>cloudpipeline analyze nmr PATH</c>.</summary>
internal static class AnalyzeNmrCommand
{
    public static Command Create()
    {
        var path = new Argument<FileSystemInfo>("path") { Description = "A Bruker experiment folder (acqus + fid [+ pdata]), a Varian .fid folder, a Spinsolve folder, a JCAMP-DX file or a TopSpin text export." };
        var liMetal = new Option<bool>("--li-metal") { Description = "Run the 7Li Li-metal analysis: reference to 245 ppm, three components, morphology labels." };
        var lb = new Option<double?>("--lb") { Description = "Exponential line broadening (Hz); default the vendor's LB when its processing is present, else 0." };
        var phase = new Option<string?>("--phase") { Description = "acme, zero-order or vendor (default: vendor PHC0/PHC1 when present, else zero-order with --li-metal and acme otherwise)." };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for nmr.json, spectrum.csv, the figures (SVG and PNG) and report.html." };
        path.AcceptExistingOnly();
        var command = new Command("nmr", "Process a 1D NMR dataset (FFT, phase, peaks) and, with --li-metal, deconvolve the 7Li metal line (nmr spec).")
        {
            path, liMetal, lb, phase, output,
        };
        command.SetAction(parse =>
        {
            try
            {
                var info = parse.GetValue(path)!;
                var files = Files(info);
                var dataset = NmrDatasetReader.Read(info.ToString().TrimEnd('/'), files);
                var settings = new NmrSettings
                {
                    LiMetal = parse.GetValue(liMetal),
                    LineBroadeningHz = parse.GetValue(lb),
                    Phase = parse.GetValue(phase) switch
                    {
                        null or "vendor" => null,
                        "acme" => PhaseMode.Acme,
                        "zero-order" => PhaseMode.ZeroOrder,
                        var other => throw new ArgumentException($"--phase {other} is not known; expected acme, zero-order or vendor."),
                    },
                };
                var report = NmrStage.Run(dataset, settings);
                Print(report);
                if (parse.GetValue(output) is { } dir)
                {
                    dir.Create();
                    foreach (var artifact in NmrStage.Artifacts(report, [.. files.Select(f => new InputReference(f.Key, Provenance.Sha256(f.Value)))], TimeProvider.System.GetUtcNow()))
                    {
                        File.WriteAllBytes(Path.Combine(dir.FullName, artifact.Name), [.. artifact.Bytes]);
                    }
                    Console.WriteLine($"written to      {dir.FullName}");
                }
                return 0;
            }
            catch (Exception ex) when (ex is InstrumentFileException or AnalysisException or ArgumentException or IOException)
            {
                Console.Error.WriteLine($"error: {ex.Message}");
                return 2;
            }
        });
        return command;
    }

    /// <summary>The dataset's files keyed by their path under <paramref name="info"/> (one entry for a file).</summary>
    private static Dictionary<string, byte[]> Files(FileSystemInfo info) => info switch
    {
        FileInfo f => new() { [f.Name] = File.ReadAllBytes(f.FullName) },
        DirectoryInfo d => d.EnumerateFiles("*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(d.FullName, f.FullName).Replace('\\', '/'), f => File.ReadAllBytes(f.FullName)),
        _ => throw new ArgumentException($"{info.FullName} is neither a file nor a folder."),
    };

    private static void Print(NmrReport r)
    {
        string G(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
        var d = r.Dataset;
        var s = r.Spectrum;
        Console.WriteLine($"{d.Name}: {d.FormatId}{(d.Fid is { } f ? $", {f.Nucleus}, {f.Count} complex points, SW {G(f.SpectralWidthHz)} Hz, {G(f.FrequencyMHz)} MHz" : "")}");
        Console.WriteLine($"spectrum        {s.Count} points, {G(s.Ppm(0))} … {G(s.Ppm(s.Count - 1))} ppm");
        if (r.Processing is { } p)
        {
            Console.WriteLine($"processing      LB {G(p.Options.LineBroadeningHz)} Hz, group delay {G(p.GroupDelay)}, phase p0 {G(p.P0)}°, p1 {G(p.P1)}° ({r.PhaseSource}){(p.Flags.Count > 0 ? ", flags " + string.Join(",", p.Flags) : "")}");
        }
        if (r.VendorCorrelation is { } c)
        {
            Console.WriteLine($"vendor spectrum correlation {c.ToString("0.######", CultureInfo.InvariantCulture)}");
        }
        Console.WriteLine("peaks (ppm, relative height)");
        double top = r.Peaks.Count > 0 ? r.Peaks[0].Height : 1;
        foreach (var peak in r.Peaks)
        {
            Console.WriteLine($"  {peak.Ppm,10:F3}  {peak.Height / top,6:F3}");
        }
        if (r.LiMetal is { } li)
        {
            Console.WriteLine($"7Li Li metal    {li.Status}, R² {li.RSquared.ToString("F5", CultureInfo.InvariantCulture)}, reference shift {G(li.ReferenceShiftPpm)} ppm{(li.Flags.Count > 0 ? ", flags " + string.Join(",", li.Flags) : "")} ({li.LookupVersion})");
            foreach (var comp in li.Components)
            {
                Console.WriteLine($"  {comp.CentrePpm,8:F2} ± {comp.CentreSe:F2} ppm ({comp.RoundedPpm})  FWHM {comp.FwhmPpm,6:F2} ppm  eta {comp.Eta:F2}  area {comp.AreaFraction,6:P1}  {comp.Label}");
            }
        }
    }
}
