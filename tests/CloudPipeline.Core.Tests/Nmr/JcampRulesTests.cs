using System.Numerics;
using CloudPipeline.Core.Formats;
using CloudPipeline.Core.Formats.Nmr;
using Xunit;

namespace CloudPipeline.Core.Tests.Nmr;

/// <summary>
/// JCAMP-DX block rules (nmr.md §1.4) on small hand-written files: factors, abscissa units and direction, pairs,
/// NTUPLES pages and the FID axis, LINK blocks, and the errors for what a block lacks.
/// </summary>
public sealed class JcampRulesTests
{
    private static string Spectrum(string units, double firstX, double lastX, string data, string extra = "", int points = 4) =>
        $"##TITLE=t\n##JCAMP-DX=5.01\n##DATA TYPE=NMR SPECTRUM\n##.OBSERVE FREQUENCY=100\n{units}##FIRSTX={firstX}\n##LASTX={lastX}\n{extra}##NPOINTS={points}\n##XYDATA=(X++(Y..Y))\n{data}\n##END=\n";

    [Fact]
    public void An_ascending_ppm_axis_is_turned_to_the_canonical_high_to_low_order()
    {
        var block = Assert.Single(JcampDxReader.Read(Spectrum("##XUNITS=PPM\n", 0, 3, "0 1 2 3 4"), "s.dx"));
        Assert.Equal("NMR SPECTRUM", block.DataType);
        Assert.Equal([0.0, 1, 2, 3], block.X!);
        var s = JcampDxReader.ToSpectrum(block, "s.dx");
        Assert.Equal([4.0, 3, 2, 1], s.Real);
        // Left edge 3 ppm, 1 ppm per point, four points at 100 MHz: a 400 Hz window.
        Assert.Equal((3.0, 400.0, 100.0), (s.OffsetPpm, s.SpectralWidthHz, s.FrequencyMHz));
    }

    [Fact]
    public void A_hertz_axis_is_divided_by_the_observe_frequency_and_factors_scale_both_axes()
    {
        // XFACTOR 2: line abscissae are 150, 100, … (×2 = 300, 200, … Hz); YFACTOR 0.5 halves the ordinates.
        var block = Assert.Single(JcampDxReader.Read(Spectrum("##XUNITS=HZ\n", 300, 0, "150 2 4 6 8", "##XFACTOR=2\n##YFACTOR=0.5\n"), "s.dx"));
        Assert.Equal([1.0, 2, 3, 4], block.Y!);
        Assert.Equal(0, block.XCheckMismatches);
        var s = JcampDxReader.ToSpectrum(block, "s.dx");
        Assert.Equal([1.0, 2, 3, 4], s.Real);
        Assert.Equal(3, s.OffsetPpm, 12);
        // Without XUNITS the abscissa is Hz.
        Assert.Equal(3, JcampDxReader.ToSpectrum(JcampDxReader.Read(Spectrum("", 300, 0, "300 1 2 3 4"), "s.dx")[0], "s.dx").OffsetPpm, 12);
    }

    [Fact]
    public void A_line_whose_abscissa_is_off_its_point_is_counted_as_an_x_check_mismatch()
    {
        var block = JcampDxReader.Read(Spectrum("##XUNITS=PPM\n", 0, 3, "0 1 2\n5 3 4"), "s.dx")[0];
        Assert.Equal(1, block.XCheckMismatches);
        Assert.Equal(["line 11: X = 5 but point 2 is at 2"], block.Warnings);
    }

    [Fact]
    public void Xypoints_pairs_are_read_with_their_factors()
    {
        const string text = "##TITLE=p\n##JCAMP-DX=5.01\n##DATA TYPE=NMR SPECTRUM\n##XFACTOR=10\n##YFACTOR=2\n##XYPOINTS=(XY..XY)\n1, 5; 2, 6\n3,7\n##END=\n";
        var block = JcampDxReader.Read(text, "p.dx")[0];
        Assert.Equal([10.0, 20, 30], block.X!);
        Assert.Equal([10.0, 12, 14], block.Y!);
        var ex = Assert.Throws<InstrumentFileException>(() => JcampDxReader.Read(text.Replace("3,7", "3,y", StringComparison.Ordinal), "p.dx"));
        Assert.Equal(("BAD_ASDF", 8, "XYPOINTS", "x, y pairs (AFFN)"), (ex.Code, ex.Line, ex.Field, ex.Expected));
        Assert.Contains("'y' is not a number", ex.Message, StringComparison.Ordinal);
    }

