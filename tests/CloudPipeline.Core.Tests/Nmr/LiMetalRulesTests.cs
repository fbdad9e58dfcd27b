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
}
