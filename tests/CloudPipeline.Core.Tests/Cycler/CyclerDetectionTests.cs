using System.Text;
using CloudPipeline.Core.Formats.Cycler;
using CloudPipeline.Testing;
using Xunit;

namespace CloudPipeline.Core.Tests.Cycler;

/// <summary>
/// Detection of the cycler text exports from the head of each real file: from how many lines on each is recognised
/// (its column line, or the EC-Lab count on line 2), and that a head with one of its markers changed is not.
/// </summary>
public sealed class CyclerDetectionTests
{
    private static List<string> Head(string file) =>
        File.ReadLines(SharedData.RealFile(file.Split('/')), Encoding.Latin1).Take(80).ToList();

    [RealDataTheory]
    [InlineData("neware-csv/neware_uio.csv", "neware-csv", 1)]
    [InlineData("neware-csv/nw_regular_export_ife_example.csv", "neware-csv-hierarchical", 3)]
    [InlineData("arbin-csv/2017-05-09_test-TC-contact_CH33.csv", "arbin-csv", 1)]
    [InlineData("maccor-txt/PredictionDiagnostics_000151_test.052", "maccor-text", 2)]
    [InlineData("maccor-txt/maccor_002.txt", "maccor-text-keyed", 14)] // the Rec line
    [InlineData("novonix-csv/test_Nova_Form-CH01-01_short.csv", "novonix-csv", 58)] // [Data] on line 57, the columns after it
    [InlineData("pec-csv/Test25205.csv", "pec-csv", 46)]
    [InlineData("eclab/cp.mpt", "biologic-mpt-dc", 2)] // "Nb header lines : 59" names the column line before it is read
    [InlineData("eclab/vsp_ocv_with.mpt", "biologic-mpt-dc", 2)]
    public void A_head_is_recognised_from_the_line_that_identifies_it(string file, string id, int linesNeeded)
    {
        var head = Head(file);
        for (int k = 0; k <= linesNeeded + 2; k++)
        {
            Assert.True((k >= linesNeeded ? id : null) == CyclerFormats.Detect(string.Join("\n", head.Take(k))), $"{file}, first {k} lines");
        }
    }

    /// <summary>Each marker a layout is recognised by, changed in the real head (line, text, replacement).</summary>
    [RealDataTheory]
    [InlineData("neware-csv/neware_uio.csv", 0, "Step Type,", "StepType,")]
    [InlineData("neware-csv/nw_regular_export_ife_example.csv", 0, "Chg. Cap.(Ah),", "Charge Cap.(Ah),")]
    [InlineData("neware-csv/nw_regular_export_ife_example.csv", 1, ",Step Index,", ",Step,")]
    [InlineData("neware-csv/nw_regular_export_ife_example.csv", 2, ",,DataPoint,", ",,Data Point,")]
    [InlineData("arbin-csv/2017-05-09_test-TC-contact_CH33.csv", 0, "DateTime,", "Date_Time,")]
    [InlineData("maccor-txt/PredictionDiagnostics_000151_test.052", 0, "Today's Date", "Date")]
    [InlineData("maccor-txt/PredictionDiagnostics_000151_test.052", 1, "Cyc#\t", "Cycle\t")]
    [InlineData("maccor-txt/maccor_002.txt", 0, "Name:", "Test:")]
    [InlineData("maccor-txt/maccor_002.txt", 0, "\t", " ")] // key and value not tab-separated
    [InlineData("maccor-txt/maccor_002.txt", 13, "\tTestTime\t", "\tTest Time\t")]
    [InlineData("novonix-csv/test_Nova_Form-CH01-01_short.csv", 0, "[Summary]", "[Overview]")]
    [InlineData("novonix-csv/test_Nova_Form-CH01-01_short.csv", 56, "[Data]", "[Rows]")]
    [InlineData("novonix-csv/test_Nova_Form-CH01-01_short.csv", 57, "Run Time (h)", "Run Time (s)")]
    [InlineData("pec-csv/Test25205.csv", 0, ":,", ",")]
    [InlineData("pec-csv/Test25205.csv", 45, "Instruction Name,", "Instruction,")]
    [InlineData("eclab/cp.mpt", 0, "EC-Lab ASCII FILE", "EC-Lab ASCII")]
    [InlineData("eclab/cp.mpt", 3, "Chronopotentiometry", "Potentio Electrochemical Impedance Spectroscopy")]
    [InlineData("eclab/cp.mpt", 3, "Chronopotentiometry", "GEIS")]
    public void A_head_with_a_marker_changed_is_not_that_layout(string file, int line, string marker, string replacement)
    {
        var head = Head(file);
        Assert.NotNull(CyclerFormats.Detect(string.Join("\n", head)));
        Assert.Contains(marker, head[line], StringComparison.Ordinal);
        int at = head[line].IndexOf(marker, StringComparison.Ordinal);
        head[line] = head[line][..at] + replacement + head[line][(at + marker.Length)..];
        Assert.Null(CyclerFormats.Detect(string.Join("\n", head)));
    }

    [Theory]
    [InlineData("EC-Lab ASCII FILE\nNb header lines : 3\nfreq/Hz\tRe(Z)/Ohm\t-Im(Z)/Ohm\n1000\t1\t2", null)] // impedance, with a minimal header
    [InlineData("EC-Lab ASCII FILE\nNb header lines : 3\ntime/s\tEwe/V\tI/mA\n1\t3.5\t0.1", "biologic-mpt-dc")]
    [InlineData("EC-Lab ASCII FILE\nNb header lines : 4\n\ntime/s\tEwe/V\n1\t3.5", "biologic-mpt-dc")] // line 4 is the column line, not a technique
    public void A_minimal_ec_lab_header_is_told_apart_by_its_columns(string head, string? id)
    {
        Assert.Equal(id, CyclerFormats.Detect(head));
    }

    [Theory]
    [InlineData("cycle number\ttime/s\tEwe/V", true, false)] // the index in the first column
    [InlineData("Ns\ttime/s\tEwe/V", false, true)]
    public void An_index_in_the_first_column_counts(string columns, bool cycles, bool steps)
    {
        string text = "EC-Lab ASCII FILE\nNb header lines : 3\n" + columns + "\n1\t0.5\t3.5\n2\t1.5\t3.6\n";
        var (info, rows, _) = CyclerReaderTests.Read(Encoding.Latin1.GetBytes(text), "first.mpt");
        Assert.Equal((cycles, steps), (info.HasCycles, info.HasSteps));
        Assert.Equal(cycles ? [1, 2] : [-1, -1], rows.Select(r => r.Cycle));
        Assert.Equal(steps ? [1, 2] : [-1, -1], rows.Select(r => r.Step));
    }
}
