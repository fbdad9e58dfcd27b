using System.Globalization;
using System.Text;
using System.Text.Json;
using CloudPipeline.Core.Analysis.Nmr;
using CloudPipeline.Core.Formats.Nmr;
using CloudPipeline.Core.Plotting;

namespace CloudPipeline.Core.Pipeline;

/// <summary>What the NMR chain made of one dataset.</summary>
/// <param name="Dataset">The dataset as read.</param>
/// <param name="Spectrum">The spectrum analysed (processed from the FID, or the vendor's).</param>
/// <param name="Processing">The processing of the FID, or null when the vendor's spectrum was used as it is.</param>
/// <param name="PhaseSource">Where the phases came from, in words.</param>
/// <param name="Peaks">Picked peaks, highest first (at most 20).</param>
/// <param name="VendorCorrelation">Correlation of the processed spectrum with the vendor's of the same size, when both exist.</param>
/// <param name="LiMetal">The ⁷Li Li-metal analysis, when asked for.</param>
/// <param name="Settings">The settings.</param>
public sealed record NmrReport(NmrDataset Dataset, NmrSpectrum Spectrum, ProcessedNmr? Processing, string PhaseSource, IReadOnlyList<NmrPeak> Peaks,
    double? VendorCorrelation, LiMetalResult? LiMetal, NmrSettings Settings);

/// <summary>One dataset of an experiment's NMR series.</summary>
/// <param name="Dataset">The dataset (folder or file).</param>
/// <param name="AcquiredAt">When it was acquired, if known.</param>
/// <param name="CentresPpm">Its component centres (ppm), in component order.</param>
/// <param name="Labels">The components' labels, where known.</param>
public sealed record NmrSeriesPoint(string Dataset, DateTimeOffset? AcquiredAt, IReadOnlyList<double> CentresPpm, IReadOnlyList<string> Labels);

/// <summary>
/// The NMR chain of one dataset (nmr spec §2–4): process the FID (the vendor's processing parameters when the dataset
/// has them, else automatic phasing), pick peaks, and, when asked, the ⁷Li Li-metal analysis; then the JSON, CSV and
/// plots. Used by <c>cloudpipeline analyze nmr</c> and by the pipeline's NMR activity alike.
/// </summary>
public static class NmrStage
{
    /// <summary>Most peaks reported.</summary>
    public const int MaxPeaks = 20;

    /// <summary>Runs the chain.</summary>
    /// <exception cref="Analysis.AnalysisException">The Li-metal analysis cannot run on the spectrum.</exception>
    public static NmrReport Run(NmrDataset dataset, NmrSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var s = settings ?? new NmrSettings();
        NmrSpectrum spectrum;
        ProcessedNmr? processing = null;
        string phaseSource;
        double? correlation = null;
        if (dataset.Fid is { } fid)
        {
            var procs = dataset.Procs;
            bool vendor = procs is not null && s.Phase is null;
            var options = new NmrProcessingOptions
            {
                LineBroadeningHz = s.LineBroadeningHz ?? (procs is not null && procs.TryNumber("WDW") is 1 ? procs.TryNumber("LB") ?? 0 : 0),
                Size = procs?.TryNumber("SI") is { } si && si >= fid.Count ? (int)si : null,
                Phase = vendor ? PhaseMode.Manual : s.Phase ?? (s.LiMetal ? PhaseMode.ZeroOrder : PhaseMode.Acme),
                P0 = vendor ? procs!.TryNumber("PHC0") ?? 0 : s.P0,
                P1 = vendor ? procs!.TryNumber("PHC1") ?? 0 : s.P1,
                Baseline = s.Baseline,
            };
            processing = NmrProcessor.Process(fid, options);
            spectrum = processing.Spectrum;
            phaseSource = vendor ? "vendor PHC0/PHC1 from procs" : options.Phase switch
            {
                PhaseMode.Manual => "manual (manifest)",
                PhaseMode.ZeroOrder => "automatic, zero order",
                _ => "automatic, ACME",
            };
            if (dataset.Processed is { } v && v.Count == spectrum.Count)
            {
                correlation = MathNet.Numerics.Statistics.Correlation.Pearson(spectrum.Real, v.Real);
            }
        }
        else
        {
            spectrum = dataset.Processed ?? throw new ArgumentException($"{dataset.Name} has neither a FID nor a spectrum.", nameof(dataset));
            phaseSource = "vendor-processed spectrum";
        }
        var peaks = Peaks.Pick(spectrum, s.MinPeakSeparationPpm ?? (s.LiMetal ? 1 : 0.01)).Take(MaxPeaks).ToList();
        var li = s.LiMetal ? LiMetalAnalysis.Analyse(spectrum, new LiMetalOptions { NormalParallelToField = s.NormalParallelToField, FoilThicknessUm = s.FoilThicknessUm, DepositThicknessUm = s.DepositThicknessUm }) : null;
        return new NmrReport(dataset, spectrum, processing, phaseSource, peaks, correlation, li, s);
    }

