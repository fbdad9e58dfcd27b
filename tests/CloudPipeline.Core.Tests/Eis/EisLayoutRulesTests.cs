using System.Globalization;
using System.Text;
using CloudPipeline.Core.Formats;
using CloudPipeline.Core.Formats.Eis;
using Xunit;

namespace CloudPipeline.Core.Tests.Eis;

/// <summary>
/// The rules of each impedance text layout on small hand-written files: how it is recognised, where its table is,
/// which columns it takes, and what each error says. The real files are in <see cref="EisReaderTests"/>.
/// </summary>
public sealed class EisLayoutRulesTests
{
    /// <summary>An EC-Lab impedance export's head: its line count, then the column line.</summary>
    private const string MptHead = "EC-Lab ASCII FILE\nNb header lines : 3\nfreq/Hz\tRe(Z)/Ohm\t-Im(Z)/Ohm\n";

    private static Spectrum Read(string text, string name = "t.txt") => EisFormats.Read(name, Encoding.UTF8.GetBytes(text));

    private static InstrumentFileException Fails(string text, string name = "t.txt") =>
        Assert.Throws<InstrumentFileException>(() => Read(text, name));

    [Fact]
    public void Every_layout_declines_an_empty_head_and_rejects_an_empty_file_with_its_name()
    {
        Assert.Equal(9, EisFormats.All.Count);
        foreach (var layout in EisFormats.All)
        {
            Assert.False(layout.Sniff("empty.txt", []), layout.FormatId);
            var ex = Assert.Throws<InstrumentFileException>(() => layout.Parse("empty.txt", []));
            Assert.Equal("empty.txt", ex.FileName);
        }
        Assert.Equal("NOT_EIS", Fails("\n \n", "blank.txt").Code);
    }

