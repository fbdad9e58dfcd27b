using CloudPipeline.Core.Analysis.Eis;
using CloudPipeline.Core.Formats.Cycler;
using CloudPipeline.Core.Pipeline;
using CloudPipeline.Core.Plotting;
using CloudPipeline.Core.Tests.Eis;
using CloudPipeline.Core.Tests.Mri;
using CloudPipeline.Core.Tests.Nmr;
using CloudPipeline.Testing;
using OxyPlot;
using OxyPlot.Annotations;
using OxyPlot.Axes;
using OxyPlot.Series;
using Xunit;

namespace CloudPipeline.Core.Tests.Plotting;

/// <summary>
/// One test per kind of figure, read from the OxyPlot model after it is laid out as an export lays it out: the scale
/// type of each axis, its tick values, titles and units, the markers of events, and the aspect of Nyquist plots. No
/// image is compared.
/// </summary>
public sealed class FigureTests
{
    [RealDataFact]
    public void Bode_plots_have_logarithmic_frequency_and_modulus_axes_with_ticks_on_the_decades_and_the_lin_kk_residuals_below()
    {
        var report = EisStage.Run(RealSpectra.Read("eis-csv/exampleData.csv"));
        var bode = Plot(EisStage.Plots(report), "bode-modulus");
        var f = Assert.IsType<LogarithmicAxis>(Axis(bode, "x"));
        Assert.Equal("f (Hz)", Title(f));
        // exampleData.csv runs from 3.1623 mHz to 10 kHz: the labelled ticks are the decades inside, and only those.
        Assert.Equal([0.01, 0.1, 1, 10, 100, 1000, 10000], Major(f).Select(t => Math.Round(t, 6)));
        var modulus = Assert.IsType<LogarithmicAxis>(Axis(bode, "y"));
        Assert.Equal("|Z| (Ω)", Title(modulus));
        var residual = Assert.IsType<LinearAxis>(Axis(bode, "residual"));
        Assert.Equal("residual (%)", Title(residual));
        Assert.True(residual.EndPosition <= modulus.StartPosition, "the residual panel sits below the data");
        Assert.Equal(2, bode.Series.Count(s => ((XYAxisSeries)s).YAxisKey == "residual"));
        Assert.Equal(RealSpectra.Read("eis-csv/exampleData.csv").Count, ((ScatterSeries)bode.Series.First(s => s.Title == "measured |Z|")).Points.Count);
    }

    [RealDataFact]
    public void A_nyquist_plot_has_the_same_scale_on_both_axes_and_the_fit_over_the_data()
    {
        var report = EisStage.Run(RealSpectra.Read("eis-csv/exampleData.csv"), "R0-p(R1-Wo1,C1)", [0.01, 0.005, 0.01, 200, 0.1]);
        var nyquist = Plot(EisStage.Plots(report), "nyquist");
        Assert.Equal(PlotType.Cartesian, nyquist.PlotType);
        var x = Axis(nyquist, "x");
        var y = Axis(nyquist, "y");
        Assert.Equal(("Z′ (Ω)", "−Z″ (Ω)"), (Title(x), Title(y)));
        Assert.Equal(Math.Abs(x.Scale), Math.Abs(y.Scale), Math.Abs(x.Scale) * 1e-9); // pixels per ohm, equal: a semicircle is round
        Assert.Equal(["measured", "fit R0-p(R1-Wo1,C1)"], nyquist.Series.Select(s => s.Title));
        Assert.IsType<ScatterSeries>(nyquist.Series[0]);
        Assert.IsType<LineSeries>(nyquist.Series[1]);
        Assert.All([x, y], NiceTicks);
    }

    [RealDataFact]
    public void The_drt_runs_over_tau_on_a_logarithmic_axis_from_zero_up_with_its_peak_labelled()
    {
        var report = EisStage.Run(RealSpectra.Read("eis-csv/exampleData.csv"));
        var drt = Plot(EisStage.Plots(report), "drt");
        var tau = Assert.IsType<LogarithmicAxis>(Axis(drt, "x"));
        Assert.Equal("τ (s)", Title(tau));
        Assert.All(Major(tau), t => Assert.Equal(Math.Round(Math.Log10(t)), Math.Log10(t), 6)); // decades only
        var gamma = Axis(drt, "y");
        Assert.Equal(0, gamma.ActualMinimum);
        Assert.Equal("γ (Ω per decade)", Title(gamma));
        var peak = Assert.Single(drt.Annotations.OfType<LineAnnotation>());
        Assert.Equal(Math.Pow(10, report.Drt.Peak!.RefinedLog10Tau), peak.X, 1e-12);
        Assert.StartsWith("peak τ = ", peak.Text, StringComparison.Ordinal);
    }

