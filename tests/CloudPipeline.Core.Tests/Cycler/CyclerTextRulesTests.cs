using System.Text;
using CloudPipeline.Core.Formats;
using CloudPipeline.Core.Formats.Cycler;
using CloudPipeline.Testing;
using Xunit;

namespace CloudPipeline.Core.Tests.Cycler;

/// <summary>The cycler text reader's rules on small files written by hand: errors, empty and cut files, and the stream's lifetime.</summary>
public sealed class CyclerTextRulesTests
{
    private const string MptHead = "EC-Lab ASCII FILE\nNb header lines : 3\n";

    private static (CyclerFileInfo Info, List<CyclerSample> Rows, bool Incomplete) Read(string text, string name = "t.csv") =>
        CyclerReaderTests.Read(Encoding.Latin1.GetBytes(text), name);

    private static InstrumentFileException Fails(string text, string name = "t.csv") =>
        Assert.Throws<InstrumentFileException>(() => Read(text, name));

    [Fact]
    public void Opening_without_a_stream_names_the_argument()
    {
        Assert.Equal("content", Assert.Throws<ArgumentNullException>(() => CyclerFormats.Open(null!, "x.csv")).ParamName);
    }

    [Fact]
    public void A_file_no_layout_knows_says_which_it_knows_and_its_stream_is_closed()
    {
        var stream = new MemoryStream(Encoding.UTF8.GetBytes("time,volts\n0,3.1\n"));
        var ex = Assert.Throws<InstrumentFileException>(() => CyclerFormats.Open(stream, "log.csv"));
        Assert.Equal("UNKNOWN_FORMAT", ex.Code);
        Assert.Equal("one of: neware-csv, neware-csv-hierarchical, arbin-csv, maccor-text, maccor-text-keyed, novonix-csv, pec-csv, biologic-mpt-dc", ex.Expected);
        Assert.False(stream.CanRead); // closed, although no record was returned to dispose
    }

