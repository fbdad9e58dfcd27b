using System.Text;
using CloudPipeline.Core.Formats;
using CloudPipeline.Core.Formats.Eis;
using CloudPipeline.Testing;
using Xunit;

namespace CloudPipeline.Core.Tests.Eis;

/// <summary>Every EIS file in ../shared/data/real against the counts and values of SOURCES.md and eis.md §2.</summary>
public sealed class EisReaderTests
{
    private static Spectrum Read(string relative) => RealSpectra.Read(relative);

    private static void Close(double expected, double actual, double relative = 1e-9) =>
        Assert.True(Math.Abs(actual - expected) <= relative * Math.Max(Math.Abs(expected), 1e-300), $"expected {expected:R}, got {actual:R}");

    [RealDataTheory]
    [InlineData("eclab/exampleDataBioLogic.mpt", "biologic-mpt", 43, 1000.3201, 0.01689554, 65.470886, -0.38998979, 110.97003, -2.3458567)]
    [InlineData("eclab/peis.mpt", "biologic-mpt", 32, 1.9999814E+005, 1.0000616, 10.512296, -0.73047662, 18.024315, -2.6962531)]
    [InlineData("eclab/peis.issue_149.mpt", "biologic-mpt", 84, 1.9999814E+005, 99.968163, 12.753284, -0.96167845, 82.633186, -17.386202)]
    [InlineData("eclab/geis.issue_149.mpt", "biologic-mpt", 84, 1.9999814E+005, 99.968163, 10.078821, 2.1745603, 83.413330, -17.565895)]
    [InlineData("eclab/zir.mpt", "biologic-mpt", 1, 1.0019531E+004, 1.0019531E+004, 1.0407059E+005, -9.3853563E+004, 1.0407059E+005, -9.3853563E+004)]
    [InlineData("gamry-dta/exampleDataGamry.DTA", "gamry-dta", 72, 200015.6, 0.0158898, 825.8584, -1367.239, 17007.49, -6635.557)]
    [InlineData("zplot-z/exampleDataZPlot.z", "zplot", 21, 300000, 3000, 147.77, -11.335, 613.68, -137.13)]
    [InlineData("zplot-z/exampleDataZPlot_noComments.z", "zplot", 31, 300000, 300, 642.62, -85.821, 1305.3, -195.01)]
    [InlineData("versastudio-par/exampleDataVersaStudio.par", "versastudio-par", 61, 100000, 0.02154435, 55.31571, 4.575431, 1516.313, -122.8279)]
    [InlineData("powersuite-txt/exampleDataPowersuite.txt", "powersuite-txt", 30, 0.1, 2000000, 423929.46, -49014.063, -470.54113, -1397.7358)]
    [InlineData("chi-txt/exampleDataCHInstruments.txt", "chi-txt", 73, 99610, 0.1, 98.91, -2.748, 5685, -15860)]
    [InlineData("maccor-eis/maccor_test_file_4267-66-6519.EDA0001.041", "maccor-fra", 60, 999999, 1.25892, 0.773446, -0.849201, 22.095573, -0.307756)]
    [InlineData("eis-csv/exampleData.csv", "eis-table", 66, 3.162299999999999833e-03, 1.0e+04, 4.949989776405060160e-02, -2.043869854441892481e-02, 1.577148266048593317e-02, 1.015747456493823649e-02)]
    [InlineData("eis-csv/LIB_data.txt", "eis-table", 107, 999.040405, 0.00500083202, 0.112362966, 0.00318273902, 0.151735559, -0.0137396762)]
    public void Reads_the_asserted_points(string file, string format, int n, double f0, double fLast, double re0, double im0, double reLast, double imLast)
    {
        var s = Read(file);
        Assert.Equal(format, s.FormatId);
        Assert.Equal(n, s.Count);
        Close(f0, s.Frequency[0]);
        Close(fLast, s.Frequency[^1]);
        Close(re0, s.ZReal[0]);
        Close(im0, s.ZImag[0]);
        Close(reLast, s.ZReal[^1]);
        Close(imLast, s.ZImag[^1]);
    }

    [RealDataFact]
    public void The_parstat_sample_keeps_only_impedance_rows_and_matches_the_rounded_reference_values()
    {
        var s = Read("parstat-txt/exampleDataParstat.txt");
        Assert.Equal("parstat-txt", s.FormatId);
        Assert.Equal(31, s.Count); // of 812 rows, those with a frequency
        Close(10000, s.Frequency[0]);
        Close(10, s.Frequency[^1]);
        Close(-0.00049816, s.ZReal[0], 1e-5);
        Close(0.017514348, s.ZImag[0], 1e-7);
        Close(0.02709465, s.ZReal[^1], 1e-6);
        Close(-0.0039979108, s.ZImag[^1], 1e-7);
    }