    private const string Ntuples =
        "##TITLE=fid\n##JCAMP-DX=5.01\n##DATA TYPE=NMR FID\n##.OBSERVE FREQUENCY=50\n##NTUPLES=NMR FID\n##VAR_NAME=TIME, FID/REAL, FID/IMAG\n##SYMBOL=X, R, I\n" +
        "##VAR_DIM=3, 3, 3\n##FACTOR=1, 2, 1\n##FIRST=0, 2, 0\n##LAST=0.002, 6, -1\n##PAGE=N=1\n##DATA TABLE=(X++(R..R)), XYDATA\n0 1 2 3\n##PAGE=N=2\n##DATA TABLE=(X++(I..I)), XYDATA\n0 0 -1 -1\n##END NTUPLES=NMR FID\n##END=\n";

    [Fact]
    public void Ntuples_pages_give_the_fid_and_its_dwell_time()
    {
        var block = Assert.Single(JcampDxReader.Read(Ntuples, "fid.dx"));
        Assert.Equal([2.0, 4, 6], block.Columns["R"]); // FACTOR 2
        Assert.Equal([0.0, -1, -1], block.Columns["I"]);
        var fid = JcampDxReader.ToFid(block, "fid.dx");
        Assert.Equal([new(2, 0), new(4, -1), new(6, -1)], fid.Points);
        // Dwell (0.002 − 0)/2 = 1 ms: a 1000 Hz spectral width.
        Assert.Equal((1000.0, 50.0), (fid.SpectralWidthHz, fid.FrequencyMHz));
    }

