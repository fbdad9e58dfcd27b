using CloudPipeline.Core.Formats;
using CloudPipeline.Core.Formats.Nmr;
using Xunit;

namespace CloudPipeline.Core.Tests.Nmr;

/// <summary>
/// The ASDF token alphabet of JCAMP-DX (nmr.md §1.4; McDonald &amp; Wilks 1988): every SQZ, DIF and DUP character,
/// the AFFN forms, the Y- and X-checks, and the errors for what is not ASDF. Expected vectors are worked out by hand.
/// </summary>
public sealed class AsdfTests
{
    private static List<double> Decode(params string[] lines)
    {
        var decoder = new AsdfDecoder("table.dx");
        for (int i = 0; i < lines.Length; i++)
        {
            decoder.DecodeLine(lines[i], i + 1);
        }
        return decoder.Values;
    }

    [Fact]
    public void Sqz_characters_are_the_leading_digit_with_its_sign()
    {
        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, -1, -2, -3, -4, -5, -6, -7, -8, -9], Decode("0@ABCDEFGHIabcdefghi"));
        Assert.Equal([10, -15, 203.5], Decode("0A0a5B03.5"));
    }

    [Fact]
    public void Dif_characters_add_signed_differences_to_the_previous_value()
    {
        // 0, then +1 … +9: 0 1 3 6 10 15 21 28 36 45; then −1 … −9 and 0: 44 42 39 35 30 24 17 9 0 0.
        Assert.Equal([0, 1, 3, 6, 10, 15, 21, 28, 36, 45, 44, 42, 39, 35, 30, 24, 17, 9, 0, 0], Decode("0@JKLMNOPQRjklmnopqr%"));
        Assert.Equal([5, 17, -3], Decode("0E J2 k0"));
    }

    [Fact]
    public void Dup_characters_count_the_value_itself_and_repeat_a_difference_after_dif()
    {
        // S…Z = 1…8 and s = 9 occurrences in all.
        Assert.Equal([7], Decode("0GS"));
        Assert.Equal(Enumerable.Repeat(7.0, 8), Decode("0GZ"));
        Assert.Equal(Enumerable.Repeat(7.0, 9), Decode("0Gs"));
        Assert.Equal(Enumerable.Repeat(7.0, 12), Decode("0GS2")); // DUP 12: S then the digit 2
        Assert.Equal([1, 2, 3, 4], Decode("0AJU")); // after a DIF the difference repeats: 1, +1, then +1 twice more
    }

    [Fact]
    public void Affn_values_take_signs_decimals_exponents_and_any_separator()
    {
        Assert.Equal([1.5, -2, 150, 0.2, 3, 4], Decode("1 1.5,-2;1.5E+02\t2e-1 +3 4"));
        // An E without a sign is the SQZ digit 5, not an exponent: 3E5 is 3 and then 55.
        Assert.Equal([3, 55], Decode("1 3E5"));
        var missing = Decode("1 1 ? 3");
        Assert.Equal(3, missing.Count);
        Assert.True(double.IsNaN(missing[1]));
        Assert.Empty(Decode("   "));
    }

    [Fact]
    public void A_dif_line_is_checked_by_the_repeated_value_opening_the_next_line()
    {
        var decoder = new AsdfDecoder("table.dx");
        decoder.DecodeLine("1AJJ", 1); // 1 2 3, ends in DIF
        decoder.DecodeLine("3C J", 2); // check value 3 (not added), then +1
        Assert.Equal([1, 2, 3, 4], decoder.Values);
        Assert.Equal(1, decoder.YChecks);
        var dif = Assert.Throws<InstrumentFileException>(() => decoder.DecodeLine("4J", 3));
        Assert.Equal(("YCHECK_FAILED", 3, "Y-check"), (dif.Code, dif.Line, dif.Field));
        Assert.Contains("'J' is not an absolute value", dif.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_lenient_decoder_warns_on_a_failed_y_check_and_continues_from_the_check_value()
    {
        var decoder = new AsdfDecoder("table.dx", strict: false);
        decoder.DecodeLine("1AJJ", 1); // ends at 3
        decoder.DecodeLine("3D J", 2); // claims 4; continues from 4
        Assert.Equal([1, 2, 3, 5], decoder.Values);
        Assert.Equal(["line 2: Y-check failed: the line repeats 4 but the previous line ended at 3"], decoder.Warnings);
    }

    [Fact]
    public void A_line_whose_abscissa_disagrees_with_the_point_count_is_counted_and_named()
    {
        var decoder = new AsdfDecoder("table.dx");
        decoder.DecodeLine("1 1 2 3", 1, i => (i + 1, 0.5));
        decoder.DecodeLine("4 4 5", 2, i => (i + 1, 0.5)); // point 3 is at X = 4: fine
        decoder.DecodeLine("7 6", 3, i => (i + 1, 0.5)); // point 5 is at 6, not 7
        Assert.Equal(1, decoder.XCheckMismatches);
        Assert.Equal(["line 3: X = 7 but point 5 is at 6"], decoder.Warnings);
        // Within the tolerance is no mismatch.
        decoder.DecodeLine("7.4 7", 4, i => (i + 1, 0.5));
        Assert.Equal(1, decoder.XCheckMismatches);
    }

    [Theory]
    [InlineData("A1 2", "X", "the line starts with 'A1' instead of its abscissa")]
    [InlineData("1 J", "Y", "the difference 'J' has no value before it")]
    [InlineData("1 S", "Y", "the repeat 'S' has nothing to repeat")]
    [InlineData("1 A#", "Y", "'#' at column 4 is not an ASDF character")]
    [InlineData("1 .", "Y", "'.' is not a number")]
    public void What_is_not_asdf_is_an_error_naming_file_line_and_what_was_expected(string line, string field, string message)
    {
        var ex = Assert.Throws<InstrumentFileException>(() => new AsdfDecoder("table.dx").DecodeLine(line, 12));
        Assert.Equal(("BAD_ASDF", 12, field), (ex.Code, ex.Line, ex.Field));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        Assert.Contains("table.dx", ex.Message, StringComparison.Ordinal);
    }
}