    /// <summary>nmr.json, spectrum.csv and the plots: the spectrum with its peaks, and for Li metal the components and the residual.</summary>
    /// <param name="report">The stage's result.</param>
    /// <param name="inputs">The dataset's files with their hashes (the report's provenance).</param>
    /// <param name="generatedAt">When (the report's date).</param>
    /// <param name="cellId">The manifest's cell id, if any.</param>
    public static IReadOnlyList<Artifact> Artifacts(NmrReport report, IReadOnlyList<InputReference> inputs, DateTimeOffset generatedAt, string? cellId = null)
    {
        return [.. Data(report), .. HtmlReport.FiguresAndReport(Plots(report), $"NMR: {report.Dataset.Name}", cellId, "Processing, peaks and lineshape fit", Results(report), inputs, generatedAt)];
    }

    /// <summary>The figures of <see cref="Artifacts"/>, as models (exported there; the plot tests read them).</summary>
    public static IReadOnlyList<Figure> Plots(NmrReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var plots = new List<Figure>();
        var s = report.Spectrum;
        var ppm = s.PpmAxis();
        string title = $"{report.Dataset.Name} ({report.Dataset.Fid?.Nucleus ?? report.Dataset.FormatId})";
        var shift = new PlotAxis("δ", "ppm");
        plots.Add(new Figure("spectrum", Reversed(Figures.Lines($"Spectrum: {title}", ProcessedNmr.AlgorithmVersion,
        [
            new PlotSeries("real part", ppm, s.Real),
            new PlotSeries("peaks", [.. report.Peaks.Select(p => p.Ppm)], [.. report.Peaks.Select(p => p.Height)], Markers: true),
        ], shift, new PlotAxis("intensity", "a.u.")))));
        if (report.LiMetal is { } li)
        {
            var x = li.FitPpm;
            var data = x.Select(v => li.Spectrum.Real[(int)Math.Round(li.Spectrum.IndexOf(v))]).ToArray();
            var series = new List<PlotSeries> { new("spectrum (normalised)", x, data), new($"fit (R² {li.RSquared:F4})", x, li.Fit) };
            series.AddRange(li.Components.Select(comp => new PlotSeries($"{comp.CentrePpm:F1} ppm: {comp.Label}", x,
                [.. x.Select(v => LineshapeFitter.Evaluate(LineshapeKind.PseudoVoigt, comp.Height, comp.CentrePpm, comp.FwhmPpm, comp.Eta, v))])));
            plots.Add(new Figure("li-metal-components", Reversed(Figures.Lines($"7Li Li metal: {report.Dataset.Name}", LiMetalResult.AlgorithmVersion, series,
                shift, new PlotAxis("normalised intensity", ""),
                residuals: [new PlotSeries("data − fit", x, [.. data.Select((v, i) => v - li.Fit[i])])], residualAxis: new PlotAxis("residual", "")))));
        }
        return plots;
    }

    /// <summary>The dataset's summary and spectrum table (see <see cref="Artifacts"/>).</summary>
    private static List<Artifact> Data(NmrReport report) =>
    [
        new("nmr.json", "application/json", Json(report)),
        new("spectrum.csv", "text/csv", Csv(report.Spectrum.PpmAxis(), report.Spectrum.Real)),
    ];

