using System.Text;
using CloudPipeline.Core.Formats;
using CloudPipeline.Core.Formats.Mri;
using CloudPipeline.Testing;
using Xunit;

namespace CloudPipeline.Core.Tests.Mri;

public sealed class TopSpinProfileReaderTests
{
    private const string Header = """
        # File created = Wednesday, September 7, 2022 1:30:52 PM CEST
        # Data set = MRI10mm_Li_PEO_Li7  5  1  C:\Bruker\TopSpin3.5pl4\data\JHT
        # Spectral Region:
        # LEFT = 187.76339721679688 ppm. RIGHT = -343.2189798116477 ppm.
        #
        # SIZE = 4 ( = number of points)
        #
        """;

    [RealDataFact]
    public void Reads_the_first_real_profile_as_the_spec_states()
    {
        var profile = RealCells.ReadProfile(Path.Combine(RealCells.Folder("Li_Li"), "MRI10mm_Li_PEO_Li7(005).txt"));
        Assert.Equal(256, profile.Size);
        Assert.Equal(187.76339721679688, profile.LeftPpm);
        Assert.Equal(-343.2189798116477, profile.RightPpm);
        Assert.Equal(5, profile.ExpNo);
        Assert.Equal(1, profile.ProcNo);
        Assert.Equal(13824.080078125, profile.Values[0]);
        Assert.Equal(12556.6005859375, profile.Values[1]);
    }

