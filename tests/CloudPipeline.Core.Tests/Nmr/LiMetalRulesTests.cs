using CloudPipeline.Core.Analysis;
using CloudPipeline.Core.Analysis.Nmr;
using CloudPipeline.Core.Formats.Nmr;
using Xunit;

namespace CloudPipeline.Core.Tests.Nmr;

/// <summary>The morphology lookup of nmr.md §4 at every range edge, the half-height width, and the errors of the ⁷Li workflow.</summary>
public sealed class LiMetalRulesTests
{
    [Theory]
    [InlineData(241, "unassigned")]
    [InlineData(242, "bulk Li metal")]
    [InlineData(247, "bulk Li metal")]
    [InlineData(248, "dense deposit or bulk-line asymmetry (ambiguous)")]
    [InlineData(254, "dense deposit or bulk-line asymmetry (ambiguous)")]
    [InlineData(255, "mossy / high-surface-area Li")]
    [InlineData(264, "mossy / high-surface-area Li")]
    [InlineData(265, "dendritic")]
    [InlineData(275, "dendritic")]
    [InlineData(276, "unassigned")]
    public void The_lookup_labels_each_range_of_the_table_inclusive(int ppm, string label)
    {
        Assert.Equal(label, LiMorphology.Label(ppm));
        Assert.Equal("unassigned_orientation", LiMorphology.Label(ppm, normalParallelToField: false));
    }

    private static NmrSpectrum Line(double[] y) => new("s", y, null, 10, 0.5 * y.Length, 1); // 0.5 ppm per point

    [Fact]
    public void Half_height_width_interpolates_between_points_and_is_at_least_one_point()
    {
        // 0 1 3 4 3 1 0: half height 2 is crossed halfway between 1 and 3 on each side, at indices 1.5 and 4.5: 3 points = 1.5 ppm.
        Assert.Equal(1.5, LiMetalAnalysis.FullWidthAtHalfHeight(Line([0, 1, 3, 4, 3, 1, 0]), 3), 12);
        // A triangle 0 … 4 … 0 in steps of 1 is 2 wide at height 2 on each side: 4 points = 2 ppm.
        Assert.Equal(2, LiMetalAnalysis.FullWidthAtHalfHeight(Line([0, 0, 1, 2, 3, 4, 3, 2, 1, 0, 0]), 5), 12);
        // A one-point spike is one point wide; an index past the end is clamped to the last point.
        Assert.Equal(0.5, LiMetalAnalysis.FullWidthAtHalfHeight(Line([0, 5, 0]), 1), 12);
        Assert.Equal(0.5, LiMetalAnalysis.FullWidthAtHalfHeight(Line([0, 0, 5]), 7), 12);
    }

    [Fact]
    public void A_line_cut_by_the_spectrum_edge_is_measured_from_the_edge_and_no_line_is_one_point_wide()
    {
        // 4 3 1 0 from the first point: the left side never falls to half height (2), so it counts from index 0; the
        // right side crosses 2 halfway between 3 and 1, at index 1.5: 1.5 points = 0.75 ppm. The mirror image likewise.
        Assert.Equal(0.75, LiMetalAnalysis.FullWidthAtHalfHeight(Line([4, 3, 1, 0]), 0), 12);
        Assert.Equal(0.75, LiMetalAnalysis.FullWidthAtHalfHeight(Line([0, 1, 3, 4]), 3), 12);
        // 4 4 1 0: the crossing is a third of the way from 4 to 1 (index 5/3 = 0.8333 ppm from the edge).
        Assert.Equal(5.0 / 6, LiMetalAnalysis.FullWidthAtHalfHeight(Line([4, 4, 1, 0]), 0), 12);
        Assert.Equal(5.0 / 6, LiMetalAnalysis.FullWidthAtHalfHeight(Line([0, 1, 4, 4]), 3), 12);
        // Zero or negative at the index: no line there, one point.
        Assert.Equal(0.5, LiMetalAnalysis.FullWidthAtHalfHeight(Line([0, 0, 0]), 2), 12);
        Assert.Equal(0.5, LiMetalAnalysis.FullWidthAtHalfHeight(Line([0, -1, 0]), 1), 12);
    }

    [Fact]
    public void A_spectrum_without_the_metal_region_or_signal_there_is_an_error_naming_it()
    {
        // 10 → −90 ppm: no point in 150–350 ppm.
        var low = new NmrSpectrum("li7.dx", new double[200], null, 10, 100, 1);
        var region = Assert.Throws<AnalysisException>(() => LiMetalAnalysis.Analyse(low));
        Assert.Equal("NO_METAL_REGION", region.Code);
        Assert.Contains("li7.dx: the spectrum does not cover 150–350 ppm (it spans -89.5–10 ppm)", region.Message, StringComparison.Ordinal);
        // 400 → 0 ppm, all zero: no positive signal.
        var flat = new NmrSpectrum("li7.dx", new double[400], null, 400, 400, 1);
        var signal = Assert.Throws<AnalysisException>(() => LiMetalAnalysis.Analyse(flat));
        Assert.Equal(("NO_METAL_SIGNAL", "li7.dx: no positive signal in 150–350 ppm."), (signal.Code, signal.Message));
    }