    /// <summary>
    /// The dataset's results, one row per quantity: acquisition time, phase, correlation with the vendor's spectrum, the
    /// five highest peaks, and with the Li-metal analysis its fit quality, reference shift, skin depth and each component's
    /// centre (with its standard error), width and area fraction. The pipeline stores these rows; the report shows them.
    /// </summary>
    public static IReadOnlyList<ReportRow> Results(NmrReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        static ReportRow Row(string quantity, double value, string unit, string algorithm, string? text = null, double? uncertainty = null, string? flags = null) =>
            new(quantity, value, text, unit, uncertainty, null, null, algorithm, flags);
        var rows = new List<ReportRow>();
        if (report.Dataset.Fid?.AcquiredAt is { } acquired)
        {
            rows.Add(Row("acquiredAt", acquired.ToUnixTimeMilliseconds() / 1000.0, "s since 1970-01-01 UTC", ProcessedNmr.AlgorithmVersion, acquired.ToString("O", System.Globalization.CultureInfo.InvariantCulture)));
        }
        if (report.Processing is { } p)
        {
            string flags = string.Join(',', p.Flags);
            rows.Add(Row("phaseP0", p.P0, "deg", ProcessedNmr.AlgorithmVersion, report.PhaseSource, flags: flags));
            rows.Add(Row("phaseP1", p.P1, "deg", ProcessedNmr.AlgorithmVersion, report.PhaseSource, flags: flags));
        }
        if (report.VendorCorrelation is { } c)
        {
            rows.Add(Row("vendorCorrelation", c, "1", ProcessedNmr.AlgorithmVersion));
        }
        for (int k = 0; k < Math.Min(5, report.Peaks.Count); k++)
        {
            rows.Add(Row($"peak{k + 1}Ppm", report.Peaks[k].Ppm, "ppm", ProcessedNmr.AlgorithmVersion));
        }
        if (report.LiMetal is { } li)
        {
            string flags = string.Join(',', li.Flags);
            rows.Add(Row("liMetalRSquared", li.RSquared, "1", LiMetalResult.AlgorithmVersion, li.Status, flags: flags));
            rows.Add(Row("liMetalReferenceShift", li.ReferenceShiftPpm, "ppm", LiMetalResult.AlgorithmVersion, flags: flags));
            rows.Add(Row("skinDepth", li.SkinDepth.SkinDepthM * 1e6, "um", LiMetalResult.AlgorithmVersion, li.SkinDepth.Flag, flags: flags));
            for (int k = 0; k < li.Components.Count; k++)
            {
                var comp = li.Components[k];
                rows.Add(Row($"liMetalComponent{k + 1}Ppm", comp.CentrePpm, "ppm", LiMetalResult.AlgorithmVersion, $"{comp.Label} ({li.LookupVersion})", comp.CentreSe, flags));
                rows.Add(Row($"liMetalComponent{k + 1}Fwhm", comp.FwhmPpm, "ppm", LiMetalResult.AlgorithmVersion, flags: flags));
                rows.Add(Row($"liMetalComponent{k + 1}AreaFraction", comp.AreaFraction, "1", LiMetalResult.AlgorithmVersion, "semi-quantitative", flags: flags));
            }
        }
        return rows;
    }

    /// <summary>NMR convention: the chemical-shift axis runs from high to low ppm.</summary>
    private static OxyPlot.PlotModel Reversed(OxyPlot.PlotModel model)
    {
        model.Axes[0].StartPosition = 1;
        model.Axes[0].EndPosition = 0;
        return model;
    }

    /// <summary>
    /// The experiment's NMR series: for each analysed dataset its acquisition time and component centres (the Li-metal
    /// components, else the highest peak), as nmr-series.csv and a plot of centre against time.
    /// </summary>
    public static IReadOnlyList<Artifact> SeriesArtifacts(IReadOnlyList<NmrSeriesPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var ordered = points.OrderBy(p => p.AcquiredAt ?? DateTimeOffset.MaxValue).ThenBy(p => p.Dataset, StringComparer.Ordinal).ToList();
        var start = ordered.FirstOrDefault(p => p.AcquiredAt is not null)?.AcquiredAt;
        double X(NmrSeriesPoint p, int i) => start is { } t0 && p.AcquiredAt is { } t ? (t - t0).TotalHours : i;
        var csv = new StringBuilder("dataset,acquiredAt,hours,component,centrePpm,label\n");
        for (int i = 0; i < ordered.Count; i++)
        {
            var p = ordered[i];
            for (int c = 0; c < p.CentresPpm.Count; c++)
            {
                csv.Append(CultureInfo.InvariantCulture, $"{p.Dataset},{p.AcquiredAt?.ToString("O", CultureInfo.InvariantCulture)},{X(p, i):R},{c + 1},{p.CentresPpm[c]:R},{p.Labels.ElementAtOrDefault(c)}\n");
            }
        }
        int components = ordered.Count == 0 ? 0 : ordered.Max(p => p.CentresPpm.Count);
        var series = Enumerable.Range(0, components).Select(c =>
        {
            var with = ordered.Select((p, i) => (p, i)).Where(x => x.p.CentresPpm.Count > c).ToList();
            return new PlotSeries($"component {c + 1}", [.. with.Select(x => X(x.p, x.i))], [.. with.Select(x => x.p.CentresPpm[c])], Markers: with.Count < 2);
        }).ToList();
        var artifacts = new List<Artifact> { new("nmr-series.csv", "text/csv", csv.ToString()) };
        if (series.Count > 0)
        {
            artifacts.AddRange(Figures.Export("nmr-series", Figures.Lines("Centres of gravity over time", $"{ordered.Count} datasets · {LiMetalResult.AlgorithmVersion}", series,
                start is null ? new PlotAxis("dataset (order)", "") : new PlotAxis("time since the first acquisition", "h"), new PlotAxis("centre", "ppm"))));
        }
        return artifacts;
    }

