using System.Globalization;
using System.Text;
using CloudPipeline.Core.Pipeline;
using CloudPipeline.Core.Plotting;

namespace CloudPipeline.Core.Analysis.Eis;

/// <summary>One spectrum's contribution to a series.</summary>
/// <param name="Spectrum">The spectrum's file.</param>
/// <param name="TimeS">When it was measured (s on the instrument clock), or null if the file does not say.</param>
/// <param name="InterphaseResistance">R_int (Ω).</param>
/// <param name="PeakLog10Tau">The tracked DRT peak, if any.</param>
/// <param name="KkPassed">Whether the spectrum passed Lin-KK.</param>
public sealed record EisSeriesPoint(string Spectrum, double? TimeS, double InterphaseResistance, double? PeakLog10Tau, bool KkPassed);

/// <summary>
/// Interphase resistance and DRT peak position against time for an experiment with many spectra (e.g. one per MRI
/// profile). Spectra flagged KK_FAIL are left out by default; points are ordered by time, or by file name where
/// the files carry no time.
/// </summary>
public static class EisSeries
{
    /// <summary>
    /// The series' artifacts: <c>eis-series.csv</c> and <c>eis-series.svg</c>. With the experiment's MRI profiles
    /// (time-ordered), spectrum k is paired with profile k: the protocol measures one spectrum at the end of each
    /// profile window (eis spec §1), and the files carry no common clock to match end times more precisely. With the
    /// MRI analysis' max |v_a| per profile (<paramref name="mriVMax"/>, in profile order), the R_int figure shows it
    /// beside R_int on the same time axis: profile k at the time of its paired spectrum k.
    /// </summary>
    public static IReadOnlyList<Artifact> Artifacts(IEnumerable<EisSeriesPoint> points, bool includeKkFailures = false, IReadOnlyList<string>? profiles = null,
        IReadOnlyList<double>? mriVMax = null)
    {
        var (all, ordered) = Order(points, includeKkFailures);
        var csv = new StringBuilder("spectrum,time_s,interphase_resistance_ohm,peak_log10_tau_s,kk,profile\n");
        foreach (var p in ordered)
        {
            // Pairing uses the position among all spectra, so a KK_FAIL spectrum left out does not shift the others.
            int k = all.IndexOf(p);
            string profile = profiles is not null && k < profiles.Count ? profiles[k] : "";
            csv.Append(CultureInfo.InvariantCulture, $"{p.Spectrum},{p.TimeS},{p.InterphaseResistance:R},{p.PeakLog10Tau:R},{(p.KkPassed ? "pass" : "KK_FAIL")},{profile}\n");
        }
        return [new Artifact("eis-series.csv", "text/csv", csv.ToString()), .. Plots(all, includeKkFailures, mriVMax).SelectMany(Figures.Export)];
    }

    /// <summary>The figures of <see cref="Artifacts"/>, as models (exported there; the plot tests read them).</summary>
    public static IReadOnlyList<Figure> Plots(IEnumerable<EisSeriesPoint> points, bool includeKkFailures = false, IReadOnlyList<double>? mriVMax = null)
    {
        var (all, ordered) = Order(points, includeKkFailures);
        var plots = new List<Figure>();
        if (ordered.Count == 0)
        {
            return plots;
        }
        var x = ordered.Select((p, i) => p.TimeS is { } t ? t / 3600 : i).ToArray();
        var time = ordered.All(p => p.TimeS is not null) ? new PlotAxis("t", "h") : new PlotAxis("spectrum (file order)", "");
        bool markers = ordered.Count < 2;
        string subtitle = $"{ordered.Count} spectra · {DrtResult.AlgorithmVersion}";
        var paired = mriVMax is null ? [] : ordered.Select((p, i) => (X: x[i], K: all.IndexOf(p))).Where(q => q.K < mriVMax.Count).ToList();
        plots.Add(new Figure("eis-series", Figures.Lines("Interphase resistance over time", subtitle,
            [new PlotSeries("R_int", x, [.. ordered.Select(p => p.InterphaseResistance)], markers)], time, new PlotAxis("R_int", "Ω"),
            right: paired.Count > 0 ? new PlotSeries("MRI max |v_a| (paired profile)", [.. paired.Select(q => q.X)], [.. paired.Select(q => mriVMax![q.K])], paired.Count < 2) : null,
            rightAxis: new PlotAxis("max |v_a|", "µm/h"))));
        plots.Add(new Figure("eis-series-tau", Figures.Lines("DRT peak over time", subtitle,
            [new PlotSeries("peak τ", x, [.. ordered.Select(p => p.PeakLog10Tau is { } t ? Math.Pow(10, t) : double.NaN)], markers)], time, new PlotAxis("τ_peak", "s", AxisScale.Log))));
        return plots;
    }

    /// <summary>Every spectrum by time (by file name where the files carry none), and those the series shows.</summary>
    private static (List<EisSeriesPoint> All, List<EisSeriesPoint> Shown) Order(IEnumerable<EisSeriesPoint> points, bool includeKkFailures)
    {
        var all = points.OrderBy(p => p.TimeS ?? double.MaxValue).ThenBy(p => p.Spectrum, StringComparer.Ordinal).ToList();
        return (all, [.. all.Where(p => includeKkFailures || p.KkPassed)]);
    }
}