    [Theory]
    [InlineData(0.06, true)]
    [InlineData(0.04, false)]
    public void An_electrolyte_line_above_5_percent_of_the_metal_maximum_flags_incomplete_presaturation(double electrolyteHeight, bool flagged)
    {
        // nmr.md §4 step 2: 350 → −50 ppm, the metal lines of oracle 16 at 245/250/263 ppm and a 2 ppm wide electrolyte line at 0 ppm.
        var s = SyntheticSeries.Spectrum([new(245, 6, 1.0), new(250, 8, 0.35), new(263, 12, 0.25), new(0, 2, electrolyteHeight)], 350, -50, 8000);
        var r = LiMetalAnalysis.Analyse(s, new LiMetalOptions { Lineshape = LineshapeKind.Lorentzian });
        Assert.Equal(flagged, r.Flags.Contains("presat_incomplete"));
        Assert.Equal([245, 250, 263], r.Components.Select(c => c.RoundedPpm)); // the region does not enter the fit
    }

    [Fact]
    public void A_reference_offset_beyond_3_ppm_is_flagged_and_still_referenced_back()
    {
        // Oracle 16 shifted by +6 ppm instead of +3: Δ = −6 (|Δ| > 3, step 7).
        var s = SyntheticSeries.Spectrum([new(251, 6, 1.0), new(256, 8, 0.35), new(269, 12, 0.25)], 350, 150, 4096);
        var r = LiMetalAnalysis.Analyse(s, new LiMetalOptions { Lineshape = LineshapeKind.Lorentzian });
        Assert.Equal(-6.0, r.ReferenceShiftPpm, 0.2);
        Assert.Contains("reference_offset_large", r.Flags);
        Assert.Equal([245, 250, 263], r.Components.Select(c => c.RoundedPpm));
        Assert.Equal("ok", r.Status);
    }

    [Fact]
    public void A_fit_below_the_minimum_r_squared_is_rejected_but_keeps_its_components()
    {
        // Step 6: accept if R² ≥ the minimum. Oracle 16 with noise has R² < 1; at its own R² it is accepted (≥).
        var s = SyntheticSeries.Spectrum([new(245, 6, 1.0), new(250, 8, 0.35), new(263, 12, 0.25)], 350, 150, 4096, 0.005, seed: 3);
        var accepted = LiMetalAnalysis.Analyse(s, new LiMetalOptions { Lineshape = LineshapeKind.Lorentzian });
        Assert.Equal("ok", accepted.Status);
        Assert.True(accepted.RSquared is >= 0.998 and < 1, $"R² {accepted.RSquared}");
        var atItsOwn = LiMetalAnalysis.Analyse(s, new LiMetalOptions { Lineshape = LineshapeKind.Lorentzian, MinimumRSquared = accepted.RSquared });
        Assert.Equal("ok", atItsOwn.Status);
        var rejected = LiMetalAnalysis.Analyse(s, new LiMetalOptions { Lineshape = LineshapeKind.Lorentzian, MinimumRSquared = Math.BitIncrement(accepted.RSquared) });
        Assert.Equal("fit_rejected", rejected.Status);
        Assert.Contains("fit_rejected", rejected.Flags);
        Assert.Equal([245, 250, 263], rejected.Components.Select(c => c.RoundedPpm));
    }

    /// <summary>
    /// Noise-free oracle-16 lines at 245/250/263 ppm (heights 1, 0.35, 0.25; FWHM 6, 8, 12): a Lorentzian's area is
    /// π/2·A·w, so the area fractions are 6 : 2.8 : 3 of 11.8 whatever the normalisation, and the centres come back
    /// exactly once the final referencing has moved them by Δ₂ (the coarse maximum sits off 245 by the other lines' tails).
    /// </summary>
    [Fact]
    public void Noise_free_lines_give_their_centres_and_area_fractions()
    {
        var s = SyntheticSeries.Spectrum([new(245, 6, 1.0), new(250, 8, 0.35), new(263, 12, 0.25)], 350, 150, 4096);
        var r = LiMetalAnalysis.Analyse(s, new LiMetalOptions { Lineshape = LineshapeKind.Lorentzian });
        Assert.Equal([245.0, 250.0, 263.0], r.Components.Select(c => Math.Round(c.CentrePpm, 2)));
        Assert.Equal(6 / 11.8, r.Components[0].AreaFraction, 1e-3);
        Assert.Equal(2.8 / 11.8, r.Components[1].AreaFraction, 1e-3);
        Assert.Equal(3 / 11.8, r.Components[2].AreaFraction, 1e-3);
        Assert.Equal(0.0, r.ReferenceShiftPpm, 0.05);
        // The fitted curve on its referenced abscissae is the true sum of the lines, up to the normalisation.
        Assert.Equal(r.Fit.Length, r.FitPpm.Length);
        static double True(double ppm) => new[] { (245.0, 6.0, 1.0), (250.0, 8.0, 0.35), (263.0, 12.0, 0.25) }
            .Sum(l => l.Item3 / (1 + Math.Pow(2 * (ppm - l.Item1) / l.Item2, 2)));
        double scale = r.Fit[0] / True(r.FitPpm[0]);
        Assert.All(Enumerable.Range(0, r.Fit.Length), i => Assert.Equal(scale * True(r.FitPpm[i]), r.Fit[i], 1e-4));
    }

