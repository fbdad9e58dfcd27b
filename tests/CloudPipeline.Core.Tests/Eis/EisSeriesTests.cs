using CloudPipeline.Core.Analysis.Eis;
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
}