    [RealDataFact]
    public void The_autolab_sample_matches_the_rounded_reference_values()
    {
        var s = Read("autolab-txt/exampleDataAutolab.txt");
        Assert.Equal(41, s.Count);
        Close(10000, s.Frequency[0]);
        Close(0.1, s.Frequency[^1]);
        Close(0.01378586, s.ZReal[0], 1e-6);
        Close(0.00719195, s.ZImag[0], 1e-6);
        Close(0.03456978, s.ZReal[^1], 1e-6);
        Close(-0.00390293, s.ZImag[^1], 1e-6);
    }

    [RealDataFact]
    public void Circuit3_has_53_points_from_150_kHz_to_1_Hz()
    {
        var s = Read("zplot-z/Circuit3_EIS_1.z");
        Assert.Equal(53, s.Count);
        Close(150000, s.Frequency[0]);
        Close(1, s.Frequency[^1]);
        Close(1493.7, s.ZReal[0]);
        Close(10.377, s.ZImag[0]);
    }

    [RealDataFact]
    public void The_aborted_gamry_file_gives_exactly_the_same_arrays()
    {
        var a = Read("gamry-dta/exampleDataGamry.DTA");
        var b = Read("gamry-dta/exampleDataGamryABORT.DTA");
        Assert.Equal(a.Frequency, b.Frequency);
        Assert.Equal(a.ZReal, b.ZReal);
        Assert.Equal(a.ZImag, b.ZImag);
    }

    [RealDataFact]
    public void Other_columns_are_kept()
    {
        var s = Read("eclab/exampleDataBioLogic.mpt");
        Assert.Equal(43, s.Columns["|Z|/Ohm"].Length);
        Close(65.472046, s.Columns["|Z|/Ohm"][0]);
        Assert.True(s.Columns.ContainsKey("<Ewe>/V"));
    }

    [RealDataFact]
    public void The_missing_frequency_file_names_the_missing_column()
    {
        var ex = Assert.Throws<InstrumentFileException>(() => Read("eclab/exampleDataBioLogic_MissingFreq.mpt"));
        Assert.Contains("\"freq/Hz\" not found in column headers", ex.Message, StringComparison.Ordinal);
        Assert.Equal("MISSING_COLUMN", ex.Code);
    }

    [RealDataFact]
    public void Identifying_a_wide_file_lists_every_column()
    {
        // peis.mpt has 30 columns (SOURCES.md); the identification lists each of them, after f, Z' and Z''.
        var content = File.ReadAllBytes(SharedData.RealFile("eclab", "peis.mpt"));
        var file = FormatRegistry.Default.Identify("peis.mpt", content);
        var header = System.Text.Encoding.Latin1.GetString(content).Split('\n').First(l => l.StartsWith("freq/Hz", StringComparison.Ordinal)).TrimEnd('\r', '\t').Split('\t');
        Assert.Equal(30, header.Length);
        Assert.Equal(33, file.Columns.Count);
        Assert.All(header, name => Assert.Contains(name, file.Columns));
    }

