using CloudPipeline.Core.Analysis.Eis;
using CloudPipeline.Core.Plotting;
using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Series;
using Xunit;

namespace CloudPipeline.Core.Tests.Eis;

public sealed class EisSeriesTests
{
    [Fact]
    public void Orders_by_time_and_leaves_out_kk_failures_by_default()
    {
        var points = new[]
        {
            new EisSeriesPoint("b.mpt", 1200, 20, -3.0, true),
            new EisSeriesPoint("a.mpt", 600, 10, -3.1, true),
            new EisSeriesPoint("c.mpt", 1800, 99, null, false),
        };
        var csv = EisSeries.Artifacts(points).Single(a => a.Name == "eis-series.csv").Content.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, csv.Length);
        Assert.StartsWith("a.mpt,600,10,", csv[1], StringComparison.Ordinal);
        Assert.StartsWith("b.mpt,1200,20,", csv[2], StringComparison.Ordinal);
        Assert.Equal(4, EisSeries.Artifacts(points, includeKkFailures: true).Single(a => a.Name == "eis-series.csv").Content.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void Spectrum_k_is_paired_with_profile_k()
    {
        var points = new[] { new EisSeriesPoint("s2.mpt", 1000, 20, null, true), new EisSeriesPoint("s1.mpt", 500, 10, null, false), new EisSeriesPoint("s3.mpt", 1500, 30, null, true) };
        var csv = EisSeries.Artifacts(points, profiles: ["p(005).txt", "p(007).txt", "p(008).txt"]).Single(a => a.Name == "eis-series.csv").Content.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.EndsWith(",p(007).txt", csv[1], StringComparison.Ordinal); // s2 is the second spectrum in time
        Assert.EndsWith(",p(008).txt", csv[2], StringComparison.Ordinal);
    }

    [Fact]
    public void Each_csv_row_carries_the_spectrum_time_resistance_peak_kk_verdict_and_paired_profile()
    {
        var points = new[] { new EisSeriesPoint("b.mpt", 1200, 20.5, -3.25, false), new EisSeriesPoint("a.mpt", 600, 10, null, true) };
        var rows = Csv(EisSeries.Artifacts(points, includeKkFailures: true, profiles: ["p1.txt"]));
        Assert.Equal("spectrum,time_s,interphase_resistance_ohm,peak_log10_tau_s,kk,profile", rows[0]);
        // a.mpt is first in time: paired with the one profile there is; b.mpt has no profile left and fails KK.
        Assert.Equal(["a.mpt,600,10,,pass,p1.txt", "b.mpt,1200,20.5,-3.25,KK_FAIL,"], rows[1..]);
    }

    [Fact]
    public void Spectra_without_a_time_follow_the_timed_ones_in_file_name_order()
    {
        var points = new[] { new EisSeriesPoint("z.mpt", null, 3, null, true), new EisSeriesPoint("m.mpt", null, 2, null, true), new EisSeriesPoint("zz-timed.mpt", 50, 1, null, true) };
        Assert.Equal(["zz-timed.mpt", "m.mpt", "z.mpt"], Csv(EisSeries.Artifacts(points))[1..].Select(r => r.Split(',')[0]));
        Assert.Equal("text/csv", EisSeries.Artifacts(points).Single(a => a.Name == "eis-series.csv").ContentType);
    }

    [Fact]
    public void The_figures_put_timed_spectra_at_their_hour_and_the_drt_peak_at_ten_to_its_log_tau_on_a_log_axis()
    {
        var points = new[] { new EisSeriesPoint("a.mpt", 1800, 10, -3, true), new EisSeriesPoint("b.mpt", 5400, 12, null, true), new EisSeriesPoint("c.mpt", 9000, 99, -2, false) };
        var figures = EisSeries.Plots(points);
        Assert.Equal(["eis-series", "eis-series-tau"], figures.Select(f => f.Name));
        var rint = figures[0].Model;
        Assert.Equal(("Interphase resistance over time", "DRT peak over time"), (rint.Title, figures[1].Model.Title));
        Assert.Equal("2 spectra · " + DrtResult.AlgorithmVersion, rint.Subtitle);
        Assert.Equal("R_int", rint.Series.Single().Title);
        Assert.Equal(("t", "h", "R_int", "Ω"), (Axis(rint, "x").Title, Axis(rint, "x").Unit, Axis(rint, "y").Title, Axis(rint, "y").Unit));
        Assert.Equal([(0.5, 10.0), (1.5, 12.0)], Points(rint.Series.Single()));
        Assert.DoesNotContain(rint.Axes, a => a.Key == "y2"); // no MRI velocities given: no right-hand axis
        var tau = figures[1].Model;
        Assert.IsType<LogarithmicAxis>(Axis(tau, "y"));
        Assert.Equal(("τ_peak", "s"), (Axis(tau, "y").Title, Axis(tau, "y").Unit));
        Assert.Equal("peak τ", tau.Series.Single().Title);
        var peaks = ((LineSeries)tau.Series.Single()).Points;
        Assert.Equal(0.5, peaks[0].X);
        Assert.Equal(1e-3, peaks[0].Y, 1e-15);
        Assert.False(peaks[1].IsDefined()); // b.mpt has no tracked peak: a gap, not a zero

        var withFailures = EisSeries.Plots(points, includeKkFailures: true)[0].Model;
        Assert.Equal([(0.5, 10.0), (1.5, 12.0), (2.5, 99.0)], Points(withFailures.Series.Single()));
    }

    [Fact]
    public void Untimed_spectra_are_drawn_in_file_order_one_alone_as_a_marker_and_none_gives_no_figure()
    {
        var untimed = EisSeries.Plots([new EisSeriesPoint("b.mpt", null, 5, null, true), new EisSeriesPoint("a.mpt", null, 4, null, true)])[0].Model;
        Assert.Equal(("spectrum (file order)", null), (Axis(untimed, "x").Title, Axis(untimed, "x").Unit));
        Assert.Equal([(0.0, 4.0), (1.0, 5.0)], Points(untimed.Series.Single()));
        Assert.IsType<LineSeries>(untimed.Series.Single());
        var single = EisSeries.Plots([new EisSeriesPoint("a.mpt", 3600, 4, -3, true)])[0].Model;
        Assert.IsType<ScatterSeries>(single.Series.Single());
        Assert.Empty(EisSeries.Plots([new EisSeriesPoint("a.mpt", 3600, 4, -3, false)]));
        // One timed and one untimed spectrum: the axis cannot be time.
        var mixed = EisSeries.Plots([new EisSeriesPoint("a.mpt", 3600, 4, -3, true), new EisSeriesPoint("b.mpt", null, 5, -3, true)])[0].Model;
        Assert.Equal("spectrum (file order)", Axis(mixed, "x").Title);
    }

    [Fact]
    public void Mri_velocities_beyond_the_profiles_given_are_not_drawn()
    {
        var points = new[] { new EisSeriesPoint("a.mpt", 0, 1, null, true), new EisSeriesPoint("b.mpt", 3600, 2, null, true), new EisSeriesPoint("c.mpt", 7200, 3, null, true) };
        var model = EisSeries.Plots(points, mriVMax: [300.0, 400.0])[0].Model;
        var right = model.Series.Single(s => ((XYAxisSeries)s).YAxisKey == "y2");
        Assert.Equal([(0.0, 300.0), (1.0, 400.0)], Points(right));
        Assert.Equal("MRI max |v_a| (paired profile)", right.Title);
        Assert.IsType<LineSeries>(right);
        var one = EisSeries.Plots(points, mriVMax: [300.0])[0].Model;
        Assert.IsType<ScatterSeries>(one.Series.Single(s => ((XYAxisSeries)s).YAxisKey == "y2"));
        Assert.DoesNotContain(EisSeries.Plots(points, mriVMax: [])[0].Model.Axes, a => a.Key == "y2");
    }

    private static string[] Csv(IReadOnlyList<CloudPipeline.Core.Pipeline.Artifact> artifacts) =>
        artifacts.Single(a => a.Name == "eis-series.csv").Content.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static Axis Axis(PlotModel model, string key) => model.Axes.Single(a => a.Key == key);

    private static (double, double)[] Points(Series series) => series switch
    {
        LineSeries line => [.. line.Points.Select(p => (p.X, p.Y))],
        ScatterSeries scatter => [.. scatter.Points.Select(p => (p.X, p.Y))],
        _ => throw new InvalidOperationException(series.GetType().Name),
    };
}
