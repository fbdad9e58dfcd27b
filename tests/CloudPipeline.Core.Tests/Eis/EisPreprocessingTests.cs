using CloudPipeline.Core.Analysis;
using CloudPipeline.Core.Analysis.Eis;
using CloudPipeline.Core.Formats.Eis;
using Xunit;

namespace CloudPipeline.Core.Tests.Eis;

/// <summary>Preprocessing and validation of eis.md §2 on hand-made spectra: capacitive points, frequency crops, sweeps.</summary>
public sealed class EisPreprocessingTests
{
    private static Spectrum Make(double[] f, double[]? zim = null) =>
        new("s.csv", "eis-csv", f, f.Select((_, i) => 10.0 + i).ToArray(), zim ?? f.Select(_ => -1.0).ToArray(),
            new Dictionary<string, double[]> { ["Ewe/V"] = f.Select((_, i) => 0.1 * i).ToArray() });

    [Fact]
    public void Keep_capacitive_only_drops_points_with_zim_zero_or_above_and_their_extra_columns()
    {
        var s = EisPreprocessing.KeepCapacitiveOnly(Make([1000, 100, 10, 1], [0.5, 0, -2, -3]));
        Assert.Equal([10.0, 1.0], s.Frequency);
        Assert.Equal([12.0, 13.0], s.ZReal);
        Assert.Equal([-2.0, -3.0], s.ZImag);
        Assert.Equal([0.1 * 2, 0.1 * 3], s.Columns["Ewe/V"]); // the rows of points 3 and 4
    }

    [Fact]
    public void Crop_keeps_the_frequencies_inside_the_range_inclusive()
    {
        Assert.Equal([100.0, 10.0], EisPreprocessing.CropFrequency(Make([1000, 100, 10, 1]), 10, 100).Frequency);
    }

    [Fact]
    public void Repeated_sweeps_are_split_where_the_frequency_turns()
    {
        // Down 1000 → 1, then down again from 1000: two sweeps named #1 and #2.
        var sweeps = EisPreprocessing.SplitSweeps(Make([1000, 100, 10, 1, 1000, 100, 10]));
        Assert.Equal(["s.csv#1", "s.csv#2"], sweeps.Select(s => s.SourceName));
        Assert.Equal([1000.0, 100, 10, 1], sweeps[0].Frequency);
        Assert.Equal([1000.0, 100, 10], sweeps[1].Frequency);
        Assert.Equal([14.0, 15, 16], sweeps[1].ZReal);
        // One sweep, or fewer than three points, is returned as it is.
        var single = Make([1, 10, 100]);
        Assert.Same(single, Assert.Single(EisPreprocessing.SplitSweeps(single)));
        var two = Make([10, 1]);
        Assert.Same(two, Assert.Single(EisPreprocessing.SplitSweeps(two)));
    }

    [Theory]
    [InlineData(new[] { 100.0, 10 }, 3, "TOO_FEW_POINTS", "s.csv: 2 point(s); the analysis needs at least 3.")]
    [InlineData(new[] { 100.0, 0, 1 }, 3, "BAD_FREQUENCY", "s.csv: point 2 has frequency 0; frequencies must be positive.")]
    [InlineData(new[] { 100.0, double.NaN, 1 }, 3, "BAD_FREQUENCY", "point 2 has frequency NaN")]
    [InlineData(new[] { 100.0, 10, 20, 1 }, 3, "NON_MONOTONIC_FREQUENCY", "not monotonic at point 3 (10 Hz then 20 Hz)")]
    [InlineData(new[] { 100.0, 100, 1 }, 3, "NON_MONOTONIC_FREQUENCY", "not monotonic at point 2")]
    public void Unusable_spectra_are_errors_naming_the_file_and_point(double[] f, int minimum, string code, string message)
    {
        var ex = Assert.Throws<AnalysisException>(() => EisValidation.RequireUsable(Make(f), minimum));
        Assert.Equal(code, ex.Code);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ascending_and_descending_sweeps_are_both_usable()
    {
        EisValidation.RequireUsable(Make([1, 10, 100]), 3);
        EisValidation.RequireUsable(Make([100, 10, 1]), 3);
        Assert.Equal("TOO_FEW_POINTS", Assert.Throws<AnalysisException>(() => EisValidation.RequireUsable(Make([100, 10, 1]), 4)).Code);
    }
}
