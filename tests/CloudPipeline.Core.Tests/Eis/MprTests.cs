using CloudPipeline.Core.Formats;
using CloudPipeline.Core.Formats.BioLogic;
using CloudPipeline.Core.Formats.Eis;
using CloudPipeline.Testing;
using Xunit;

namespace CloudPipeline.Core.Tests.Eis;

/// <summary>Every BioLogic .mpr equals its .mpt export (SOURCES.md §1a: rtol 1e-5, atol 1e-8).</summary>
public sealed class MprTests
{
    private static readonly HashSet<string> HarmonicColumns =
    [
        "THD Ewe/%", "THD I/%", "NSD Ewe/%", "NSD I/%", "NSR Ewe/%", "NSR I/%",
        .. Enumerable.Range(2, 6).SelectMany(n => new[] { $"|Ewe h{n}|/V", $"|I h{n}|/A" }),
    ];

    [RealDataTheory]
    [InlineData("ca", 721, 2)]
    [InlineData("cp", 121, 2)]
    [InlineData("cv", 5103, 2)]
    [InlineData("gcpl.issue_149", 132, 0)]
    [InlineData("gcpl.issue_226.CxN", 15, 0)]
    [InlineData("geis.issue_149", 84, 0)]
    [InlineData("lsv", 1186, 2)]
    [InlineData("mb.issue_95", 33, 2)]
    [InlineData("ocv", 602, 2)]
    [InlineData("peis.issue_149", 84, 0)]
    [InlineData("peis", 32, 2)]
    [InlineData("vsp_ocv_with", 13, 2)]
    [InlineData("wait", 0, 2)]
    [InlineData("zir", 1, 2)]
    public void Mpr_matches_its_mpt(string name, int points, int minimumSharedColumns)
    {
        string mprPath = SharedData.RealFile("eclab", name + ".mpr");
        var mpr = MprReader.Read(mprPath, File.ReadAllBytes(mprPath));
        var mpt = MptExportTable.Read(SharedData.RealFile("eclab", name + ".mpt"));
        Assert.Equal(points, mpr.Points);
        int shared = 0;
        foreach (var (column, values) in mpr.Columns)
        {
            // The text export writes some power and energy columns with "we" (Pwe/W) where the binary has P/W.
            string? key = mpt.ContainsKey(column) ? column : mpt.Keys.FirstOrDefault(k => k.Replace("we", "", StringComparison.Ordinal) == column);
            if (key is null || (name.Contains("issue_149", StringComparison.Ordinal) && HarmonicColumns.Contains(column)))
            {
                continue;
            }
            shared++;
            var expected = mpt[key];
            Assert.Equal(expected.Length, values.Length);
            for (int i = 0; i < values.Length; i++)
            {
                Assert.True(Math.Abs(values[i] - expected[i]) <= 1e-8 + 1e-5 * Math.Abs(expected[i]), $"{name} {column}[{i}]: mpr {values[i]:R}, mpt {expected[i]:R}");
            }
        }
        Assert.True(shared >= minimumSharedColumns + (points > 0 ? 2 : 0), $"{name}: only {shared} columns compared");
    }

    [RealDataTheory]
    [InlineData("peis", 32)]
    [InlineData("peis.issue_149", 84)]
    [InlineData("geis.issue_149", 84)]
    [InlineData("zir", 1)]
    public void Impedance_mpr_files_read_as_spectra_equal_to_their_text_exports(string name, int points)
    {
        var binary = EisFormats.Read(name + ".mpr", File.ReadAllBytes(SharedData.RealFile("eclab", name + ".mpr")));
        var text = EisFormats.Read(name + ".mpt", File.ReadAllBytes(SharedData.RealFile("eclab", name + ".mpt")));
        Assert.Equal("biologic-mpr", binary.FormatId);
        Assert.Equal(points, binary.Count);
        for (int i = 0; i < points; i++)
        {
            Assert.Equal(text.Frequency[i], binary.Frequency[i], Math.Abs(text.Frequency[i]) * 1e-5);
            Assert.Equal(text.ZReal[i], binary.ZReal[i], Math.Abs(text.ZReal[i]) * 1e-5 + 1e-8);
            Assert.Equal(text.ZImag[i], binary.ZImag[i], Math.Abs(text.ZImag[i]) * 1e-5 + 1e-8);
        }
        Assert.Equal("biologic-mpr", FormatRegistry.Default.Identify(name + ".mpr", File.ReadAllBytes(SharedData.RealFile("eclab", name + ".mpr"))).FormatId);
    }

