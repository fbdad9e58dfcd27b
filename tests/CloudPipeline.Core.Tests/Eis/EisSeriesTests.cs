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
}
