using System.Globalization;
using System.Text.Json;
using CloudPipeline.Core.Analysis.Eis;
using CloudPipeline.Core.Analysis.Eis.Circuits;
using CloudPipeline.Core.Formats.Eis;
using CloudPipeline.Core.Plotting;

namespace CloudPipeline.Core.Pipeline;

/// <summary>What the EIS chain computes for one spectrum.</summary>
/// <param name="Spectrum">The spectrum as read.</param>
/// <param name="Validation">Lin-KK.</param>
/// <param name="Drt">The DRT.</param>
/// <param name="Fit">The circuit fit, when a circuit was given.</param>
public sealed record EisReport(Spectrum Spectrum, LinKkResult Validation, DrtResult Drt, CircuitFitResult? Fit);

/// <summary>The EIS chain for one spectrum: validate (Lin-KK), DRT, and a circuit fit when a circuit is named.</summary>
public static class EisStage
{
    /// <summary>Runs the chain.</summary>
    public static EisReport Run(Spectrum spectrum, string? circuit = null, IReadOnlyList<double>? initialGuess = null, DrtParameters? drt = null, LinKkParameters? linKk = null)
    {
        var validation = LinKk.Run(spectrum, linKk);
        var distribution = Drt.Compute(spectrum, drt);
        CircuitFitResult? fit = null;
        if (circuit is not null)
        {
            var parsed = Circuit.Parse(circuit);
            var guess = initialGuess ?? throw new ArgumentException($"Fitting {circuit} needs an initial guess of {parsed.ParameterNames.Count} values ({string.Join(", ", parsed.ParameterNames)}).");
            fit = CircuitFitter.Fit(spectrum, parsed, guess);
        }
        return new EisReport(spectrum, validation, distribution, fit);
    }

    /// <summary><c>eis.json</c> and the plots: Nyquist and Bode with the fit, and the DRT.</summary>
    public static IReadOnlyList<Artifact> Artifacts(EisReport report)
    {
        var s = report.Spectrum;
        var series = new List<SvgSeries> { new("measured", s.ZReal, s.ZImag.Select(v => -v).ToArray(), "#2471a3", MarkersOnly: true) };
        var bodeMod = new List<SvgSeries> { new("measured |Z|", s.Frequency, Enumerable.Range(0, s.Count).Select(s.Modulus).ToArray(), "#2471a3", MarkersOnly: true) };
        var bodePhase = new List<SvgSeries> { new("measured phase", s.Frequency, Enumerable.Range(0, s.Count).Select(i => -s.Phase(i) * 180 / Math.PI).ToArray(), "#2471a3", MarkersOnly: true) };
        if (report.Fit is { } fit)
        {
            var circuit = Circuit.Parse(fit.Circuit);
            var dense = Enumerable.Range(0, 200).Select(i => Math.Pow(10, Math.Log10(s.Frequency.Min()) + (Math.Log10(s.Frequency.Max()) - Math.Log10(s.Frequency.Min())) * i / 199)).ToArray();
            var z = dense.Select(f => circuit.Impedance(2 * Math.PI * f, fit.Values)).ToArray();
            series.Add(new SvgSeries($"fit {fit.Circuit}", z.Select(v => v.Real).ToArray(), z.Select(v => -v.Imaginary).ToArray(), "#c0392b"));
            bodeMod.Add(new SvgSeries("fit |Z|", dense, z.Select(v => v.Magnitude).ToArray(), "#c0392b"));
            bodePhase.Add(new SvgSeries("fit phase", dense, z.Select(v => -v.Phase * 180 / Math.PI).ToArray(), "#c0392b"));
        }
        return
        [
            new Artifact("eis.json", "application/json", Json(report)),
            new Artifact("nyquist.svg", "image/svg+xml", SvgPlot.Lines($"Nyquist: {s.SourceName}", series, "Z' (Ohm)", "-Z'' (Ohm)")),
            new Artifact("bode-modulus.svg", "image/svg+xml", SvgPlot.Lines($"Bode |Z|: {s.SourceName}", bodeMod, "f (Hz)", "|Z| (Ohm)", logX: true)),
            new Artifact("bode-phase.svg", "image/svg+xml", SvgPlot.Lines($"Bode phase: {s.SourceName}", bodePhase, "f (Hz)", "-phase (deg)", logX: true)),
            new Artifact("drt.svg", "image/svg+xml", SvgPlot.Lines($"DRT (lambda {report.Drt.Lambda.ToString("G3", CultureInfo.InvariantCulture)}): {s.SourceName}",
                [new SvgSeries("g (Ohm/decade)", report.Drt.Log10Tau, report.Drt.Density, "#117a65")], "log10 tau (s)", "g (Ohm per decade)")),
        ];
    }

    private static string Json(EisReport r)
    {
        var v = r.Validation;
        var d = r.Drt;
        var document = new EisDocument(
            r.Spectrum.SourceName,
            r.Spectrum.FormatId,
            r.Spectrum.Count,
            r.Spectrum.IncompleteLastRow,
            new EisLinKkDocument(LinKkResult.AlgorithmVersion, v.M, v.Mu, v.Parameters.C, v.MaxResidualReal, v.MaxResidualImag, v.Parameters.Gate, v.Passed ? "pass" : "KK_FAIL"),
            new EisDrtDocument(DrtResult.AlgorithmVersion, d.Lambda, d.Log10Tau.Length, d.RInfinity, d.Inductance, d.PolarisationResistance, d.InterphaseResistance,
                d.InterphaseAsr, d.InterphaseResistancePerElectrode, d.Peak?.RefinedLog10Tau, d.Log10Tau, d.Resistance),
            r.Fit is { } f ? new EisFitDocument(CircuitFitResult.AlgorithmVersion, f.Circuit, f.ChiSquare, f.Rmse, f.Evaluations, f.Flags, f.Parameters) : null);
        return JsonSerializer.Serialize(document, CoreJsonContext.Reports.EisDocument);
    }
}

/// <summary><c>eis.json</c>: the spectrum read, its Lin-KK validation, DRT and circuit fit (camelCase in the file).</summary>
internal sealed record EisDocument(string File, string Format, int Points, bool IncompleteLastRow, EisLinKkDocument LinKk, EisDrtDocument Drt, EisFitDocument? Fit);

/// <summary>The Lin-KK part of <c>eis.json</c>.</summary>
internal sealed record EisLinKkDocument(string Algorithm, int M, double Mu, double? C, double MaxResidualReal, double MaxResidualImag, double Gate, string Verdict);

/// <summary>The DRT part of <c>eis.json</c>.</summary>
internal sealed record EisDrtDocument(string Algorithm, double Lambda, int GridPoints, double RInfinity, double Inductance, double PolarisationResistance,
    double InterphaseResistance, double? InterphaseAsr, double? InterphaseResistancePerElectrode, double? PeakLog10Tau, double[] Log10Tau, double[] Resistance);

/// <summary>The circuit fit part of <c>eis.json</c>.</summary>
internal sealed record EisFitDocument(string Algorithm, string Circuit, double ChiSquare, double Rmse, int Evaluations, IReadOnlyList<string> Flags,
    IReadOnlyList<FittedParameter> Parameters);