    [Theory]
    [InlineData(null, 2.0, "quantitative")] // 2 µm ≤ 0.2·17.38 µm
    [InlineData(null, 5.0, "semi_quantitative")] // 5 µm > 3.48 µm
    [InlineData(10.0, 2.0, "quantitative")] // a 10 µm foil is thinner than δ: the coil sees through it
    [InlineData(50.0, 2.0, "semi_quantitative")] // a 50 µm foil is thicker than δ
    public void The_skin_depth_flag_takes_thicknesses_in_micrometres(double? foilUm, double depositUm, string flag)
    {
        // δ = √(ρ/(π·μ₀·f)) for lithium (9.28e-8 Ω·m) at 77.8 MHz: √(9.28e-8/(π·4π·1e-7·77.8e6)) = 17.38 µm.
        var s = SyntheticSeries.Spectrum([new(245, 6, 1.0), new(250, 8, 0.35), new(263, 12, 0.25)], 350, 150, 4096);
        var r = LiMetalAnalysis.Analyse(s, new LiMetalOptions { Lineshape = LineshapeKind.Lorentzian, FoilThicknessUm = foilUm, DepositThicknessUm = depositUm });
        Assert.Equal(17.38e-6, r.SkinDepth.SkinDepthM, 0.01e-6);
        Assert.Equal(depositUm * 1e-6, r.SkinDepth.DepositThicknessM!.Value, 1e-15);
        Assert.Equal(flag, r.SkinDepth.Flag);
        Assert.Contains(flag, r.Flags);
    }

    /// <summary>Oracle-16 lines on a 0.5 ppm grid from 350 to −50 ppm (point k at 350 − k/2 ppm), scaled so that the maximum, at 245 ppm (k = 210), is exactly 1.</summary>
    private static NmrSpectrum MetalLinesWithElectrolyteRegion()
    {
        var s = SyntheticSeries.Spectrum([new(245, 6, 1.0), new(250, 8, 0.35), new(263, 12, 0.25)], 350, -50, 801);
        Assert.Equal(210, Array.IndexOf(s.Real, s.Real.Max()));
        double top = s.Real[210];
        for (int k = 0; k < s.Count; k++)
        {
            s.Real[k] /= top;
        }
        return s;
    }

    [Theory]
    [InlineData(660, 0.05, false)] // 20 ppm, exactly 5 %: not more than 5 %
    [InlineData(660, 0.0500001, true)]
    [InlineData(740, 0.0500001, true)] // −20 ppm, the region's other end
    [InlineData(741, 0.9, false)] // −20.5 ppm: outside the region
    [InlineData(659, 0.9, false)] // 20.5 ppm: outside, and not in the metal fit either
    public void The_electrolyte_region_is_minus_20_to_20_ppm_inclusive_and_flags_more_than_5_percent(int k, double height, bool flagged)
    {
        var s = MetalLinesWithElectrolyteRegion();
        s.Real[k] = height;
        var r = LiMetalAnalysis.Analyse(s, new LiMetalOptions { Lineshape = LineshapeKind.Lorentzian });
        Assert.Equal(flagged, r.Flags.Contains("presat_incomplete"));
    }

    [Fact]
    public void The_spectrum_is_normalised_by_its_metal_maximum_whatever_its_scale()
    {
        var s = MetalLinesWithElectrolyteRegion();
        var scaled = s with { Real = s.Real.Select(v => 250 * v).ToArray() };
        var r = LiMetalAnalysis.Analyse(scaled, new LiMetalOptions { Lineshape = LineshapeKind.Lorentzian });
        // The maximum becomes 1, and the components are those of the spectrum at its own scale.
        Assert.Equal(1.0, r.Spectrum.Real.Max(), 12);
        var unscaled = LiMetalAnalysis.Analyse(s, new LiMetalOptions { Lineshape = LineshapeKind.Lorentzian });
        Assert.Equal(unscaled.Components.Select(c => Math.Round(c.Height, 6)), r.Components.Select(c => Math.Round(c.Height, 6)));
    }

    [Fact]
    public void The_final_reference_is_the_largest_area_component_within_3_ppm_of_245()
    {
        // A strong 6 ppm line at 245 ppm and a weak 3 ppm one at 247.5 ppm, both within ±3 ppm of 245, and a third at
        // 265 ppm. Referenced on the larger (245), the centres come back as built; on the smaller they would all move by −2.5 ppm.
        var s = SyntheticSeries.Spectrum([new(245, 6, 1.0), new(247.5, 3, 0.3), new(265, 10, 0.3)], 350, 150, 4096);
        var r = LiMetalAnalysis.Analyse(s, new LiMetalOptions { Lineshape = LineshapeKind.Lorentzian });
        Assert.Equal([245.0, 247.5, 265.0], r.Components.Select(c => Math.Round(c.CentrePpm, 2)));
    }
}