    [RealDataFact]
    public void Mri_maps_are_one_seamless_image_with_a_colour_axis_that_has_ticks_and_a_unit_and_the_cell_and_version_in_the_subtitle()
    {
        var plots = MriDriftStage.Plots(LiLi());
        var map = Plot(plots, "velocity-map");
        Assert.Equal("Anion drift velocity v_a(x1, t)", map.Title); // no file name in the title
        Assert.Equal("cell Li_Li · mri-drift-velocity@1.0.0", map.Subtitle);
        var heat = Assert.IsType<HeatMapSeries>(Assert.Single(map.Series));
        Assert.False(heat.Interpolate);
        Assert.Equal(HeatMapRenderMethod.Bitmap, heat.RenderMethod);
        var colour = map.Axes.OfType<LinearColorAxis>().Single();
        Assert.Equal("v_a (µm/h)", Title(colour));
        // The colour axis spans the field: the published v_max of this cell, −385.406 µm/h (spec §6), is inside it.
        Assert.InRange(-385.406, colour.ActualMinimum, colour.ActualMaximum);
        Assert.True(Major(colour).Count >= 3, "the colour bar has ticks, not only its ends");
        NiceTicks(colour);
        Assert.Equal(("t (min)", "x1 (0 = plating electrode)"), (Title(Axis(map, "x")), Title(Axis(map, "y"))));
    }

    [RealDataFact]
    public void The_edge_velocities_mark_the_cc_to_cv_switch_the_onset_and_sands_time()
    {
        var report = LiLi();
        var edges = Plot(MriDriftStage.Plots(report), "edge-velocities");
        var events = edges.Annotations.OfType<LineAnnotation>().ToDictionary(a => a.Text!.Split(' ')[0], a => a.X);
        Assert.Equal(["CC→CV", "Sand's", "onset"], events.Keys.Order(StringComparer.Ordinal));
        var cc = report.Segmentation.Steps.First(s => s.Type == Analysis.Electrochemistry.StepType.ConstantCurrent);
        // Sand's time of this cell is 103.697 min after the CC step's start (electrochemistry spec, the seed paper's cell).
        Assert.Equal(cc.StartTimeS / 60 + 103.697, events["Sand's"], 0.001);
        Assert.Contains(edges.Annotations.OfType<LineAnnotation>(), a => a.Text == "Sand's time (103.7 min)");
        Assert.True(events["onset"] < events["CC→CV"], "mass-transport limitation sets in before the voltage limit is reached");
        Assert.Equal(("t (min)", "v_a (µm/h)"), (Title(Axis(edges, "x")), Title(Axis(edges, "y"))));
        Assert.All([Axis(edges, "x"), Axis(edges, "y")], NiceTicks);
        var polarisation = Plot(MriDriftStage.Plots(report), "polarisation");
        Assert.Contains(polarisation.Annotations.OfType<LineAnnotation>(), a => a.Text == "1: CC");
        Assert.Contains(polarisation.Annotations.OfType<LineAnnotation>(), a => a.Text == "2: CV");
    }

    [RealDataFact]
    public void Cycler_capacity_is_in_milliampere_hours_per_cycle_on_round_ticks()
    {
        string path = SharedData.RealFile("neware-csv", "neware_uio.csv");
        using var record = CyclerFormats.Open(File.OpenRead(path), "neware_uio.csv");
        var capacity = Plot(CyclerStage.Plots(CyclerStage.Run(record)), "capacity");
        Assert.Equal(("cycle", "capacity (mAh)"), (Title(Axis(capacity, "x")), Title(Axis(capacity, "y"))));
        Assert.All([Axis(capacity, "x"), Axis(capacity, "y")], NiceTicks);
        Assert.Equal("ec-cycle-summary@1.1.0", capacity.Subtitle);
    }

    [RealDataFact]
    public void An_nmr_spectrum_runs_from_high_to_low_ppm()
    {
        var spectrum = Plot(NmrStage.Plots(NmrStage.Run(RealNmr.Read("bruker-nmr/bruker2/2"))), "spectrum");
        var shift = Axis(spectrum, "x");
        Assert.Equal("δ (ppm)", Title(shift));
        Assert.True(shift.StartPosition > shift.EndPosition, "reversed: high ppm on the left");
        Assert.True(shift.Transform(10) < shift.Transform(0), "10 ppm is drawn left of 0 ppm");
        NiceTicks(shift);
    }

