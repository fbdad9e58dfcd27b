using CloudPipeline.Core.Formats.BioLogic;
using CloudPipeline.Testing;
using Xunit;

namespace CloudPipeline.Core.Tests.Cycler;

/// <summary>The EC-Lab text export's head, shared by the impedance and the cycler readers.</summary>
public sealed class MptHeaderTests
{
    [Theory]
    [InlineData("EC-Lab ASCII FILE|Nb header lines : 3", 3)] // the smallest: the two lines, then the columns
    [InlineData("\uFEFFEC-Lab ASCII FILE  |Nb header lines : 59                          ", 59)]
    [InlineData("EC-Lab ASCII FILE|Nb header lines :77", 77)]
    [InlineData("EC-Lab ASCII FILE|Nb header lines : 2", null)] // the column line would be this line
    [InlineData("EC-Lab ASCII FILE|Nb header lines : 0", null)]
    [InlineData("EC-Lab ASCII FILE|Nb header lines : -5", null)]
    [InlineData("EC-Lab ASCII FILE|Nb header lines : 5.0", null)]
    [InlineData("EC-Lab ASCII FILE|Nb header lines : ", null)]
    [InlineData("EC-Lab ASCII FILE|Nb header lines", null)] // cut before the colon
    [InlineData("EC-Lab ASCII FILE|Nb header lines = 5", null)]
    [InlineData("EC-Lab ASCII FILE| Nb header lines : 5", null)]
    [InlineData("EC-Lab ASCII FILE", null)]
    [InlineData("EC-Lab ASCII|Nb header lines : 5", null)]
    [InlineData(" EC-Lab ASCII FILE|Nb header lines : 5", 5)]
    [InlineData("Nb header lines : 5|EC-Lab ASCII FILE", null)]
    public void The_column_line_number_comes_from_line_two_of_an_ec_lab_export(string head, int? expected)
    {
        Assert.Equal(expected, MptHeader.ColumnLineNumber(head.Split('|')));
    }

    [RealDataTheory]
    [InlineData("cp.mpt", 59)]
    [InlineData("vsp_ocv_with.mpt", 3)]
    [InlineData("mb.issue_95.de.mpt", 94)]
    public void Real_exports_name_their_column_line(string file, int expected)
    {
        // The second line of each export, "Nb header lines : N", as `head -2` shows it.
        var head = File.ReadLines(SharedData.RealFile("eclab", file), System.Text.Encoding.Latin1).Take(2).ToList();
        Assert.Equal(expected, MptHeader.ColumnLineNumber(head));
    }
}