    [Fact]
    public void A_truncated_mpr_is_a_clear_error()
    {
        var bytes = "BIO-LOGIC MODULAR FILE\u001a"u8.ToArray().Concat(new byte[40]).ToArray();
        var ex = Assert.Throws<InstrumentFileException>(() => MprReader.Read("cut.mpr", bytes));
        Assert.Contains("cut.mpr", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_column_id_the_reader_does_not_know_is_read_when_the_module_length_sizes_it()
    {
        // ocv.mpr's column ids are mode, error, time/s, Ewe/V (1, 3, 4, 6; uint16 little-endian after the count 4).
        byte[] original = File.ReadAllBytes(SharedData.RealFile("eclab", "ocv.mpr"));
        int at = original.AsSpan().IndexOf(new byte[] { 4, 1, 0, 3, 0, 4, 0, 6, 0 });
        Assert.True(at > 0);
        var expected = MprReader.Read("ocv.mpr", original);

        byte[] renamed = (byte[])original.Clone();
        renamed[at + 7] = 0x0F; // id 6 (Ewe/V, float32) becomes 9999, an id no EC-Lab version uses
        renamed[at + 8] = 0x27;
        var read = MprReader.Read("ocv-9999.mpr", renamed);
        Assert.Equal(602, read.Points);
        Assert.False(read.Columns.ContainsKey("Ewe/V"));
        Assert.Equal(expected.Columns["Ewe/V"], read.Columns["column id 9999"]); // sized as 4 bytes from the module length: the same values
        Assert.Equal(expected.Columns["time/s"], read.Columns["time/s"]);

        // Two unknown ids cannot be sized apart: the error names both and the module.
        renamed[at + 5] = 0x0E; // id 4 (time/s) becomes 9998
        renamed[at + 6] = 0x27;
        var ex = Assert.Throws<InstrumentFileException>(() => MprReader.Read("ocv-two.mpr", renamed));
        Assert.Equal("MPR_UNKNOWN_COLUMN", ex.Code);
        Assert.Contains("9998, 9999", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'VMP data'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(6, 27, "Ewe-Ece/V", "Ewe/V")] // float32 in the open readers' tables (counter-electrode difference)
    [InlineData(6, 441, "<Ece>/V", "Ewe/V")] // float32, a counter-electrode column
    [InlineData(4, 437, "cycle time/s", "time/s")] // float64, from EC-Lab's automation list
    [InlineData(4, 10, "Aux/V", "time/s")] // float32 in the automation list, but 8 bytes per record here: sized from the module length
    public void Column_ids_of_the_documented_tables_are_read_by_their_names(int original, int replacement, string name, string source)
    {
        byte[] bytes = File.ReadAllBytes(SharedData.RealFile("eclab", "ocv.mpr"));
        var expected = MprReader.Read("ocv.mpr", bytes);
        int at = bytes.AsSpan().IndexOf(new byte[] { 4, 1, 0, 3, 0, 4, 0, 6, 0 }); // count 4, ids 1, 3, 4, 6 (uint16 little-endian)
        int slot = at + 1 + 2 * (original == 4 ? 2 : 3);
        bytes[slot] = (byte)(replacement & 0xFF);
        bytes[slot + 1] = (byte)(replacement >> 8);
        var read = MprReader.Read("ocv-renamed.mpr", bytes);
        Assert.Equal(expected.Columns[source], read.Columns[name]);
        Assert.False(read.Columns.ContainsKey(source));
    }
}
