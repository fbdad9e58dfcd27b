using CloudPipeline.Core.Analysis;
using CloudPipeline.Core.Analysis.Mri;
using CloudPipeline.Core.Formats;
using CloudPipeline.Core.Formats.Mri;
using Xunit;

namespace CloudPipeline.Core.Tests.Mri;

/// <summary>The series of profiles: file-name order, one grid and one axis, and the EXPNO remarks (mri spec §2).</summary>
public sealed class ProfileSeriesTests
{
    private static TopSpinProfile P(string name, int? expno, int size = 4, double left = 190.0, double right = -340.0) =>
        new(name, "set", expno, 1, left, right, new double[size]);

    [Fact]
    public void Profiles_are_in_ordinal_file_name_order_and_consecutive_expnos_give_no_remark()
    {
        var series = ProfileSeries.Create([P("cell(007).txt", 7), P("cell(005).txt", 5), P("cell(006).txt", 6)]);
        Assert.Equal(["cell(005).txt", "cell(006).txt", "cell(007).txt"], series.Profiles.Select(p => p.SourceName));
        Assert.Equal(4, series.Size);
        Assert.Empty(series.Warnings);
        // Ordinal: upper case sorts before lower case, whatever the culture says.
        Assert.Equal(["B.txt", "a.txt"], ProfileSeries.Create([P("a.txt", null), P("B.txt", null)]).Profiles.Select(p => p.SourceName));
    }

    [Fact]
    public void Gaps_in_the_expnos_are_named_and_an_expno_order_unlike_the_name_order_is_remarked()
    {
        var gaps = ProfileSeries.Create([P("p(005).txt", 5), P("p(008).txt", 8), P("p(009).txt", 9)]);
        Assert.Equal(["EXPNO_GAPS: EXPNO 6, 7 missing; profiles are taken as consecutive time steps (published method)."], gaps.Warnings);
        var swapped = ProfileSeries.Create([P("p(001).txt", 2), P("p(002).txt", 1)]);
        Assert.Equal(["EXPNO_ORDER_MISMATCH: file-name order differs from EXPNO order; file-name order is used."], swapped.Warnings);
        Assert.Equal([2, 1], swapped.Profiles.Select(p => p.ExpNo!.Value));
        // One profile without an EXPNO: nothing to compare.
        Assert.Empty(ProfileSeries.Create([P("p(001).txt", 1), P("p(002).txt", null), P("p(003).txt", 9)]).Warnings);
        Assert.Empty(ProfileSeries.Create([P("p(001).txt", 3)]).Warnings);
    }

    [Fact]
    public void A_profile_on_another_grid_or_axis_is_an_error_naming_it_and_the_first()
    {
        var size = Assert.Throws<InstrumentFileException>(() => ProfileSeries.Create([P("p(001).txt", 1), P("p(002).txt", 2, size: 5)]));
        Assert.Equal(("p(002).txt", "SIZE_DIFFERS", "SIZE", "every profile of a series on the same grid"), (size.FileName, size.Code, size.Field, size.Expected));
        Assert.Contains("SIZE = 5 differs from SIZE = 4 of p(001).txt", size.Message, StringComparison.Ordinal);
        var left = Assert.Throws<InstrumentFileException>(() => ProfileSeries.Create([P("p(001).txt", 1), P("p(002).txt", 2, left: 190.001)]));
        Assert.Equal(("p(002).txt", "AXIS_DIFFERS", "LEFT/RIGHT", "every profile of a series on the same axis"), (left.FileName, left.Code, left.Field, left.Expected));
        Assert.Contains(FormattableString.Invariant($"spectral region {190.001}…{-340.0} ppm differs from {190.0}…{-340.0} ppm of p(001).txt"), left.Problem, StringComparison.Ordinal);
        var right = Assert.Throws<InstrumentFileException>(() => ProfileSeries.Create([P("p(001).txt", 1), P("p(002).txt", 2, right: -340.001)]));
        Assert.Equal("AXIS_DIFFERS", right.Code);
        // Within 1e-9 relative (a rounding in the export): the same axis.
        Assert.Equal(2, ProfileSeries.Create([P("p(001).txt", 1), P("p(002).txt", 2, left: 190.0 * (1 + 1e-10), right: -340.0 * (1 + 1e-10))]).Profiles.Count);
        // Near zero the tolerance is absolute (1e-9).
        Assert.Equal(2, ProfileSeries.Create([P("a", 1, left: 0, right: 0), P("b", 2, left: 5e-10, right: -5e-10)]).Profiles.Count);
        Assert.Equal(2, ProfileSeries.Create([P("a", 1, left: 0, right: 0), P("b", 2, left: 1e-9, right: 0)]).Profiles.Count); // the bound itself is the same axis
        Assert.Equal("AXIS_DIFFERS", Assert.Throws<InstrumentFileException>(() => ProfileSeries.Create([P("a", 1, left: 0), P("b", 2, left: 2e-9)])).Code);
    }

    [Fact]
    public void No_profiles_is_an_error()
    {
        var error = Assert.Throws<AnalysisException>(() => ProfileSeries.Create([]));
        Assert.Equal(("NO_PROFILES", "The series has no profiles."), (error.Code, error.Message));
    }
}