    private static string Json(NmrReport r)
    {
        var p = r.Processing;
        var li = r.LiMetal;
        var document = new NmrDocument(
            r.Dataset.Name,
            r.Dataset.FormatId,
            r.Dataset.Reader,
            r.Dataset.Files,
            r.Dataset.Fid?.Nucleus,
            r.Dataset.Fid?.AcquiredAt,
            r.Spectrum.Count,
            r.Spectrum.OffsetPpm,
            r.Spectrum.SpectralWidthHz,
            r.Spectrum.FrequencyMHz,
            p is null ? null : new NmrProcessingDocument(ProcessedNmr.AlgorithmVersion, r.PhaseSource, p.P0, p.P1, p.GroupDelay, p.FirstPointFactor,
                p.Options.LineBroadeningHz, r.Spectrum.Count, p.Options.Baseline.ToString(), p.Flags),
            r.VendorCorrelation,
            [.. r.Peaks.Select(k => new NmrPeakDocument(k.Ppm, k.Height))],
            li is null ? null : new NmrLiMetalDocument(LiMetalResult.AlgorithmVersion, LineshapeFitter.AlgorithmVersion, li.LookupVersion, li.Status,
                li.ReferenceShiftPpm, li.RSquared, li.Flags, li.Components,
                new NmrSkinDepthDocument(li.SkinDepth.SkinDepthM, li.SkinDepth.ResistivityOhmM, li.SkinDepth.FrequencyHz, li.SkinDepth.DepositThicknessM,
                    li.SkinDepth.Factor, li.SkinDepth.Flag),
                "semi-quantitative: areas are not converted to lithium amounts (counter electrode and RF skin depth, nmr spec §4 step 10)"));
        return JsonSerializer.Serialize(document, CoreJsonContext.Reports.NmrDocument);
    }

    private static string Csv(double[] ppm, double[] y)
    {
        var sb = new StringBuilder("ppm,intensity\n");
        for (int i = 0; i < ppm.Length; i++)
        {
            sb.Append(ppm[i].ToString("R", CultureInfo.InvariantCulture)).Append(',').Append(y[i].ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }
        return sb.ToString();
    }
}

/// <summary><c>nmr.json</c>: the dataset read, its processing, peaks and (when asked) the ⁷Li Li-metal analysis (camelCase in the file).</summary>
internal sealed record NmrDocument(string Dataset, string Format, string Reader, IReadOnlyList<string> Files, string? Nucleus, DateTimeOffset? AcquiredAt,
    int Points, double OffsetPpm, double SpectralWidthHz, double FrequencyMHz, NmrProcessingDocument? Processing, double? VendorCorrelation,
    IReadOnlyList<NmrPeakDocument> Peaks, NmrLiMetalDocument? LiMetal);

/// <summary>How the FID was processed.</summary>
internal sealed record NmrProcessingDocument(string Algorithm, string PhaseSource, double P0, double P1, double GroupDelay, double FirstPointFactor,
    double LineBroadeningHz, int Size, string Baseline, IReadOnlyList<string> Flags);

/// <summary>One picked peak.</summary>
internal sealed record NmrPeakDocument(double Ppm, double Height);

/// <summary>The ⁷Li Li-metal analysis.</summary>
internal sealed record NmrLiMetalDocument(string Algorithm, string Lineshape, string Lookup, string Status, double ReferenceShiftPpm, double RSquared,
    IReadOnlyList<string> Flags, IReadOnlyList<LiMetalComponent> Components, NmrSkinDepthDocument SkinDepth, string Intensities);

/// <summary>The RF skin-depth assessment of the Li-metal analysis.</summary>
internal sealed record NmrSkinDepthDocument(double Metres, double ResistivityOhmM, double FrequencyHz, double? DepositThicknessM, double Factor, string Flag);
