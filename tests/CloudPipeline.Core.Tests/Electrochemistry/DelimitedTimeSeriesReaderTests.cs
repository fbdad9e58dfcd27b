using CloudPipeline.Core.Formats;
using CloudPipeline.Core.Formats.Electrochemistry;
using Xunit;

namespace CloudPipeline.Core.Tests.Electrochemistry;

/// <summary>The delimited time-series layout (electrochemistry.md §1): units, columns, separators, header lines and errors.</summary>
public sealed class DelimitedTimeSeriesReaderTests
{
    [Theory]
    [InlineData(TimeUnit.Seconds, CurrentUnit.Amperes, 90.0, 2.0)]
    [InlineData(TimeUnit.Minutes, CurrentUnit.Milliamperes, 5400.0, 2e-3)]
    [InlineData(TimeUnit.Hours, CurrentUnit.Microamperes, 324000.0, 2e-6)]
    public void Time_and_current_are_converted_to_seconds_and_amperes(TimeUnit time, CurrentUnit current, double secondRowTime, double secondRowCurrent)
    {
        // Rows at t = 10 and 100 (file units); times count from the first row, which is kept as the start offset.
        var s = DelimitedTimeSeriesReader.Read("10\t3.5\t1\n100\t3.6\t2\n", "r.txt", new DelimitedTimeSeriesLayout { TimeUnit = time, CurrentUnit = current });
        Assert.Equal([0, secondRowTime], s.Time);
        Assert.Equal(10 * secondRowTime / 90, s.StartOffset, 9);
        Assert.Equal([3.5, 3.6], s.Voltage);
        Assert.Equal(secondRowCurrent, s.Current[1], 15);
    }

    [Fact]
    public void Columns_separators_header_lines_and_the_current_sign_follow_the_layout()
    {
        // Current in column 0, voltage in 3, time in 1; commas, semicolons, tabs and runs of blanks all separate.
        var layout = new DelimitedTimeSeriesLayout { CurrentColumn = 0, TimeColumn = 1, VoltageColumn = 3, HeaderLines = 2, NegateCurrent = true };
        var s = DelimitedTimeSeriesReader.Read("I,t,x,V\nA,s,-,V\n0.5, 0 ;9   4.1\n\n-0.25\t2\t9\t4.2\n", "r.csv", layout);
        Assert.Equal([0.0, 2], s.Time);
        Assert.Equal([4.1, 4.2], s.Voltage);
        Assert.Equal([-0.5, 0.25], s.Current);
    }

    [Fact]
    public void A_current_density_needs_the_electrode_area()
    {
        var density = new DelimitedTimeSeriesLayout { CurrentUnit = CurrentUnit.MilliamperesPerSquareCentimetre };
        Assert.Equal(0.1 * 1e-3 * 2, DelimitedTimeSeriesReader.Read("0 1 0.1\n", "r.txt", density, 2).Current[0], 15);
        var ex = Assert.Throws<ArgumentException>(() => DelimitedTimeSeriesReader.Read("0 1 0.1\n", "r.txt", density, 0));
        Assert.Contains("electrode area", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0 1 1\n5 1 1\n4 1 1\n", "TIME_NOT_MONOTONIC", 3, "time", "time runs backwards", "non-decreasing times")]
    [InlineData("0 1 1\n1 1 inf\n", "NOT_A_NUMBER", 2, "current (column 3)", "'inf' is not a number", "a finite number with a decimal point")]
    [InlineData("0 1 1\nx 1 1\n", "NOT_A_NUMBER", 2, "time (column 1)", "'x' is not a number", "a finite number with a decimal point")]
    [InlineData("0 1 1\n1 1\n", "TOO_FEW_FIELDS", 2, null, "the row has 2 field(s)", "at least 3 delimited fields (time, voltage, current)")]
    [InlineData("\n \n", "EMPTY", null, null, "the file has no data rows", "rows of time, voltage and current")]
    public void Bad_rows_name_the_line_and_field(string text, string code, int? line, string? field, string message, string expected)
    {
        var ex = Assert.Throws<InstrumentFileException>(() => DelimitedTimeSeriesReader.Read(text, "r.txt", new DelimitedTimeSeriesLayout()));
        Assert.Equal((code, line, field), (ex.Code, ex.Line, ex.Field));
        Assert.StartsWith("r.txt", ex.Message, StringComparison.Ordinal);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        Assert.Equal(expected, ex.Expected);
        Assert.Contains($"expected {expected}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Equal_times_are_allowed()
    {
        Assert.Equal([0.0, 0, 1], DelimitedTimeSeriesReader.Read("5 1 1\n5 1 1\n6 1 1\n", "r.txt", new DelimitedTimeSeriesLayout()).Time);
    }
}
