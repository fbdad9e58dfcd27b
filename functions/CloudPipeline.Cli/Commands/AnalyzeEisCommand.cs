using System.CommandLine;
using System.Globalization;
using CloudPipeline.Core.Analysis;
using CloudPipeline.Core.Analysis.Eis.Circuits;
using CloudPipeline.Core.Formats;
using CloudPipeline.Core.Formats.Eis;
using CloudPipeline.Core.Pipeline;

namespace CloudPipeline.Cli.Commands;

/// <summary><c>cloudpipeline analyze eis FILE</c>.</summary>
internal static class AnalyzeEisCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "An impedance file of any supported format." };
        var circuit = new Option<string>("--circuit") { Description = "Equivalent circuit in impedance.py syntax, e.g. R0-p(R1-Wo1,C1)." };
        var guess = new Option<string>("--initial-guess") { Description = "Comma-separated initial values, one per circuit parameter in circuit order." };
        var capacitive = new Option<bool>("--capacitive-only") { Description = "Keep only points with Z'' < 0 (impedance.py's ignoreBelowX)." };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for eis.json, the figures (Nyquist, Bode, DRT; SVG and PNG) and report.html." };
        file.AcceptExistingOnly();
        var command = new Command("eis", "Validate an impedance spectrum (Lin-KK), compute its DRT and, with --circuit, fit an equivalent circuit with confidence intervals.")
        {
            file, circuit, guess, capacitive, output,
        };
        command.SetAction(parse =>
        {
            try
            {
                var info = parse.GetValue(file)!;
                byte[] content = File.ReadAllBytes(info.FullName);
                var spectrum = EisFormats.Read(info.Name, content);
                InputReference[] inputs = [new(info.FullName, Provenance.Sha256(content))];
                if (parse.GetValue(capacitive))
                {
                    spectrum = Core.Analysis.Eis.EisPreprocessing.KeepCapacitiveOnly(spectrum);
                }
                double[]? initial = parse.GetValue(guess)?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                    .Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
                // A file with repeated sweeps is analysed sweep by sweep, as the pipeline does.
                var sweeps = Core.Analysis.Eis.EisPreprocessing.SplitSweeps(spectrum);
                for (int k = 0; k < sweeps.Count; k++)
                {
                    var report = EisStage.Run(sweeps[k], parse.GetValue(circuit), initial);
                    Print(report);
                    if (parse.GetValue(output) is { } dir)
                    {
                        var target = sweeps.Count == 1 ? dir : new DirectoryInfo(Path.Combine(dir.FullName, $"sweep-{k + 1}"));
                        target.Create();
                        foreach (var artifact in EisStage.Artifacts(report, inputs, TimeProvider.System.GetUtcNow()))
                        {
                            File.WriteAllBytes(Path.Combine(target.FullName, artifact.Name), [.. artifact.Bytes]);
                        }
                        Console.WriteLine($"written to      {target.FullName}");
                    }
                    Console.WriteLine();
                }
                return 0;
            }
            catch (Exception ex) when (ex is InstrumentFileException or AnalysisException or CircuitSyntaxException or ArgumentException or FormatException)
            {
                Console.Error.WriteLine($"error: {ex.Message}");
                return 2;
            }
        });
        return command;
    }

    private static void Print(EisReport r)
    {
        string G(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
        var v = r.Validation;
        Console.WriteLine($"{r.Spectrum.SourceName}: {r.Spectrum.FormatId}, {r.Spectrum.Count} points, {G(r.Spectrum.Frequency.Max())} … {G(r.Spectrum.Frequency.Min())} Hz");
        if (r.Spectrum.IncompleteLastRow)
        {
            Console.WriteLine("warning         the file ends inside its last row (copied while still being written?): that row is not used");
        }
        Console.WriteLine($"Lin-KK          M = {v.M}, mu = {G(v.Mu)}, max residual re {v.MaxResidualReal:P2} / im {v.MaxResidualImag:P2} → {(v.Passed ? "pass" : "KK_FAIL")} (gate {v.Parameters.Gate:P0})");
        var d = r.Drt;
        Console.WriteLine($"DRT             lambda {G(d.Lambda)}, R_inf {G(d.RInfinity)} Ohm, R_pol {G(d.PolarisationResistance)} Ohm, R_int(-4<log tau<0) {G(d.InterphaseResistance)} Ohm, peak {(d.Peak is { } peak ? G(peak.RefinedLog10Tau) : "none")}");
        if (r.Fit is { } f)
        {
            Console.WriteLine($"fit {f.Circuit}: chi2 {G(f.ChiSquare)}, {f.Evaluations} evaluations{(f.Flags.Count > 0 ? ", flags " + string.Join(",", f.Flags) : "")}");
            foreach (var p in f.Parameters)
            {
                Console.WriteLine($"  {p.Name,-8} {G(p.Value),14} {p.Unit,-11} ± {G(p.StandardError)}  95% [{G(p.Lower95)}, {G(p.Upper95)}]{(p.AtBound ? " AT_BOUND" : "")}{(p.Fixed ? " fixed" : "")}");
            }
        }
    }
}