    [RealDataFact]
    public void Every_real_profile_has_256_values()
    {
        foreach (var cell in new[] { "Li_Li", "NMC622_Li" })
        {
            var series = RealCells.Profiles(cell);
            Assert.Equal(cell == "Li_Li" ? 94 : 71, series.Profiles.Count);
            Assert.All(series.Profiles, p => Assert.Equal(256, p.Size));
            Assert.Contains(series.Warnings, w => w.StartsWith("EXPNO_GAPS: EXPNO 6 missing", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Sniffs_a_topspin_header()
    {
        Assert.True(TopSpinProfileReader.Sniff(Header));
        Assert.False(TopSpinProfileReader.Sniff("2.55705\t0.16491\t0.09984"));
    }

    [Fact]
    public void A_truncated_profile_names_the_file_and_the_size()
    {
        var ex = Assert.Throws<InstrumentFileException>(() => TopSpinProfileReader.Read(Encoding.UTF8.GetBytes(Header + "\n1\n2\n3\n"), "MRI(007).txt"));
        Assert.Equal("SIZE_MISMATCH", ex.Code);
        Assert.Contains("MRI(007).txt", ex.Message, StringComparison.Ordinal);
        Assert.Contains("3 values but its header says SIZE = 4", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1\n2\nNaN\n4", "NOT_A_NUMBER", 10)]
    [InlineData("1\n2\nabc\n4", "NOT_A_NUMBER", 10)]
    [InlineData("1\n2\n-3\n4", "NEGATIVE_INTENSITY", 10)]
    [InlineData("1\n2\n3.5x\n4", "NOT_A_NUMBER", 10)]
    [InlineData("1\n2\n3,5\n4", "NOT_A_NUMBER", 10)]
    public void Bad_values_name_the_line(string body, string code, int line)
    {
        var ex = Assert.Throws<InstrumentFileException>(() => TopSpinProfileReader.Read(Encoding.UTF8.GetBytes(Header + "\n" + body), "p.txt"));
        Assert.Equal(code, ex.Code);
        Assert.Equal(line, ex.Line);
        Assert.Contains($"p.txt, line {line}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Values_in_exponent_notation_with_signs_and_blanks_read_exactly()
    {
        var profile = TopSpinProfileReader.Read(Encoding.UTF8.GetBytes(Header + "\n1.5E+03\r\n +2 \n3e-1\n\t13824.080078125\n"), "p.txt");
        Assert.Equal([1500, 2, 0.3, 13824.080078125], profile.Values);
    }

    [RealDataFact]
    public void A_real_profile_cut_inside_its_last_value_is_rejected_never_read_short()
    {
        // The real exports end every line with a line break; a copy cut inside the last value must not become a
        // profile whose last intensity is a shortened number.
        var content = File.ReadAllBytes(Path.Combine(RealCells.Folder("Li_Li"), "MRI10mm_Li_PEO_Li7(005).txt"));
        Assert.Equal(256, TopSpinProfileReader.Read(content, "MRI(005).txt").Size);
        var ex = Assert.Throws<InstrumentFileException>(() => TopSpinProfileReader.Read(content[..^4], "MRI(005).txt"));
        Assert.Equal("INCOMPLETE_FILE", ex.Code);
        Assert.Equal(266, ex.Line);
        Assert.Contains("MRI(005).txt, line 266", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_without_header_is_rejected_with_what_was_expected()
    {
        var ex = Assert.Throws<InstrumentFileException>(() => TopSpinProfileReader.Read("1\n2\n"u8, "plain.txt"));
        Assert.Equal("MISSING_HEADER", ex.Code);
        Assert.Contains("SIZE", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_header_without_its_spectral_region_is_rejected_naming_left_and_right()
    {
        var ex = Assert.Throws<InstrumentFileException>(() => TopSpinProfileReader.Read("# SIZE = 2 ( = number of points)\n1\n2\n"u8, "noregion.txt"));
        Assert.Equal("MISSING_HEADER", ex.Code);
        Assert.Equal("LEFT/RIGHT", ex.Field);
        Assert.Contains("noregion.txt", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_error_says_what_it_found_and_what_was_expected()
    {
        static InstrumentFileException Fails(string text) => Assert.Throws<InstrumentFileException>(() => TopSpinProfileReader.Read(Encoding.UTF8.GetBytes(text), "p.txt"));
        var notANumber = Fails(Header + "\n1\n2\nabc\n4\n");
        Assert.Contains("p.txt, line 10, field 'intensity': 'abc' is not a number", notANumber.Message, StringComparison.Ordinal);
        Assert.Equal(("intensity", "one finite intensity per line"), (notANumber.Field, notANumber.Expected));
        var negative = Fails(Header + "\n1\n2\n-3.5\n4\n");
        Assert.Contains("negative intensity -3.5", negative.Message, StringComparison.Ordinal);
        Assert.Equal(("intensity", "magnitude data (all values >= 0)"), (negative.Field, negative.Expected));
        var mismatch = Fails(Header + "\n1\n2\n3\n");
        Assert.Equal(("SIZE", "4 values (the file may be truncated)", 10), (mismatch.Field, mismatch.Expected, mismatch.Line));
        var none = Fails(Header + "\n");
        Assert.Equal("NO_VALUES", none.Code);
        Assert.Contains("the file has no intensities (its header says SIZE = 4)", none.Message, StringComparison.Ordinal);
        Assert.Equal(("intensity", "one intensity per line after the header"), (none.Field, none.Expected));
        var noSize = Fails("# LEFT = 1 ppm. RIGHT = -1 ppm.\n1\n");
        Assert.Contains("no 'SIZE = n' header line", noSize.Message, StringComparison.Ordinal);
        Assert.Equal(("SIZE", "a TopSpin totxt export with a '# SIZE = n (= number of points)' line"), (noSize.Field, noSize.Expected));
        var noRegion = Fails("# SIZE = 1 ( = number of points)\n1\n");
        Assert.Contains("no 'LEFT = … ppm. RIGHT = … ppm.' header line", noRegion.Message, StringComparison.Ordinal);
        Assert.Equal("the spectral region header of a TopSpin totxt export", noRegion.Expected);
        var cut = Fails(Header + "\n1\n2\n3\n4.25");
        Assert.Contains("the file ends inside line 11 ('4.25' without a line break)", cut.Message, StringComparison.Ordinal);
        Assert.Equal(("intensity", "a complete export, every line ending with a line break (upload the file again once it is written)"), (cut.Field, cut.Expected));
        var longLine = Fails(Header + "\n1\n2\n" + new string('x', 45) + "\n4\n");
        Assert.Contains($"'{new string('x', 40)}…' is not a number", longLine.Message, StringComparison.Ordinal);
        var exactly40 = Fails(Header + "\n1\n2\n" + new string('y', 40) + "\n4\n");
        Assert.Contains($"'{new string('y', 40)}' is not a number", exactly40.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("# LEFT = 1e+ ppm. RIGHT = -1 ppm.\n# SIZE = 1\n1\n", "LEFT", "'1e+' is not a number")]
    [InlineData("# LEFT = 1 ppm. RIGHT = ppm.\n# SIZE = 1\n1\n", "RIGHT", "'' is not a number")]
    [InlineData("# LEFT = 1 ppm. RIGHT = -1 ppm.\n# SIZE = 1e\n1\n", "SIZE", "'1e' is not a number")]
    public void A_bad_header_number_names_its_field_and_line(string text, string field, string message)
    {
        var ex = Assert.Throws<InstrumentFileException>(() => TopSpinProfileReader.Read(Encoding.UTF8.GetBytes(text), "h.txt"));
        Assert.Equal(("BAD_HEADER", field, "a number with a decimal point"), (ex.Code, ex.Field, ex.Expected));
        Assert.Equal(field == "SIZE" ? 2 : 1, ex.Line);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_byte_order_mark_blank_lines_and_a_last_line_ending_in_cr_read_like_the_plain_file()
    {
        var plain = TopSpinProfileReader.Read(Encoding.UTF8.GetBytes(Header + "\n1\n2\n3\n4\n"), "p.txt");
        var dressed = TopSpinProfileReader.Read([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Header + "\n\n1\n \n2\n3\n4\r")], "p.txt");
        Assert.Equal(plain.Values, dressed.Values);
        Assert.Equal((187.76339721679688, -343.2189798116477), (dressed.LeftPpm, dressed.RightPpm));
        Assert.Equal(("MRI10mm_Li_PEO_Li7", 5, 1), (dressed.DataSetName, dressed.ExpNo, dressed.ProcNo));
        // A data-set line whose EXPNO is not a number leaves the numbers unknown.
        var odd = TopSpinProfileReader.Read(Encoding.UTF8.GetBytes("# Data set = name x 1 path\n# LEFT = 1 ppm. RIGHT = -1 ppm.\n# SIZE = 1\n7\n"), "p.txt");
        Assert.Equal((null, null, null), (odd.DataSetName, odd.ExpNo, odd.ProcNo));
    }

    [Theory]
    [InlineData("  # SIZE = 4 LEFT = 1", true)]
    [InlineData("# SIZE = 4", false)]
    [InlineData("# LEFT = 1", false)]
    [InlineData("SIZE = 4 LEFT = 1", false)]
    public void Sniffing_needs_a_hash_header_with_size_and_left(string head, bool expected)
    {
        Assert.Equal(expected, TopSpinProfileReader.Sniff(head));
    }
}