    [Theory]
    [InlineData("##VAR_DIM=3, 3, 3", "##VAR_DIM=3, 4, 3", "SIZE_MISMATCH", "page R decodes to 3 values but VAR_DIM = 4", 13, "VAR_DIM", "4 values")]
    [InlineData("(X++(I..I))", "(X++(Q..Q))", "BAD_NTUPLES", "the data table '(X++(Q..Q)), XYDATA' names a variable that SYMBOL does not list", 16, "DATA TABLE", "one of X, R, I")]
    public void A_page_that_disagrees_with_its_header_is_an_error(string from, string to, string code, string message, int line, string field, string expected)
    {
        var ex = Assert.Throws<InstrumentFileException>(() => JcampDxReader.Read(Ntuples.Replace(from, to, StringComparison.Ordinal), "fid.dx"));
        Assert.Equal((code, line, field, expected), (ex.Code, ex.Line, ex.Field, ex.Expected));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// An NTUPLES FID with X listed last, a time axis from 10 to 14 ms in five points (FACTOR 0.001: line abscissae in
    /// ms), both pages in DIF form with a Y-check line each, and the second imaginary line starting at X = 13 where its
    /// point (2) is at 12; Bruker's $OFFSET/$SW_p give the carrier and LONGDATE the start.
    /// </summary>
    private const string DifNtuples =
        "##TITLE=fid\n##JCAMP-DX=5.01\n##DATA TYPE=NMR FID\n##.OBSERVE FREQUENCY=50\n##.OBSERVE NUCLEUS=^7Li\n##$OFFSET=12\n##$SW_p=1000\n" +
        "##LONGDATE=2024/07/25 10:37:17.250\n##NTUPLES=NMR FID\n##VAR_NAME=FID/REAL, FID/IMAG, TIME\n##SYMBOL=R, I, X\n##VAR_DIM=5, 5, 5\n" +
        "##FACTOR=2, 1, 0.001\n##FIRST=2, 0, 0.010\n##LAST=10, 0, 0.014\n##PAGE=N=1\n##DATA TABLE=(X++(R..R)), XYDATA\n10AJJ\n12CJJ\n" +
        "##PAGE=N=2\n##DATA TABLE=(X++(I..I)), XYDATA\n10@%%\n13@%%\n##END NTUPLES=NMR FID\n##END=\n";

    [Fact]
    public void Ntuples_pages_are_checked_against_the_x_variable_wherever_symbol_lists_it()
    {
        var block = Assert.Single(JcampDxReader.Read(DifNtuples, "fid.dx"));
        Assert.Equal([2.0, 4, 6, 8, 10], block.Columns["R"]); // A J J = 1, 2, 3; then C (the check) J J = 4, 5; FACTOR 2
        Assert.Equal([0.0, 0, 0, 0, 0], block.Columns["I"]);
        Assert.Equal(2, block.YChecks); // one per page
        Assert.Equal(1, block.XCheckMismatches);
        Assert.Equal(["line 23: X = 13 but point 2 is at 12"], block.Warnings);

        var fid = JcampDxReader.ToFid(block, "fid.dx");
        // Dwell (14 − 10 ms)/4 = 1 ms: 1000 Hz; carrier 12 ppm − 1000 Hz/(2·50 MHz) = 2 ppm.
        Assert.Equal(1000, fid.SpectralWidthHz, 1e-6);
        Assert.Equal(2, fid.CarrierPpm, 1e-12);
        Assert.Equal(("jcamp-dx-fid", "7Li", "12"), (fid.FormatId, fid.Nucleus, fid.Parameters["$OFFSET"]));
        Assert.Equal(new DateTimeOffset(2024, 7, 25, 10, 37, 17, 250, TimeSpan.Zero), fid.AcquiredAt);
        var wholeSeconds = JcampDxReader.ToFid(JcampDxReader.Read(DifNtuples.Replace("17.250", "17", StringComparison.Ordinal), "fid.dx")[0], "fid.dx");
        Assert.Equal(new DateTimeOffset(2024, 7, 25, 10, 37, 17, TimeSpan.Zero), wholeSeconds.AcquiredAt);
        // Without a nucleus, an offset or a date: no nucleus, the carrier at 0 ppm, no start time.
        var bare = JcampDxReader.ToFid(JcampDxReader.Read(DifNtuples.Replace("##.OBSERVE NUCLEUS=^7Li\n##$OFFSET=12\n", "", StringComparison.Ordinal)
            .Replace("##LONGDATE=2024/07/25 10:37:17.250\n", "", StringComparison.Ordinal), "fid.dx")[0], "fid.dx");
        Assert.Equal(("", 0.0, null), (bare.Nucleus, bare.CarrierPpm, bare.AcquiredAt));
    }

    [Fact]
    public void Ntuples_without_an_x_variable_are_read_but_give_no_fid_time_axis()
    {
        string noX = Ntuples.Replace("##SYMBOL=X, R, I", "##SYMBOL=T, R, I", StringComparison.Ordinal);
        var block = Assert.Single(JcampDxReader.Read(noX, "fid.dx"));
        Assert.Equal([2.0, 4, 6], block.Columns["R"]);
        Assert.Equal(0, block.XCheckMismatches); // every line starts at X 0, the only abscissa known without X
        var ex = Assert.Throws<InstrumentFileException>(() => JcampDxReader.ToFid(block, "fid.dx"));
        Assert.Equal(("MISSING_PARAMETER", "FIRST", "the first and last acquisition times"), (ex.Code, ex.Field, ex.Expected));
        Assert.Contains("the time axis (FIRST/LAST of X) does not give a positive dwell time", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("##VAR_DIM=3, 3, 3", "##VAR_DIM=3", 2.0)] // no page length: nothing to compare the page with
    [InlineData("##FACTOR=1, 2, 1", "##FACTOR=1", 1.0)] // no factor for R: 1
    public void Ntuples_header_lists_shorter_than_symbol_leave_their_defaults(string from, string to, double factor)
    {
        var block = Assert.Single(JcampDxReader.Read(Ntuples.Replace(from, to, StringComparison.Ordinal), "fid.dx"));
        Assert.Equal([1 * factor, 2 * factor, 3 * factor], block.Columns["R"]);
    }

    [Fact]
    public void A_fid_block_needs_both_pages_and_a_rising_time_axis()
    {
        var onlyReal = JcampDxReader.Read(Ntuples.Replace("##PAGE=N=2\n##DATA TABLE=(X++(I..I)), XYDATA\n0 0 -1 -1\n", "", StringComparison.Ordinal), "fid.dx")[0];
        var noPages = Assert.Throws<InstrumentFileException>(() => JcampDxReader.ToFid(onlyReal, "fid.dx"));
        Assert.Equal(("NO_FID", "NTUPLES", "an NMR FID in NTUPLES form"), (noPages.Code, noPages.Field, noPages.Expected));
        Assert.Contains("block 'fid' has no pair of real (R) and imaginary (I) pages of one length", noPages.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => JcampDxReader.ToFid(null!, "fid.dx"));
        var flat = JcampDxReader.Read(Ntuples.Replace("##LAST=0.002,", "##LAST=0,", StringComparison.Ordinal), "fid.dx")[0];
        var ex = Assert.Throws<InstrumentFileException>(() => JcampDxReader.ToFid(flat, "fid.dx"));
        Assert.Equal(("MISSING_PARAMETER", "FIRST"), (ex.Code, ex.Field));
        var noFrequency = JcampDxReader.Read(Ntuples.Replace("##.OBSERVE FREQUENCY=50\n", "", StringComparison.Ordinal), "fid.dx")[0];
        var missing = Assert.Throws<InstrumentFileException>(() => JcampDxReader.ToFid(noFrequency, "fid.dx"));
        Assert.Equal((".OBSERVE FREQUENCY", "MHz"), (missing.Field, missing.Expected));
        Assert.Contains("the observe frequency is missing", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_link_file_gives_the_parent_header_and_each_child_block()
    {
        string text = "##TITLE=compound\n##JCAMP-DX=5.01\n##DATA TYPE=LINK\n##BLOCKS=2\n" + Spectrum("##XUNITS=PPM\n", 0, 3, "0 1 2 3 4").Replace("##TITLE=t", "##TITLE=a", StringComparison.Ordinal)
            + Spectrum("##XUNITS=PPM\n", 0, 3, "0 5 6 7 8").Replace("##TITLE=t", "##TITLE=b", StringComparison.Ordinal) + "##END=\n";
        var blocks = JcampDxReader.Read(text, "link.dx");
        Assert.Equal(["compound", "a", "b"], blocks.Select(b => b.Title));
        Assert.Equal("LINK", blocks[0].DataType);
        Assert.Null(blocks[0].Y);
        Assert.Equal([5.0, 6, 7, 8], blocks[2].Y!);
    }

    [Theory]
    [InlineData("##XUNITS=SECONDS\n", "0 1 2 3 4", 4, "UNSUPPORTED", "XUNITS = SECONDS is not supported")]
    [InlineData("##XUNITS=PPM\n", "0 1 2 3", 4, "SIZE_MISMATCH", "the XYDATA table decodes to 3 values but NPOINTS = 4")]
    public void Units_other_than_hz_or_ppm_and_a_wrong_point_count_are_errors(string units, string data, int points, string code, string message)
    {
        var ex = Assert.Throws<InstrumentFileException>(() => JcampDxReader.ToSpectrum(JcampDxReader.Read(Spectrum(units, 0, 3, data, points: points), "s.dx")[0], "s.dx"));
        Assert.Equal(code, ex.Code);
        Assert.Equal(code == "UNSUPPORTED" ? ("XUNITS", "HZ or PPM") : ("NPOINTS", "4 values"), (ex.Field, ex.Expected));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_without_blocks_or_a_block_without_a_table_or_frequency_is_an_error()
    {
        Assert.Equal("NOT_JCAMP", Assert.Throws<InstrumentFileException>(() => JcampDxReader.Read("no records here\n", "x.dx")).Code);
        var empty = JcampDxReader.Read("##TITLE=e\n##JCAMP-DX=5.01\n##END=\n", "e.dx")[0];
        var ex = Assert.Throws<InstrumentFileException>(() => JcampDxReader.ToSpectrum(empty, "e.dx"));
        Assert.Equal(("NO_SPECTRUM", "XYDATA"), (ex.Code, ex.Field));
        Assert.Contains("block 'e' has no XYDATA table", ex.Message, StringComparison.Ordinal);
        Assert.Equal("an NMR SPECTRUM block with ##XYDATA=(X++(Y..Y))", ex.Expected);
        Assert.Throws<ArgumentNullException>(() => JcampDxReader.ToSpectrum(null!, "e.dx"));
        var noFrequency = JcampDxReader.Read(Spectrum("##XUNITS=PPM\n", 0, 3, "0 1 2 3 4").Replace("##.OBSERVE FREQUENCY=100\n", "", StringComparison.Ordinal), "s.dx")[0];
        var noSf = Assert.Throws<InstrumentFileException>(() => JcampDxReader.ToSpectrum(noFrequency, "s.dx"));
        Assert.Equal(("MISSING_PARAMETER", ".OBSERVE FREQUENCY", "the spectrometer frequency in MHz"), (noSf.Code, noSf.Field, noSf.Expected));
        Assert.Contains("the observe frequency is missing", noSf.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("##TITLE= a\n##JCAMP-DX= 5.01\n", true)]
    [InlineData("  \n##title= a\n##jcamp-dx= 5.01\n", true)]
    [InlineData("##JCAMP-DX= 5.01\n##TITLE= a\n", false)]
    [InlineData("##TITLE= a\n##DATA TYPE= NMR SPECTRUM\n", false)]
    public void Sniffing_needs_a_title_first_and_a_jcamp_version(string head, bool expected)
    {
        Assert.Equal(expected, JcampDxReader.Sniff(head));
    }

    [Fact]
    public void A_file_that_ends_inside_a_block_names_the_block_and_its_last_line()
    {
        var ex = Assert.Throws<InstrumentFileException>(() => JcampDxReader.Read("##TITLE= cut spectrum\n##JCAMP-DX= 5.01\n##XYDATA=(X++(Y..Y))\n0 1 2\n", "cut.dx"));
        Assert.Equal(("INCOMPLETE_FILE", "##END=", 3), (ex.Code, ex.Field, ex.Line));
        Assert.Contains("the file ends inside block 'cut spectrum' (no ##END= after line 3)", ex.Message, StringComparison.Ordinal);
        Assert.Equal("a complete JCAMP-DX file, every block closed by ##END= (upload the file again once it is written)", ex.Expected);
        var untitled = Assert.Throws<InstrumentFileException>(() => JcampDxReader.Read("##JCAMP-DX= 5.01\n##NPOINTS= 3\n", "u.dx"));
        Assert.Contains("the file ends inside block '?'", untitled.Message, StringComparison.Ordinal);
        var none = Assert.Throws<InstrumentFileException>(() => JcampDxReader.Read("no records here\n", "x.dx"));
        Assert.Contains("no ##TITLE block found", none.Message, StringComparison.Ordinal);
        Assert.Equal("a JCAMP-DX file (##TITLE=, ##JCAMP-DX=, …, ##END=)", none.Expected);
        // A copy cut just after the next block's TITLE would lose that block: it is incomplete too.
        var afterTitle = Assert.Throws<InstrumentFileException>(() => JcampDxReader.Read("##TITLE=a\n##JCAMP-DX=5.01\n##END=\n##TITLE=b\n", "cut.dx"));
        Assert.Contains("the file ends inside block 'b' (no ##END= after line 4)", afterTitle.Message, StringComparison.Ordinal);
        // A lone ##END= closes nothing and adds no block.
        Assert.Equal("NOT_JCAMP", Assert.Throws<InstrumentFileException>(() => JcampDxReader.Read("##END=\n", "e.dx")).Code);
    }

    [Fact]
    public void A_block_without_title_or_data_type_has_both_empty()
    {
        var block = Assert.Single(JcampDxReader.Read("##JCAMP-DX=5.01\n##ORIGIN=lab\n##END=\n", "u.dx"));
        Assert.Equal(("", ""), (block.Title, block.DataType));
    }

    [Fact]
    public void Xydata_point_counts_one_none_or_zero()
    {
        // One point: FIRSTX is its abscissa (no step to divide by zero).
        var one = Assert.Single(JcampDxReader.Read(Spectrum("##XUNITS=PPM\n", 5, 5, "5 7", points: 1), "s.dx"));
        Assert.Equal([5.0], one.X!);
        Assert.Equal([7.0], one.Y!);
        // No NPOINTS: the values are read as they stand.
        var unsized = Assert.Single(JcampDxReader.Read(Spectrum("##XUNITS=PPM\n", 0, 0, "0 1 2 3 4").Replace("##NPOINTS=4\n", "", StringComparison.Ordinal), "s.dx"));
        Assert.Equal([1.0, 2, 3, 4], unsized.Y!);
        // NPOINTS = 0 beside four values is a mismatch like any other.
        var ex = Assert.Throws<InstrumentFileException>(() => JcampDxReader.Read(Spectrum("##XUNITS=PPM\n", 0, 3, "0 1 2 3 4", points: 0), "s.dx"));
        Assert.Equal(("SIZE_MISMATCH", 9, "NPOINTS", "0 values"), (ex.Code, ex.Line, ex.Field, ex.Expected));
        Assert.Contains("the XYDATA table decodes to 4 values but NPOINTS = 0", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_x_check_allows_half_a_point_in_the_lines_own_units()
    {
        // FIRSTX 0, LASTX 50 over six points with XFACTOR 10: lines write X in tens, point i at i. A line starting at
        // 2.3 for point 2 is within half a point; one at 7 for point 4 is three points off.
        var block = Assert.Single(JcampDxReader.Read(Spectrum("##XUNITS=PPM\n", 0, 50, "0 1 2\n2.3 3 4\n7 5 6", "##XFACTOR=10\n", points: 6), "s.dx"));
        Assert.Equal([1.0, 2, 3, 4, 5, 6], block.Y!);
        Assert.Equal(["line 13: X = 7 but point 4 is at 4"], block.Warnings);
    }
}
