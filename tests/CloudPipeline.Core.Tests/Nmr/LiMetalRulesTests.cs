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
    public void A_spectrum_without_the_metal_region_or_signal_there_is_an_error_naming_it()
    {
        // 10 → −90 ppm: no point in 150–350 ppm.
        var low = new NmrSpectrum("li7.dx", new double[200], null, 10, 100, 1);
        var region = Assert.Throws<AnalysisException>(() => LiMetalAnalysis.Analyse(low));
        Assert.Equal("NO_METAL_REGION", region.Code);
        Assert.Contains("li7.dx: the spectrum does not cover 150–350 ppm (it spans -89.5–10 ppm)", region.Message, StringComparison.Ordinal);
        // 400 → 0 ppm, all zero: no positive signal.
        var flat = new NmrSpectrum("li7.dx", new double[400], null, 400, 400, 1);
        Assert.Equal("NO_METAL_SIGNAL", Assert.Throws<AnalysisException>(() => LiMetalAnalysis.Analyse(flat)).Code);
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
}