    [RealDataTheory]
    // The last row ends "...8.5077763E+000\t-6.448578439212010E-002".
    [InlineData(1)] // inside the exponent: -6.448578439212010E-00
    [InlineData(5)] // the exponent gone: -6.448578439212010
    [InlineData(14)] // inside the mantissa: -6.448578
    [InlineData(23)] // the last number gone, the tab before it kept
    public void A_real_mpt_cut_inside_its_last_row_is_read_without_that_row_and_says_so(int cut)
    {
        // EC-Lab writes no line break after the last row, so peis.mpt's 32 rows (SOURCES.md) end at its last byte.
        var content = File.ReadAllBytes(SharedData.RealFile("eclab", "peis.mpt"));
        var whole = EisFormats.Read("peis.mpt", content);
        Assert.Equal(32, whole.Count);
        Assert.False(whole.IncompleteLastRow);

        var copy = EisFormats.Read("peis.mpt", content[..^cut]);
        Assert.True(copy.IncompleteLastRow);
        Assert.Equal(31, copy.Count);
        Assert.Equal(whole.ZReal[..31], copy.ZReal);
        Assert.Contains("last row is incomplete", FormatRegistry.Default.Identify("peis.mpt", content[..^cut]).Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void A_table_whose_last_line_has_no_line_break_is_read_without_it()
    {
        var complete = EisFormats.Read("t.csv", "1000,1,-1\n100,2,-2\n10,3,-3\n"u8.ToArray());
        Assert.Equal((3, false), (complete.Count, complete.IncompleteLastRow));
        var copy = EisFormats.Read("t.csv", "1000,1,-1\n100,2,-2\n10,3,-3"u8.ToArray());
        Assert.Equal((2, true), (copy.Count, copy.IncompleteLastRow));
        Assert.Equal([1000.0, 100.0], copy.Frequency);
    }

    [RealDataFact]
    public void A_polarisation_record_is_not_taken_for_a_spectrum()
    {
        var pol = File.ReadAllBytes(SharedData.RealFile("thienenkamp-mri", "Li_Li", "POL.txt"));
        Assert.Null(EisFormats.Detect("POL.txt", pol));
        Assert.Equal("zahner-polarisation-text", FormatRegistry.Default.Identify("POL.txt", pol).FormatId);
    }

    [Fact]
    public void A_nan_row_names_the_line_and_column()
    {
        var ex = Assert.Throws<InstrumentFileException>(() => EisFormats.Read("bad.csv", "1000,1,-1\n100,NaN,-2\n10,3,-3\n"u8.ToArray()));
        Assert.Equal(2, ex.Line);
        Assert.Contains("column 2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_nan_frequency_in_the_first_rows_is_named_not_taken_for_an_unknown_format()
    {
        var ex = Assert.Throws<InstrumentFileException>(() => FormatRegistry.Default.Identify("bad.csv", "1000,1,-1\nNaN,2,-2\n10,3,-3\n1,4,-4\n"u8.ToArray()));
        Assert.NotEqual("UNKNOWN_FORMAT", ex.Code);
        Assert.Equal(2, ex.Line);
        Assert.Contains("NaN", ex.Message, StringComparison.Ordinal);
        Assert.Contains("column 1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void German_decimal_commas_are_read()
    {
        string mpt = "EC-Lab ASCII FILE\nNb header lines : 4\n\nfreq/Hz\tRe(Z)/Ohm\t-Im(Z)/Ohm\t\n1,5E+003\t2,25\t0,5\t\n1,0E+001\t3,5\t1,25\t\n";
        var s = EisFormats.Read("de.mpt", System.Text.Encoding.Latin1.GetBytes(mpt));
        Assert.Equal([1500.0, 10.0], s.Frequency);
        Assert.Equal([2.25, 3.5], s.ZReal);
        Assert.Equal([-0.5, -1.25], s.ZImag);
    }

    [RealDataFact]
    public void Repeated_sweeps_split_into_separate_spectra()
    {
        var sweeps = Analysis.Eis.EisPreprocessing.SplitSweeps(Read("eclab/peis.issue_149.mpt"));
        Assert.Equal(4, sweeps.Count);
        Assert.All(sweeps, s => Assert.Equal(21, s.Count));
        Assert.Equal("peis.issue_149.mpt#2", sweeps[1].SourceName);
        Assert.Single(Analysis.Eis.EisPreprocessing.SplitSweeps(Read("eclab/peis.mpt")));
    }

    [Fact]
    public void A_table_with_a_header_row_is_read_by_its_column_names()
    {
        // Columns in another order than f, Z', Z'', units in brackets, the imaginary part given as -Z'', a semicolon separator.
        string csv = "time (s);-Z'' (Ohm);Frequency (Hz);Z' (Ohm)\n0;0.5;1000;10\n1;2.5;100;12\n2;4;10;15\n";
        var s = EisFormats.Read("named.csv", Encoding.UTF8.GetBytes(csv));
        Assert.Equal("eis-table-named", s.FormatId);
        Assert.Equal([1000.0, 100, 10], s.Frequency);
        Assert.Equal([10.0, 12, 15], s.ZReal);
        Assert.Equal([-0.5, -2.5, -4], s.ZImag); // -Z'' given, Z'' stored
        Assert.Equal([0.0, 1, 2], s.Columns["time (s)"]);

        // Z'' itself under another name, commas.
        var plain = EisFormats.Read("plain.csv", Encoding.UTF8.GetBytes("freq/Hz,Re(Z)/Ohm,Im(Z)/Ohm\n1000,10,-0.5\n100,12,-2.5\n"));
        Assert.Equal([-0.5, -2.5], plain.ZImag);

        // A bad number is rejected naming its line and column.
        var ex = Assert.Throws<InstrumentFileException>(() => EisFormats.Read("bad.csv", Encoding.UTF8.GetBytes("Frequency (Hz),Z' (Ohm),Z'' (Ohm)\n1000,10,-0.5\n100,1.2.3,-2.5\n")));
        Assert.Equal(3, ex.Line);
        Assert.Contains("Z' (Ohm)", ex.Field, StringComparison.Ordinal);
    }

    [Fact]
    public void A_short_row_or_a_table_without_rows_is_an_error_naming_the_line()
    {
        var shortRow = Assert.Throws<InstrumentFileException>(() => EisFormats.Read("short.csv", "Frequency (Hz),Z' (Ohm),Z'' (Ohm)\n1000,10,-0.5\n100,12\n10,13,-3\n"u8.ToArray()));
        Assert.Equal("TOO_FEW_FIELDS", shortRow.Code);
        Assert.Equal(3, shortRow.Line);
        Assert.Contains("the row has 2 fields", shortRow.Message, StringComparison.Ordinal);
        Assert.Equal("at least 3 fields", shortRow.Expected);
        var empty = Assert.Throws<InstrumentFileException>(() => EisFormats.Read("empty.csv", "Frequency (Hz),Z' (Ohm),Z'' (Ohm)\n\n"u8.ToArray()));
        Assert.Equal("EMPTY", empty.Code);
        Assert.Contains("empty.csv", empty.Message, StringComparison.Ordinal);
    }
}