    [Fact]
    public void The_eis_series_shows_r_int_and_beside_it_on_the_same_time_axis_the_mri_v_max_of_each_paired_profile()
    {
        EisSeriesPoint[] points =
        [
            new("s1.mpt", 0, 1.0, -3.0, true),
            new("s2.mpt", 3600, 2.0, -3.1, false), // KK_FAIL: left out, but it keeps its place in the pairing
            new("s3.mpt", 7200, 3.0, -3.2, true),
        ];
        // Max |v_a| per profile from a velocity.csv of two ROI points and three profiles: [max(1, 4), max(2, 5), max(3, 6)].
        var vmax = MriDriftStage.MaxAbsPerProfile("1,-2,3\n-4,5,-6\n");
        Assert.Equal([4.0, 5.0, 6.0], vmax);
        var series = Plot(EisSeries.Plots(points, mriVMax: vmax), "eis-series");
        Assert.Equal(("t (h)", "R_int (Ω)", "max |v_a| (µm/h)"), (Title(Axis(series, "x")), Title(Axis(series, "y")), Title(Axis(series, "y2"))));
        Assert.Equal(AxisPosition.Right, Axis(series, "y2").Position);
        var rint = (LineSeries)series.Series.Single(s => s.Title == "R_int");
        var mri = (LineSeries)series.Series.Single(s => ((XYAxisSeries)s).YAxisKey == "y2");
        Assert.Equal([(0.0, 1.0), (2.0, 3.0)], rint.Points.Select(p => (p.X, p.Y)));
        Assert.Equal([(0.0, 4.0), (2.0, 6.0)], mri.Points.Select(p => (p.X, p.Y))); // profiles 1 and 3, at their spectra's times
    }

    [Fact]
    public void A_quantity_across_versions_labels_each_computation_and_draws_its_95_percent_interval()
    {
        var model = Figures.AcrossVersions("vMaxAbs across computations", "lab/cell-1", [("1.0.0 · a1b2c3", 385.406, null, null), ("2.0.0 · d4e5f6", 291.1, 280.0, 302.2)],
            new PlotAxis("vMaxAbs", "µm/h"));
        Figures.Layout(model);
        var x = Axis(model, "x");
        x.GetTickValues(out var major, out _, out _);
        var ticks = major.Where(t => t >= 0 && t <= 1).ToList();
        Assert.Equal([0.0, 1.0], ticks);
        Assert.Equal(["1.0.0 · a1b2c3", "2.0.0 · d4e5f6"], ticks.Select(t => x.FormatValue(t)));
        var points = Assert.IsType<ScatterErrorSeries>(Assert.Single(model.Series)).Points;
        Assert.Equal([0.0, 11.1], points.Select(p => Math.Round(p.ErrorY, 9))); // half of [280.0, 302.2]; none where no interval
        Assert.Equal("vMaxAbs (µm/h)", Title(Axis(model, "y")));
    }

    [Fact]
    public void Every_figure_exports_as_an_svg_document_and_a_png_image()
    {
        var model = Figures.Lines("t", "s", [new PlotSeries("a", [0.0, 1, 2], [0.0, 1, 4])], new PlotAxis("x", "s"), new PlotAxis("y", "m"));
        var files = Figures.Export("square", model);
        Assert.Equal(["square.svg", "square.png"], files.Select(f => f.Name));
        Assert.Contains($"<svg viewBox=\"0 0 {Figures.Width} {Figures.Height}\" ", files[0].Content, StringComparison.Ordinal); // scales instead of clipping
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, files[1].Bytes.Take(4));
    }

    private static MriDriftReport LiLi()
    {
        var inputs = RealCells.Read("Li_Li");
        using var json = File.OpenRead(Path.Combine(SharedData.RepositoryRoot, "docs", "examples", "mri-li-li.json"));
        return MriDriftStage.Run(inputs.Profiles, inputs.Voltage, ExperimentManifest.Read(json, "mri-li-li.json"), []);
    }

    /// <summary>The named figure, laid out as an export lays it out.</summary>
    private static PlotModel Plot(IReadOnlyList<Figure> figures, string name)
    {
        var model = figures.Single(f => f.Name == name).Model;
        Figures.Layout(model);
        return model;
    }

    private static Axis Axis(PlotModel model, string key) => model.Axes.Single(a => a.Key == key);

    private static string Title(Axis axis) => string.Format(System.Globalization.CultureInfo.InvariantCulture, axis.TitleFormatString, axis.Title, axis.Unit);

    private static IList<double> Major(Axis axis)
    {
        axis.GetTickValues(out var major, out _, out _);
        return [.. major.Where(t => t >= Math.Min(axis.ActualMinimum, axis.ActualMaximum) - 1e-12 && t <= Math.Max(axis.ActualMinimum, axis.ActualMaximum) + 1e-12)];
    }

    /// <summary>Round ticks: a step of 1, 2 or 5 (or 2.5) times a power of ten, and every tick a multiple of it.</summary>
    private static void NiceTicks(Axis axis)
    {
        double step = axis.ActualMajorStep;
        double mantissa = step / Math.Pow(10, Math.Floor(Math.Log10(step)));
        Assert.Contains(Math.Round(mantissa, 9), new[] { 1, 2, 2.5, 5 });
        Assert.All(Major(axis), t => Assert.Equal(Math.Round(t / step), t / step, 6));
    }
}