    [Theory]
    [InlineData("biologic-mpt", "EC-Lab ASCII FILE\nno count here\n", "the 'Nb header lines : N' line")]
    [InlineData("gamry-dta", "EXPLAIN\nTAG\tEISPOT\n", "a 'ZCURVE TABLE'")]
    [InlineData("zplot", "ZPLOT2 ASCII\ncomments only\n", "an 'End Comments' line or the 'Freq(Hz)' column line")]
    [InlineData("chi-txt", "A.C. Impedance\nno columns\n", "the 'Freq/Hz' column line")]
    [InlineData("maccor-fra", "MACCOR, INC. AC Impedance\nno columns\n", "the 'Freq(Hz)' column line")]
    // A Definition= line in another segment than the first, after a blank line, is not the table.
    [InlineData("versastudio-par", "<Application>\nName=VersaStudio\n</Application>\n\n<Segment2>\nDefinition=Frequency(Hz), Z Real, Z Imag\n1000,1,2\n</Segment2>\n", "a <Segment1> with a 'Definition=' column line")]
    public void A_recognised_file_without_its_table_marker_names_the_marker(string format, string text, string marker)
    {
        var ex = Fails(text, "marker.txt");
        Assert.Equal(("NOT_EIS", $"a {format} export"), (ex.Code, ex.Expected));
        Assert.Contains($"{marker} not found", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Exported by VersaStudio\nfoo\n")] // the name, but not the <Application> block
    [InlineData("<Application>\nName=Other\n</Application>\n")] // an <Application> block of another program
    [InlineData("MACCOR, INC.\tCycle data\n")] // a Maccor cycler export, not its impedance one
    [InlineData("Potential (V)\tCurrent (A)\tTime (s)\n0.1\t1e-6\t0\n")] // a PowerSuite table without a frequency column
    [InlineData("1000,1,x\n100,2,-2\n10,3,-3\n")] // a word among the first rows' numbers
    [InlineData("100,1,-1\n0,2,-2\n")] // a frequency of 0
    [InlineData("1000,1,-1\n")] // one row spans no decade
    [InlineData("freq,Z',other\n1000,1,2\n")] // no imaginary column
    [InlineData("x,Z',Z''\n1000,1,2\n")] // no frequency column
    [InlineData("f,other,Z''\n1000,1,2\n")] // no real column
    public void Near_misses_are_no_impedance_layout(string text)
    {
        Assert.Null(EisFormats.Detect("near.txt", Encoding.UTF8.GetBytes(text)));
        var ex = Fails(text, "near.txt");
        Assert.Equal("NOT_EIS", ex.Code);
        Assert.Contains("no impedance layout recognises the file", ex.Message, StringComparison.Ordinal);
        Assert.Equal("one of: biologic-mpt, gamry-dta, zplot, parstat-txt, versastudio-par, powersuite-txt, chi-txt, maccor-fra, eis-table, biologic-mpr", ex.Expected);
    }

    [Theory]
    [InlineData("1000,1,-1\n100,2,-2\n", 2)] // two rows suffice
    [InlineData("100,1,-1\n10,2,-2\n", 2)] // exactly a decade
    [InlineData("1000,1,-1\r\n100,2,-2\r\n10,3,-3\r\n", 3)] // CR LF
    [InlineData("\uFEFF1000,1,-1\n100,2,-2\n", 2)] // a UTF-8 byte-order mark
    public void A_bare_table_of_a_decade_or_more_is_read_by_position(string text, int rows)
    {
        var s = Read(text);
        Assert.Equal(("eis-table", rows), (s.FormatId, s.Count));
        Assert.Equal(text.Contains("1000", StringComparison.Ordinal) ? 1000.0 : 100.0, s.Frequency[0]);
        Assert.Equal([1.0, 2.0], s.ZReal[..2]);
        Assert.Equal([-1.0, -2.0], s.ZImag[..2]);
        Assert.Empty(s.Columns); // no column line, so no names
    }

    [Theory]
    [InlineData("zplot", "ZPLOT2 ASCII\nEnd Comments\n1000,0,0,0,10.5,-2.5\n100,0,0,0,12.5,-4.5\n")]
    [InlineData("zplot", "ZPlotW Data File\nFreq(Hz)\tAmpl\tBias\tTime(Sec)\tZ'(a)\tZ''(b)\n1000\t0\t0\t0\t10.5\t-2.5\n100\t0\t0\t0\t12.5\t-4.5\n")]
    [InlineData("maccor-fra", "MACCOR, INC. AC Impedance\nFreq(Hz)\tPolar(V)\tx\ty\n1000\t6283\t0\t10.5\t-2.5\n100\t628.3\t0\t12.5\t-4.5\n")]
    public void Positional_layouts_take_their_columns_by_position_and_keep_no_names(string format, string text)
    {
        var s = Read(text);
        Assert.Equal(format, s.FormatId);
        Assert.Equal([1000.0, 100.0], s.Frequency);
        Assert.Equal([10.5, 12.5], s.ZReal);
        Assert.Equal([-2.5, -4.5], s.ZImag);
        Assert.Empty(s.Columns);
    }

    [Fact]
    public void A_versastudio_file_reads_the_definition_line_of_its_first_segment()
    {
        var s = Read("<Application>\nName=VersaStudio\n</Application>\n\n<Segment1>\nDefinition=Segment #, Point #, Frequency(Hz), Z Real, Z Imag\n1,0,1000,10.5,-2.5\n1,1,100,12.5,-4.5\n</Segment1>\n<Segment2>\n1,0,10,99,99\n");
        Assert.Equal("versastudio-par", s.FormatId);
        Assert.Equal([1000.0, 100.0], s.Frequency);
        Assert.Equal([10.5, 12.5], s.ZReal);
        Assert.Equal([-2.5, -4.5], s.ZImag);
        Assert.Equal([0.0, 1.0], s.Columns["Point #"]);
        Assert.Equal([1.0, 1.0], s.Columns["Segment #"]); // the first name without "Definition="
    }

    /// <summary>Each documented name of f, Z′ and Z″ (and of −Z″), with units after a slash or in brackets.</summary>
    [Theory]
    [InlineData("f,Z',Z''", false)]
    [InlineData("Freq,Zre,Zim", false)]
    [InlineData("Frequency,Zreal,Zimag", false)]
    [InlineData("f [Hz],Z_re [Ohm],Z_im [Ohm]", false)]
    [InlineData("f,Z_real,Z_imag", false)]
    [InlineData("f,Re(Z),Im(Z)", false)]
    [InlineData("f,Real,Imag", false)]
    [InlineData("f,ReZ,ImZ", false)]
    [InlineData("f,Z real,Z imag", false)]
    [InlineData("f,Z'/Ohm,Z\"/Ohm", false)]
    [InlineData("f,Z',-Z''", true)]
    [InlineData("f,Z',-Z\"/Ohm", true)]
    [InlineData("f,Z',-Zim", true)]
    [InlineData("f,Z',-Zimag", true)]
    [InlineData("f,Z',-Z_im", true)]
    [InlineData("f,Z',-Z_imag", true)]
    [InlineData("f,Z',-Im(Z)", true)]
    [InlineData("f,Z',-ImZ", true)]
    [InlineData("\nf,Z',Z''", false)] // after a blank line
    public void A_named_table_finds_each_synonym(string header, bool minusImaginary)
    {
        var s = Read(header + "\n1000,10,0.5\n100,12,2.5\n", "named.csv");
        Assert.Equal("eis-table-named", s.FormatId);
        Assert.Equal([1000.0, 100.0], s.Frequency);
        Assert.Equal([10.0, 12.0], s.ZReal);
        Assert.Equal(minusImaginary ? [-0.5, -2.5] : [0.5, 2.5], s.ZImag);
    }

    [Fact]
    public void A_file_cut_at_its_table_says_whether_the_column_line_or_the_rows_are_missing()
    {
        var noColumns = Fails("EXPLAIN\nZCURVE\tTABLE", "cut.DTA");
        Assert.Equal(("INCOMPLETE_FILE", 2), (noColumns.Code, noColumns.Line));
        Assert.Contains("the file ends before the impedance table's column line", noColumns.Message, StringComparison.Ordinal);
        Assert.Equal("a complete export (upload it again once it is written)", noColumns.Expected);

        var noRows = Fails("EXPLAIN\nZCURVE\tTABLE\n", "cut.DTA");
        Assert.Equal(("INCOMPLETE_FILE", 3), (noRows.Code, noRows.Line));
        Assert.Contains("the file ends before the impedance table's rows", noRows.Message, StringComparison.Ordinal);

        // The column and units lines are there and the file ends with them: a table without rows.
        var empty = Fails("EXPLAIN\nZCURVE\tTABLE\n\tPt\tFreq\tZreal\tZimag\n\t#\tHz\tohm\tohm", "cut.DTA");
        Assert.Equal(("EMPTY", 5), (empty.Code, empty.Line));
        Assert.Contains("the impedance table has no data rows", empty.Message, StringComparison.Ordinal);
        Assert.Equal("rows of frequency and impedance", empty.Expected);
    }

    [Fact]
    public void A_missing_column_and_a_bad_imaginary_value_name_their_line_field_and_expectation()
    {
        var missing = Fails("EXPLAIN\nZCURVE\tTABLE\n\tPt\tFreq\tZreal\n\t#\tHz\tohm\n\t0\t1000\t1\n", "m.DTA");
        Assert.Equal(("MISSING_COLUMN", 3, "Zimag"), (missing.Code, missing.Line, missing.Field));
        Assert.Contains("\"Zimag\" not found in column headers", missing.Message, StringComparison.Ordinal);
        Assert.Equal("a column line with \"Zimag\"", missing.Expected);

        var bad = Fails("f,Z',Z''\n1000,10,0.5\n100,12,abc\n", "bad.csv");
        Assert.Equal(("NOT_A_NUMBER", 3, "\"Z''\""), (bad.Code, bad.Line, bad.Field));
        Assert.Contains("'abc' is not a finite number", bad.Message, StringComparison.Ordinal);
        Assert.Equal("a number", bad.Expected);
    }

    /// <summary>
    /// EC-Lab writes a column's numbers with a fixed count of decimals but any count of integer digits, so a last
    /// number "12.3" after "1.234" is "12.345" cut after its first decimal, although both are four and five characters
    /// long and the point sits one place further in; "12.345" itself is complete. A point with no digits after it
    /// (after whole numbers) or before it (after "0.25") adds or drops no digit, so such a number is complete.
    /// </summary>
    [Theory]
    [InlineData("1.234", "12.345", false)]
    [InlineData("1.234", "12.3", true)]
    [InlineData("1.234", "12.", true)]
    [InlineData("1.234", "1.234E+001", true)] // an exponent the column never had
    [InlineData("1.234", "1.234E5", true)] // one exponent digit
    [InlineData("1", "12.", false)]
    [InlineData("0.250", ".750", false)]
    public void An_mpt_last_number_is_cut_when_its_shape_differs_from_the_row_before(string previous, string last, bool cut)
    {
        var spectrum = Read(MptHead + "1000.0\t1.000\t" + previous + "\n100.0\t2.000\t" + last, "cut.mpt");
        Assert.Equal("biologic-mpt", spectrum.FormatId);
        Assert.Equal(cut, spectrum.IncompleteLastRow);
        double first = -double.Parse(previous, CultureInfo.InvariantCulture);
        Assert.Equal(cut ? [first] : [first, -double.Parse(last, CultureInfo.InvariantCulture)], spectrum.ZImag);
    }

    [Fact]
    public void An_mpt_reads_decimal_commas_in_any_row_and_a_last_row_with_fewer_fields_is_cut()
    {
        var mixed = Read(MptHead + "1000\t2\t1\n1,0E+001\t3,5\t1,25\n", "de.mpt");
        Assert.Equal([1000.0, 10.0], mixed.Frequency);
        Assert.Equal([2.0, 3.5], mixed.ZReal);
        Assert.Equal([-1.0, -1.25], mixed.ZImag);

        // EC-Lab ends its file without a line break; a last row one field short was cut at the tab before its last number.
        var cut = Read(MptHead + "1000.0\t1.000\t1.234\n100.0\t2.000", "cut.mpt");
        Assert.True(cut.IncompleteLastRow);
        Assert.Equal([1000.0], cut.Frequency);

        // Whole numbers have no decimals to compare: one with more digits than the row before is complete.
        var whole = Read(MptHead + "1000\t1\t1\n100\t2\t12", "int.mpt");
        Assert.False(whole.IncompleteLastRow);
        Assert.Equal([-1.0, -12.0], whole.ZImag);
    }
}