    [RealDataFact]
    public void An_ec_lab_export_that_ends_just_before_its_column_line_says_so()
    {
        // cp.mpt: "Nb header lines : 59"; its first 58 lines end with the line before the columns.
        var lines = File.ReadAllLines(SharedData.RealFile("eclab", "cp.mpt"), Encoding.Latin1);
        var ex = Fails(string.Join("\n", lines[..58]) + "\n", "cp.mpt");
        Assert.Equal(("INCOMPLETE_FILE", 58, "the whole header"), (ex.Code, ex.Line, ex.Expected));
        Assert.Contains("the file has 58 lines, its header says the columns are on line 59", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Data_Point,Test_Time,DateTime,Current\n0,0,0,1\n", "Voltage", "the column 'Voltage' is missing")]
    [InlineData("Data_Point,Test_Time,DateTime,Voltage\n0,0,0,3.5\n", "Current", "the column 'Current' is missing")]
    public void A_missing_column_names_the_column_line_and_what_was_found(string text, string column, string message)
    {
        var ex = Fails(text, "m.csv");
        Assert.Equal(("MISSING_COLUMN", 1, column), (ex.Code, ex.Line, ex.Field));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        Assert.Equal($"the arbin-csv columns, found: {text[..text.IndexOf('\n')].Replace(",", ", ", StringComparison.Ordinal)}", ex.Expected);
    }

    [Fact]
    public void Ec_lab_names_either_of_its_voltage_columns_when_both_are_missing()
    {
        var ex = Fails(MptHead + "time/s\tI/mA\n1\t2\n", "m.mpt");
        Assert.Equal(("MISSING_COLUMN", 3, "Ewe/V"), (ex.Code, ex.Line, ex.Field));
        Assert.Contains("the column 'Ewe/V' or '<Ewe>/V' or 'Ecell/V' or '<Ecell>/V' is missing", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("DataPoint,Cycle Index,Step Index,Step Type,Cumulative Time,Voltage(V),Current(A),Date\n")]
    [InlineData("DataPoint,Cycle Index,Step Index,Step Type,Cumulative Time,Voltage(V),Current(A),Date\n\n\n")]
    public void A_file_of_columns_and_no_rows_has_no_rows_and_no_start(string text)
    {
        var (info, rows, incomplete) = Read(text);
        Assert.Equal(("neware-csv", null, 0, false), (info.FormatId, info.Start, rows.Count, incomplete));
    }

    [Theory]
    [InlineData("time/s\tEwe/V\tI/mA\t\n1.0\t3.5\t0.1\t", 1, false)] // one whole row, the column line ending with a separator
    [InlineData("time/s\tEwe/V\tI/mA\t\n1.0\t3.5", 0, true)] // the only row, one field short
    [InlineData("time/s\tEwe/V\tI/mA\t\n1.0\t3.5\t0.1\t\n2.0\t3.6", 1, true)] // one field short of the row before, same shape
    [InlineData("time/s\tEwe/V\tI/mA\t\n1.0\t3.5\t0.1\t\n2.0\t3.6\t0.2\t", 2, false)]
    public void An_ec_lab_last_row_is_cut_when_it_has_fewer_fields_than_the_row_before_or_the_columns(string body, int rows, bool cut)
    {
        var read = Read(MptHead + body, "t.mpt");
        Assert.Equal((rows, cut), (read.Rows.Count, read.Incomplete));
        Assert.Equal(new[] { 3.5, 3.6 }[..rows], read.Rows.Select(r => r.VoltageV));
    }

    [Theory]
    [InlineData("Data_Point,Test_Time,DateTime,Current,Voltage\n1,,0,0.5,3.1\n", "Test_Time")]
    [InlineData("Data_Point,Test_Time,DateTime,Current,Voltage\n1,10,0,,3.1\n", "Current")]
    [InlineData("Data_Point,Test_Time,DateTime,Current,Voltage\n1,10,0,0.5,\n", "Voltage")]
    [InlineData("Name\tcell\n\nRec\tCycle P\tCycle C\tStep\tTestTime\tStepTime\tCap. [Ah]\tEner. [Wh]\tCurrent [A]\tVoltage [V]\tMd\n\n1\t0\t1\t1\t\t0\t0\t0\t0\t3.5\tR\n", "TestTime")]
    [InlineData("[Summary]\n[Data]\n\"Date and Time,Cycle Number,Step Type,Run Time (h),Current (A),Potential (V)\"\n\"2022-04-11 10:58:07 AM,1,0,,0,3.5\"\n", "Run Time (h)")]
    public void An_empty_time_current_or_voltage_is_an_error_whatever_the_unit(string text, string column)
    {
        var ex = Fails(text);
        Assert.Equal(("INVALID_VALUE", column), (ex.Code, ex.Field));
        Assert.Contains("empty value", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_neware_record_above_any_cycle_row_has_no_cycle_step_or_step_type()
    {
        const string head = "Cycle Index,Chg. Cap.(Ah),DChg. Cap.(Ah)\n,Step Index,Step Number,Step Type\n,,DataPoint,Time,Total Time,Current(A),Voltage(V),Capacity(Ah),Energy(Wh)\n";
        var (_, rows, _) = Read(head + ",,1,00:00:00,00:00:01,0.1,3.5,0.001,0.003\n1,0.1,0.2\n,1,1,CC Chg\n,,2,00:00:01,00:00:02,0.1,3.6,0.002,0.006\n");
        Assert.Equal([(-1, -1, (string?)null), (1, 1, "CC Chg")], rows.Select(r => (r.Cycle, r.Step, r.StepType)));
    }

    [RealDataFact]
    public void Maccor_metadata_keeps_the_file_name_apart_from_the_procedure_after_it()
    {
        // Line 1: "Today's Date 10/10/2019  Date of Test:<TAB>10/10/2019<TAB> Filename:<TAB>C:\…\PredictionDiagnostics_000151_00001E.052 Procedure: …"
        var (info, _, _) = CyclerReaderTests.ReadReal("maccor-txt/PredictionDiagnostics_000151_test.052");
        Assert.Equal("10/10/2019", info.Metadata["Date of Test"]);
        Assert.Equal(@"C:\Users\Maccor Tester User\Documents\Backup\STANFORD LOANER #1\STANFORD LOANER #2\PredictionDiagnostics_000151_00001E.052", info.Metadata["Filename"]);
    }

    [RealDataFact]
    public void Pec_metadata_leaves_out_keys_without_a_value()
    {
        // Lines 1-3: "Request Year:,2026", "Test:,25205", "Test Description:," (nothing after the comma).
        var (info, _, _) = CyclerReaderTests.ReadReal("pec-csv/Test25205.csv");
        Assert.Equal("2026", info.Metadata["Request Year"]);
        Assert.False(info.Metadata.ContainsKey("Test Description"));
    }

    private const string MaccorHead = "Today's Date 10/10/2019\nRec#\tCyc#\tStep\tTest (Sec)\tAmps\tVolts\tState\n";

    [Fact]
    public void Maccor_states_c_and_d_sign_the_current_and_other_states_keep_it()
    {
        var (info, rows, _) = Read(MaccorHead + "1\t0\t1\t0\t-0.002\t3.5\tC\n2\t0\t1\t1\t0.003\t3.5\tD\n3\t0\t1\t2\t-0.001\t3.5\tR\n", "t.052");
        Assert.Equal([0.002, -0.003, -0.001], rows.Select(r => r.CurrentA));
        Assert.Empty(info.Metadata); // the first line names none of the keys
    }

    [Theory]
    [InlineData(MaccorHead + "1\t0\t1\t0\t0.5\t3,5\tC\n", "t.052", 3, "Volts")] // Maccor writes decimal points only
    [InlineData(MptHead + "time/s\tEwe/V\n1\t1,0E+999\n", "t.mpt", 4, "Ewe/V")] // a decimal comma, but not a finite number
    public void A_number_the_layout_does_not_write_so_is_an_error(string text, string name, int line, string column)
    {
        var ex = Fails(text, name);
        Assert.Equal(("INVALID_VALUE", line, column), (ex.Code, ex.Line, ex.Field));
    }

    [Fact]
    public void An_ec_lab_current_in_the_first_column_is_read()
    {
        var (_, rows, _) = Read(MptHead + "I/mA\ttime/s\tEwe/V\n100\t1\t3.5\n", "t.mpt");
        Assert.Equal(0.1, Assert.Single(rows).CurrentA, 1e-15);
    }

    [Fact]
    public void A_row_that_only_ends_with_a_quoted_field_is_not_unwrapped()
    {
        var (_, rows, _) = Read(MptHead + "time/s\tEwe/V\tnote\n1.5\t3.5\t\"x\"\n2.5\t3.6\t\"y\"\n", "t.mpt");
        Assert.Equal([1.5, 2.5], rows.Select(r => r.TimeS));
    }

    [Fact]
    public void A_row_shorter_than_the_row_before_has_no_values_where_it_has_no_fields()
    {
        var (_, rows, _) = Read("Data_Point,Test_Time,DateTime,Current,Voltage,Temperature\n1,10,0,0.5,3.1,25.5\n2,12,0,0.5,3.2\n");
        Assert.Equal([25.5, double.NaN], rows.Select(r => r.TemperatureC));
    }

    [Fact]
    public void A_nul_byte_is_a_character_of_its_line_not_the_end_of_the_file()
    {
        var ex = Fails("Data_Point,Test_Time,DateTime,Current,Voltage\n1,10,0,0.5,3.1\n2,12,0,0.5,3\0.2\n3,14,0,0.5,3.3\n");
        Assert.Equal(("INVALID_VALUE", 3, "Voltage"), (ex.Code, ex.Line, ex.Field));
        Assert.Contains("cannot be read", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_utf8_byte_order_mark_is_not_part_of_the_first_column()
    {
        byte[] text = [.. Encoding.UTF8.Preamble, .. "Data_Point,Test_Time,DateTime,Current,Voltage\n1,10,0,0.5,3.1\n"u8];
        var (info, rows, _) = CyclerReaderTests.Read(text, "bom.csv");
        Assert.Equal(("arbin-csv", "Data_Point", 1), (info.FormatId, info.Columns[0], rows.Count));
    }

    [Fact]
    public void An_empty_file_is_not_a_cycler_export()
    {
        Assert.Equal("UNKNOWN_FORMAT", Fails("").Code);
    }

    [Fact]
    public void An_arbin_export_without_its_final_line_break_is_cut_even_when_its_last_row_looks_whole()
    {
        // Arbin ends every line with a line break, so a last line without one was cut, wherever.
        var (_, rows, incomplete) = Read("Data_Point,Test_Time,DateTime,Current,Voltage\n1,10,0,0.5,3.1\n2,12,0,0.5,3.2");
        Assert.Equal((1, true), (rows.Count, incomplete));
    }

    [Fact]
    public void A_neware_last_line_of_separators_alone_is_cut()
    {
        // Neware ends its export without a line break, so a last line is cut only when it looks so: this one has no fields.
        var (_, rows, incomplete) = Read("DataPoint,Cycle Index,Step Index,Step Type,Cumulative Time,Voltage(V),Current(A)\n1,1,1,Rest,0:00:00,3.5,0\n,,,,");
        Assert.Equal((1, true), (rows.Count, incomplete));
    }

    [Fact]
    public void A_record_reads_its_rows_once_and_closes_its_stream_when_disposed()
    {
        var stream = new MemoryStream(Encoding.UTF8.GetBytes("Data_Point,Test_Time,DateTime,Current,Voltage\n1,10,0,0.5,3.1\n"));
        var record = CyclerFormats.Open(stream, "t.csv");
        Assert.Single(record.Samples);
        var again = Assert.Throws<InvalidOperationException>(() => record.Samples);
        Assert.Equal("The rows of a cycler file can be read once.", again.Message);
        Assert.True(stream.CanRead);
        record.Dispose();
        Assert.False(stream.CanRead);
    }
}
