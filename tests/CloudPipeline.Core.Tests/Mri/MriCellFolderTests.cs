using CloudPipeline.Core.Formats;
using CloudPipeline.Core.Pipeline;
using CloudPipeline.Testing;
using Xunit;

namespace CloudPipeline.Core.Tests.Mri;

/// <summary>The CLI's cell-folder loader against the facts SOURCES.md states about the real folders.</summary>
public sealed class MriCellFolderTests
{
    [RealDataTheory]
    [InlineData("Li_Li", 94, 5, 99, 1022, 2.55705, 9.09941, "14ea55539a50ceccd8234499f723660df01c3e8a85369fdbc348b84d3e9021a0")]
    [InlineData("NMC622_Li", 71, 5, 76, 1152, 2.557, 9.94869, "e57c01ab7ff5c92117279e91412caf7d18970cabe5d2ef3f1267a57a09ecbfc4")]
    public void Reads_every_profile_and_the_record_once_with_their_hashes(string cell, int profiles, int firstExpNo, int lastExpNo, int rows, double firstHours, double lastHours, string polSha256)
    {
        var inputs = RealCells.Read(cell);
        Assert.Equal(profiles, inputs.Profiles.Profiles.Count);
        Assert.Equal(firstExpNo, inputs.Profiles.Profiles[0].ExpNo);
        Assert.Equal(lastExpNo, inputs.Profiles.Profiles[^1].ExpNo);
        Assert.All(inputs.Profiles.Profiles, p => Assert.Equal(256, p.Size));
        Assert.Equal(rows, inputs.Voltage.Time.Length);
        Assert.Equal(firstHours * 3600, inputs.Voltage.StartOffset, 1e-6);
        Assert.Equal((lastHours - firstHours) * 3600, inputs.Voltage.Time[^1], 1e-6);
        Assert.Equal(profiles + 1, inputs.Inputs.Count);
        Assert.Equal(new InputReference("POL.txt", polSha256), inputs.Inputs[^1]);
        Assert.Equal(profiles, inputs.Inputs.Take(profiles).Select(i => i.Sha256).Distinct().Count());
    }

    [Fact]
    public void A_folder_without_profile_exports_or_with_a_malformed_one_is_a_clear_error()
    {
        var folder = Directory.CreateTempSubdirectory("cell-");
        try
        {
            File.WriteAllText(Path.Combine(folder.FullName, "notes.txt"), "not a profile\n");
            File.WriteAllText(Path.Combine(folder.FullName, "POL.txt"), "2.5\t0.1\t0.09\n");
            var ex = Assert.Throws<InstrumentFileException>(() => MriCellFolder.Read(folder.FullName, Path.Combine(folder.FullName, "POL.txt"), 0.28));
            Assert.Equal("NO_PROFILES", ex.Code);
            Assert.Contains(folder.FullName, ex.Message, StringComparison.Ordinal);

            // A malformed profile is reported as itself (file and line), the first in name order.
            const string header = "# Data set = X  5  1  C:\\x\n# LEFT = 190.0 ppm. RIGHT = -340.0 ppm.\n# SIZE = 3 ( = number of points)\n";
            File.WriteAllText(Path.Combine(folder.FullName, "MRI(005).txt"), header + "1\n2\n3\n");
            File.WriteAllText(Path.Combine(folder.FullName, "MRI(007).txt"), header + "1\nx\n3\n");
            File.WriteAllText(Path.Combine(folder.FullName, "MRI(008).txt"), header + "1\n2\n");
            var bad = Assert.Throws<InstrumentFileException>(() => MriCellFolder.Read(folder.FullName, Path.Combine(folder.FullName, "POL.txt"), 0.28));
            Assert.Equal(("NOT_A_NUMBER", 5), (bad.Code, bad.Line));
            Assert.Contains("MRI(007).txt", bad.Message, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
