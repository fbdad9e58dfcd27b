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

    /// <summary>
    /// <c>eis.json</c> and the figures (SVG and PNG): Nyquist (equal aspect) and Bode |Z| and phase on a logarithmic
    /// frequency axis, each with the fit over the data and the Lin-KK residuals below; the DRT against τ on a
    /// logarithmic axis, non-negative, with its peak labelled.
    /// </summary>
    /// <param name="report">The chain's result.</param>
    /// <param name="cellId">The manifest's cell id, if any (in each figure's subtitle).</param>
    /// <param name="inputs">The input file with its hash (the report's provenance).</param>
    /// <param name="generatedAt">When (the report's date).</param>
    public static IReadOnlyList<Artifact> Artifacts(EisReport report, IReadOnlyList<InputReference> inputs, DateTimeOffset generatedAt, string? cellId = null)
    {
        return [.. Data(report), .. HtmlReport.FiguresAndReport(Plots(report, cellId), $"Impedance: {report.Spectrum.SourceName}", cellId, "Lin-KK, DRT and circuit fit", Results(report), inputs, generatedAt)];
    }

    /// <summary>The figures of <see cref="Artifacts"/>, as models (exported there; the plot tests read them).</summary>
    public static IReadOnlyList<Figure> Plots(EisReport report, string? cellId = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        var plots = new List<Figure>();
        var s = report.Spectrum;
        var frequency = s.Frequency;
        var nyquist = new List<PlotSeries> { new("measured", s.ZReal, [.. s.ZImag.Select(v => -v)], Markers: true) };
        var modulus = new List<PlotSeries> { new("measured |Z|", frequency, [.. Enumerable.Range(0, s.Count).Select(s.Modulus)], Markers: true) };
        var phase = new List<PlotSeries> { new("measured phase", frequency, [.. Enumerable.Range(0, s.Count).Select(i => -s.Phase(i) * 180 / Math.PI)], Markers: true) };
        string algorithms = report.Fit is null ? LinKkResult.AlgorithmVersion : $"{CircuitFitResult.AlgorithmVersion}, {LinKkResult.AlgorithmVersion}";
        if (report.Fit is { } fit)
        {
            var circuit = Circuit.Parse(fit.Circuit);
            double lo = Math.Log10(frequency.Min()), hi = Math.Log10(frequency.Max());
            var dense = Enumerable.Range(0, 200).Select(i => Math.Pow(10, lo + (hi - lo) * i / 199)).ToArray();
            var z = dense.Select(f => circuit.Impedance(2 * Math.PI * f, fit.Values)).ToArray();
            nyquist.Add(new PlotSeries($"fit {fit.Circuit}", [.. z.Select(v => v.Real)], [.. z.Select(v => -v.Imaginary)]));
            modulus.Add(new PlotSeries("fit |Z|", dense, [.. z.Select(v => v.Magnitude)]));
            phase.Add(new PlotSeries("fit phase", dense, [.. z.Select(v => -v.Phase * 180 / Math.PI)]));
        }
        var v = report.Validation;
        PlotSeries[] residuals =
        [
            new("Lin-KK Δre/|Z|", frequency, [.. v.ResidualReal.Select(r => r * 100)], Markers: true),
            new("Lin-KK Δim/|Z|", frequency, [.. v.ResidualImag.Select(r => r * 100)], Markers: true),
        ];
        var residualAxis = new PlotAxis("residual", "%");
        var f = new PlotAxis("f", "Hz", AxisScale.Log);
        string subtitle = Figures.Subtitle(cellId, algorithms);
        plots.Add(new Figure("nyquist", Figures.Nyquist($"Nyquist: {s.SourceName}", subtitle, nyquist)));
        plots.Add(new Figure("bode-modulus",
            Figures.Lines($"Bode |Z|: {s.SourceName}", subtitle, modulus, f, new PlotAxis("|Z|", "Ω", AxisScale.Log), residuals: residuals, residualAxis: residualAxis)));
        plots.Add(new Figure("bode-phase",
            Figures.Lines($"Bode phase: {s.SourceName}", subtitle, phase, f, new PlotAxis("−phase", "°"), residuals: residuals, residualAxis: residualAxis)));
        var d = report.Drt;
        var tau = d.Log10Tau.Select(t => Math.Pow(10, t)).ToArray();
        var peaks = d.Peak is { } peak
            ? new List<PlotEvent> { new(Math.Pow(10, peak.RefinedLog10Tau), $"peak τ = {Math.Pow(10, peak.RefinedLog10Tau).ToString("G3", CultureInfo.InvariantCulture)} s") }
            : [];
        plots.Add(new Figure("drt", Figures.Lines($"DRT (λ = {d.Lambda.ToString("G3", CultureInfo.InvariantCulture)}): {s.SourceName}",
            Figures.Subtitle(cellId, DrtResult.AlgorithmVersion), [new PlotSeries("γ", tau, d.Density)], new PlotAxis("τ", "s", AxisScale.Log),
            new PlotAxis("γ", "Ω per decade", Minimum: 0), peaks)));
        return plots;
    }

    /// <summary>The chain's summary document (see <see cref="Artifacts"/>).</summary>
    private static List<Artifact> Data(EisReport report) => [new("eis.json", "application/json", Json(report))];

    /// <summary>
    /// The chain's results, one row per quantity: Lin-KK μ and verdict, the DRT's R∞, polarisation and interphase
    /// resistance (and ASR, and the peak's log10 τ), the spectrum's start time where the file records one, and with a fit
    /// its χ² and each parameter with its standard error and 95 % t-interval. The pipeline stores these rows; the
    /// report shows them.
    /// </summary>
    public static IReadOnlyList<ReportRow> Results(EisReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var spectrum = report.Spectrum;
        var v = report.Validation;
        var d = report.Drt;
        string kk = v.Passed ? "" : "KK_FAIL";
        ReportRow Row(string quantity, double value, string unit, string algorithm, string? text = null, double? uncertainty = null, string? flags = null,
            (double Low, double High)? ci = null) => new(quantity, value, text, unit, uncertainty, ci?.Low, ci?.High, algorithm, flags);
        var rows = new List<ReportRow>
        {
            Row("linKkMu", v.Mu, "1", LinKkResult.AlgorithmVersion, flags: kk),
            Row("linKkVerdict", double.NaN, "", LinKkResult.AlgorithmVersion, v.Passed ? "pass" : "KK_FAIL", flags: kk),
            Row("drtRInfinity", d.RInfinity, "Ohm", DrtResult.AlgorithmVersion),
            Row("drtPolarisationResistance", d.PolarisationResistance, "Ohm", DrtResult.AlgorithmVersion),
            Row("drtInterphaseResistance", d.InterphaseResistance, "Ohm", DrtResult.AlgorithmVersion),
        };
        if (spectrum.Columns.TryGetValue("time/s", out var time) && time.Length > 0 && double.IsFinite(time[0]))
        {
            rows.Add(Row("startTimeS", time[0], "s", "eis-ingest@" + EisFormats.Version));
        }
        if (d.InterphaseAsr is { } asr)
        {
            rows.Add(Row("drtInterphaseAsr", asr, "Ohm cm2", DrtResult.AlgorithmVersion));
        }
        if (d.Peak is { } peak)
        {
            rows.Add(Row("drtPeakLog10Tau", peak.RefinedLog10Tau, "log10 s", DrtResult.AlgorithmVersion));
        }
        if (report.Fit is { } fit)
        {
            string flags = string.Join(',', fit.Flags);
            rows.Add(Row("fitChiSquare", fit.ChiSquare, "1", CircuitFitResult.AlgorithmVersion, fit.Circuit, flags: flags));
            rows.AddRange(fit.Parameters.Select(p => Row($"fit:{p.Name}", p.Value, p.Unit, CircuitFitResult.AlgorithmVersion, fit.Circuit,
                double.IsNaN(p.StandardError) ? null : p.StandardError, flags, double.IsFinite(p.Lower95) && double.IsFinite(p.Upper95) ? (p.Lower95, p.Upper95) : null)));
        }
        return rows;
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
