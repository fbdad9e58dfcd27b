using CloudPipeline.Core.Analysis.Nmr;
using CloudPipeline.Core.Formats.Nmr;
using Xunit;

namespace CloudPipeline.Core.Tests.Nmr;

/// <summary>
/// Peak picking, parabolic refinement, integrals and windows (nmr.md §4) on a 21-point spectrum with one point per ppm
/// (20 ppm at index 0, 0 ppm at index 20), worked out by hand.
/// </summary>
public sealed class PeaksTests
{
    // Lines: 1-5-1 at indices 3–5 (20 − 4 = 16 ppm), a single 3 at index 10 (10 ppm), a flat-topped 2-2 at 16–17.
    private static readonly NmrSpectrum Spectrum = new("s", [0, 0, 0, 1, 5, 1, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 2, 2, 0, 0, 0], null, 20, 21, 1);

    [Fact]
    public void Noise_is_the_scaled_median_absolute_deviation_of_first_differences()
    {
        // Differences ±1 alternate: median 0, MAD 1, σ = 1.4826·1/√2.
        Assert.Equal(1.4826 / Math.Sqrt(2), Peaks.Noise([0, 1, 0, 1, 0, 1, 0]), 1e-12);
        Assert.Equal(0, Peaks.Noise([0, 2, 4, 6, 8])); // a straight line has no noise
        Assert.Equal(0, Peaks.Noise([5, 9])); // too short to say
        Assert.Equal(0, Peaks.Noise(Spectrum.Real)); // 12 of 20 differences are 0
    }

    [Fact]
    public void Peaks_are_local_maxima_above_the_threshold_by_height_with_refined_positions()
    {
        var peaks = Peaks.Pick(Spectrum, 1);
        // The flat top 2-2 counts once, at its second point, refined half a point back: δ = ½(2 − 0)/(2 − 4 + 0) = −0.5 → index 16.5.
        Assert.Equal([(4, 16.0, 5.0), (10, 10.0, 3.0), (17, 3.5, 2.0)], peaks.Select(p => (p.Index, p.Ppm, p.Height)));
    }

    [Fact]
    public void Closer_peaks_than_the_separation_keep_the_higher()
    {
        Assert.Equal([16.0, 3.5], Peaks.Pick(Spectrum, 7).Select(p => p.Ppm)); // 10 ppm is 6 from 16
        Assert.Equal([16.0, 10.0, 3.5], Peaks.Pick(Spectrum, 6).Select(p => p.Ppm)); // exactly the separation is kept
    }

    [Theory]
    [InlineData(0.5, new[] { 16.0, 10.0 })] // threshold 2.5
    [InlineData(0.6, new[] { 16.0 })] // threshold 3: a peak of exactly 3 is not above it
    public void The_relative_threshold_is_a_fraction_of_the_highest_point(double relative, double[] expected)
    {
        Assert.Equal(expected, Peaks.Pick(Spectrum, 1, relative).Select(p => p.Ppm));
    }

    [Fact]
    public void A_window_in_either_order_keeps_the_peaks_inside_it_inclusive()
    {
        Assert.Equal([10.0, 3.5], Peaks.Pick(Spectrum, 1, fromPpm: 12, toPpm: 0).Select(p => p.Ppm));
        Assert.Equal([10.0, 3.5], Peaks.Pick(Spectrum, 1, fromPpm: 0, toPpm: 12).Select(p => p.Ppm));
        Assert.Equal([10.0], Peaks.Pick(Spectrum, 1, fromPpm: 10, toPpm: 10).Select(p => p.Ppm));
    }

    [Fact]
    public void Refinement_at_the_edges_or_on_a_flat_top_is_the_grid_point()
    {
        Assert.Equal(20, Peaks.Refine(Spectrum, 0));
        Assert.Equal(0, Peaks.Refine(Spectrum, 20));
        var flat = Spectrum with { Real = [0, 1, 1, 1, 0] };
        Assert.Equal(Spectrum.OffsetPpm - 2 * flat.StepPpm, Peaks.Refine(flat, 2)); // y[1] − 2y[2] + y[3] = 0
        // Asymmetric neighbours pull towards the higher one: 4, 6, 2 gives δ = ½(4 − 2)/(4 − 12 + 2) = −1/6.
        var skewed = Spectrum with { Real = [0, 4, 6, 2, 0] };
        Assert.Equal(skewed.Ppm(2 - 1.0 / 6), Peaks.Refine(skewed, 2), 12);
    }

