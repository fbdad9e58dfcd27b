using CloudPipeline.Core.Formats;
using CloudPipeline.Core.Formats.BioLogic;
using CloudPipeline.Core.Formats.Eis;
using Xunit;

namespace CloudPipeline.Core.Tests.Eis;

/// <summary>How the columns of an impedance .mpr become a spectrum (eis.md §2): Zim = −(−Im Z), and the errors for what is missing or not finite.</summary>
public sealed class MprSpectrumTests
{
    private static MprFile File(params (string Name, double[] Values)[] columns) =>
        new("peis.mpr", columns[0].Values.Length, columns.ToDictionary(c => c.Name, c => c.Values), 3);

    [Fact]
    public void Minus_im_z_is_turned_into_z_imaginary_and_other_columns_are_kept()
    {
        var s = EisFormats.FromMpr(File(("freq/Hz", [1000, 10]), ("Re(Z)/Ohm", [65.5, 111]), ("-Im(Z)/Ohm", [0.39, -2.35]), ("Ewe/V", [3.1, 3.2])));
        Assert.Equal([1000.0, 10], s.Frequency);
        Assert.Equal([65.5, 111], s.ZReal);
        Assert.Equal([-0.39, 2.35], s.ZImag);
        Assert.Equal([3.1, 3.2], s.Columns["Ewe/V"]);
        Assert.Equal("peis.mpr", s.SourceName);
    }

    [Fact]
    public void A_missing_impedance_column_or_a_bad_point_is_named()
    {
        var missing = Assert.Throws<InstrumentFileException>(() => EisFormats.FromMpr(File(("freq/Hz", [1]), ("Re(Z)/Ohm", [1]))));
        Assert.Equal(("MISSING_COLUMN", "-Im(Z)/Ohm"), (missing.Code, missing.Field));
        Assert.Contains("\"-Im(Z)/Ohm\" not found in the data columns", missing.Message, StringComparison.Ordinal);
        Assert.Equal("an impedance technique (PEIS, GEIS)", missing.Expected);
        var empty = Assert.Throws<InstrumentFileException>(() => EisFormats.FromMpr(File(("freq/Hz", []), ("Re(Z)/Ohm", []), ("-Im(Z)/Ohm", []))));
        Assert.Equal(("NO_ROWS", "points"), (empty.Code, empty.Field));
        Assert.Contains("the data module holds no points", empty.Message, StringComparison.Ordinal);
        Assert.Equal("at least one impedance point", empty.Expected);
        foreach (var (f, re, im) in new[] { (0.0, 1.0, 1.0), (double.NaN, 1.0, 1.0), (1.0, double.PositiveInfinity, 1.0), (1.0, 1.0, double.NaN) })
        {
            var bad = Assert.Throws<InstrumentFileException>(() => EisFormats.FromMpr(File(("freq/Hz", [10, f]), ("Re(Z)/Ohm", [1, re]), ("-Im(Z)/Ohm", [1, im]))));
            Assert.Equal("INVALID_VALUE", bad.Code);
            Assert.Contains("point 2 has f = ", bad.Message, StringComparison.Ordinal);
            Assert.Equal(("freq/Hz, Re(Z)/Ohm, -Im(Z)/Ohm", "a finite frequency above 0 and a finite impedance"), (bad.Field, bad.Expected));
        }
    }
}
