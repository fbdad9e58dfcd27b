using CloudPipeline.Core.Formats.Nmr;
using Xunit;

namespace CloudPipeline.Core.Tests.Nmr;

/// <summary>The JCAMP-style lexer (nmr.md §1.1 and §1.4): labelled records, continuation lines, comments, line numbers.</summary>
public sealed class JcampRecordsTests
{
    [Fact]
    public void Records_keep_their_label_value_continuations_and_line_numbers()
    {
        // Line 1 comes before any label and belongs to nothing; line 3 is a label without '='; line 5 is blank and
        // line 6 only a comment, so neither continues the record; "$$" starts a comment anywhere on a line.
        string text = "written by hand\r\n##TITLE= cell 7 $$ Li|Li\r\n##$RELAX\r\n  12 34 $$ two values\r\n\r\n$$ note\r\n  56\r\n##END=\r\n";
        var records = JcampRecords.Parse(text);

        Assert.Equal(["TITLE", "$RELAX", "END"], records.Select(r => r.Label));
        Assert.Equal([2, 3, 8], records.Select(r => r.Line));
        Assert.Equal(" cell 7 ", records[0].Value);
        Assert.Equal("cell 7", records[0].Head);
        Assert.Empty(records[0].ValueLines);
        Assert.Equal("\n  12 34 \n  56", records[1].Value);
        Assert.Equal([(4, "  12 34 "), (7, "  56")], records[1].ValueLines);
        Assert.Equal("", records[1].Head);
        Assert.Equal("", records[2].Value);
    }

    [Theory]
    [InlineData("##.OBSERVE FREQUENCY=", ".OBSERVEFREQUENCY")]
    [InlineData("##$BF1=", "$BF1")]
    [InlineData("##Data_Type=", "DATATYPE")]
    [InlineData("##x-units/y=", "XUNITSY")]
    [InlineData("##\tnpoints =", "NPOINTS")]
    public void Labels_compare_without_blanks_dashes_slashes_or_underscores_in_upper_case(string line, string key)
    {
        // JCAMP-DX (McDonald & Wilks 1988): labels are compared with blanks, "-", "/" and "_" removed and case ignored.
        Assert.Equal(key, Assert.Single(JcampRecords.Parse(line)).Key);
    }
}