    [Fact]
    public void Integrals_and_centres_of_gravity_cover_the_window_in_either_order()
    {
        // 17…15 ppm holds indices 3–5: (1 + 5 + 1)·1 ppm = 7; centre (17·1 + 16·5 + 15·1)/7 = 16.
        Assert.Equal(7, Peaks.Integral(Spectrum, 17, 15), 12);
        Assert.Equal(7, Peaks.Integral(Spectrum, 15, 17), 12);
        Assert.Equal(16, Peaks.CentreOfGravity(Spectrum, 15, 17), 12);
        Assert.Equal((0, 20), Peaks.Window(Spectrum, 100, -100));
        Assert.Equal((3, 5), Peaks.Window(Spectrum, 16.5 + 0.5, 15));
        Assert.Equal((4, 4), Peaks.Window(Spectrum, 16.2, 15.8)); // only index 4 (16 ppm) lies inside
    }

    [Fact]
    public void Three_points_are_enough_for_a_noise_estimate_and_fewer_give_zero()
    {
        // [0, 1, 3]: differences 1 and 2, median 1.5, deviations 0.5 and 0.5: σ = 1.4826·0.5/√2.
        Assert.Equal(1.4826 * 0.5 / Math.Sqrt(2), Peaks.Noise([0, 1, 3]), 1e-12);
        Assert.Equal(0, Peaks.Noise([5]));
        Assert.Equal(0, Peaks.Noise([]));
    }

    [Fact]
    public void A_rise_to_the_last_point_is_no_peak_and_integrals_scale_with_the_point_spacing()
    {
        var rising = new NmrSpectrum("r", [0, 1, 2, 5], null, 3, 4, 1);
        Assert.Empty(Peaks.Pick(rising, 1));
        // Half a ppm per point: 17…15 ppm now holds indices 6–10 of the spectrum doubled in resolution.
        var fine = new NmrSpectrum("f", [.. Enumerable.Range(0, 41).Select(i => i is >= 6 and <= 10 ? 2.0 : 0)], null, 20, 20.5, 1);
        Assert.Equal(0.5, fine.StepPpm, 12);
        Assert.Equal(5 * 2 * 0.5, Peaks.Integral(fine, 17, 15), 12);
    }

    [Fact]
    public void Missing_spectra_are_named()
    {
        Assert.Equal("real", Assert.Throws<ArgumentNullException>(() => Peaks.Noise(null!)).ParamName);
        Assert.Equal("spectrum", Assert.Throws<ArgumentNullException>(() => Peaks.Pick(null!, 1)).ParamName);
        Assert.Equal("spectrum", Assert.Throws<ArgumentNullException>(() => Peaks.Refine(null!, 1)).ParamName);
        Assert.Equal("spectrum", Assert.Throws<ArgumentNullException>(() => Peaks.Integral(null!, 1, 2)).ParamName);
        Assert.Equal("spectrum", Assert.Throws<ArgumentNullException>(() => Peaks.CentreOfGravity(null!, 1, 2)).ParamName);
        Assert.Equal("spectrum", Assert.Throws<ArgumentNullException>(() => Peaks.Window(null!, 1, 2)).ParamName);
        Assert.Equal("spectrum", Assert.Throws<ArgumentNullException>(() => LiMetalAnalysis.Analyse(null!)).ParamName);
        Assert.Equal("spectrum", Assert.Throws<ArgumentNullException>(() => LiMetalAnalysis.FullWidthAtHalfHeight(null!, 0)).ParamName);
        Assert.Equal("fid", Assert.Throws<ArgumentNullException>(() => NmrProcessor.Process(null!)).ParamName);
        Assert.Equal("fid", Assert.Throws<ArgumentNullException>(() => NmrProcessor.Transform(null!, new NmrProcessingOptions(), out _)).ParamName);
        Assert.Equal("lines", Assert.Throws<ArgumentNullException>(() => NmrSimulation.Fid(null!, 77.8, 255, 50_000, 16)).ParamName);
        Assert.Equal("gradientsTPerM", Assert.Throws<ArgumentNullException>(() => StejskalTanner.Fit(null!, [1.0, 2, 3], 1e-3, 0.06, 1)).ParamName);
        Assert.Equal("intensities", Assert.Throws<ArgumentNullException>(() => StejskalTanner.Fit([1.0, 2, 3], null!, 1e-3, 0.06, 1)).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentNullException>(() => LineshapeFitter.Fit(LineshapeKind.Lorentzian, null!, [1.0], [], 0.1, 1)).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentNullException>(() => LineshapeFitter.Fit(LineshapeKind.Lorentzian, [1.0], null!, [], 0.1, 1)).ParamName);
        Assert.Equal("guesses", Assert.Throws<ArgumentNullException>(() => LineshapeFitter.Fit(LineshapeKind.Lorentzian, [1.0], [1.0], null!, 0.1, 1)).ParamName);
    }
}
