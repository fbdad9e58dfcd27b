using CloudPipeline.Core.Formats;
using CloudPipeline.Core.Formats.BioLogic;
using CloudPipeline.Core.Formats.Cycler;
using Xunit;

namespace CloudPipeline.Core.Tests.Cycler;

/// <summary>
/// How the columns of an EC-Lab .mpr become cycler records (electrochemistry.md §1): units, the current from dq when a
/// technique stores no current, cycles from half cycles, and the errors for impedance files and missing or bad values.
/// </summary>
public sealed class MprRecordTests
{
    private static List<CyclerSample> Rows(MprFile mpr, out CyclerFileInfo info)
    {
        using var record = CyclerFormats.FromMpr(mpr);
        info = record.Info;
        return [.. record.Samples];
    }

    private static MprFile File(params (string Name, double[] Values)[] columns) =>
        new("cell.mpr", columns[0].Values.Length, columns.ToDictionary(c => c.Name, c => c.Values), 2);

    [Fact]
    public void Units_are_si_and_counters_are_ampere_hours()
    {
        var rows = Rows(File(("time/s", [0, 10]), ("Ewe/V", [3.5, 3.6]), ("<I>/mA", [2, -4]), ("cycle number", [0, 1]), ("Ns", [3, 4]),
            ("Q charge/mA.h", [1, 2]), ("Q discharge/mA.h", [0, 5]), ("Energy charge/W.h", [0.1, 0.2]), ("Energy discharge/W.h", [0, 0.3])), out var info);
        Assert.Equal(CyclerFormats.BioLogicMprFormatId, info.FormatId);
        Assert.True(info.HasCycles && info.HasSteps);
        Assert.Equal((1, 0.0, 3.5, 0.002, 0, 3), (rows[0].Row, rows[0].TimeS, rows[0].VoltageV, rows[0].CurrentA, rows[0].Cycle, rows[0].Step));
        Assert.Equal((2, 10.0, -0.004, 1, 4), (rows[1].Row, rows[1].TimeS, rows[1].CurrentA, rows[1].Cycle, rows[1].Step));
        Assert.Equal((0.002, 0.005, 0.2, 0.3), (rows[1].VendorChargeAh, rows[1].VendorDischargeAh, rows[1].VendorChargeWh, rows[1].VendorDischargeWh));
    }

    [Fact]
    public void Without_a_current_column_the_current_is_dq_over_the_interval()
    {
        // dq = 0.01 mA·h over 10 s is 3.6 mA; −0.02 mA·h over 10 s is −7.2 mA; the first row has no interval, and a
        // repeated time none either.
        var rows = Rows(File(("time/s", [0, 10, 20, 20]), ("Ewe/V", [1, 1, 1, 1]), ("dq/mA.h", [0, 0.01, -0.02, 0.5])), out var info);
        Assert.Equal([0, 0.0036, -0.0072, 0], rows.Select(r => Math.Round(r.CurrentA, 12)));
        Assert.Contains("<I>/mA", info.Columns);
        Assert.False(info.HasCycles || info.HasSteps);
        Assert.All(rows, r => Assert.Equal((-1, -1), (r.Cycle, r.Step)));
        Assert.True(double.IsNaN(rows[0].VendorChargeAh));
    }

    [Fact]
    public void Half_cycles_give_cycles()
    {
        var rows = Rows(File(("time/s", [0, 1, 2, 3]), ("Ewe/V", [1, 1, 1, 1]), ("I/mA", [1, -1, 1, -1]), ("half cycle", [0, 1, 2, 3])), out var info);
        Assert.Equal([0, 0, 1, 1], rows.Select(r => r.Cycle));
        Assert.True(info.HasCycles);
        Assert.Contains("cycle number", info.Columns);
    }

    [Fact]
    public void Impedance_files_missing_columns_and_non_finite_values_are_errors()
    {
        var eis = Assert.Throws<InstrumentFileException>(() => Rows(File(("freq/Hz", [1]), ("time/s", [0]), ("Ewe/V", [1])), out _));
        Assert.Equal(("NOT_CYCLER", "freq/Hz"), (eis.Code, eis.Field));
        var missing = Assert.Throws<InstrumentFileException>(() => Rows(File(("time/s", [0]), ("I/mA", [1])), out _));
        Assert.Equal(("MISSING_COLUMN", "Ewe/V"), (missing.Code, missing.Field));
        Assert.Contains("the column 'Ewe/V' or '<Ewe>/V' or 'Ecell/V' or '<Ecell>/V' is missing", missing.Message, StringComparison.Ordinal);
        Assert.Contains("found: time/s, I/mA", missing.Message, StringComparison.Ordinal);
        var noTime = Assert.Throws<InstrumentFileException>(() => Rows(File(("Ewe/V", [1])), out _));
        Assert.Equal("time/s", noTime.Field);
        var nan = Assert.Throws<InstrumentFileException>(() => Rows(File(("time/s", [0, double.NaN]), ("Ewe/V", [1, 1])), out _));
        Assert.Equal(("INVALID_VALUE", "time/s"), (nan.Code, nan.Field));
        Assert.Contains("record 2 has NaN for time/s", nan.Message, StringComparison.Ordinal);
        var voltage = Assert.Throws<InstrumentFileException>(() => Rows(File(("time/s", [0]), ("<Ewe>/V", [double.PositiveInfinity])), out _));
        Assert.Equal("voltage", voltage.Field);
    }
}
