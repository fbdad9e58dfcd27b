using System.Globalization;
using CloudPipeline.Testing;
using Xunit;

namespace CloudPipeline.Functions.Tests;

/// <summary><c>cloudpipeline analyze cycler</c> as a user runs it: the real CLI process on real and broken files.</summary>
public sealed class AnalyzeCyclerCommandTests
{
    private const string NoStorage = "UseDevelopmentStorage=true";

    [Fact]
    public async Task A_Neware_file_gives_the_cycle_table_csv_json_plots_and_a_bdf_time_series()
    {
        var output = Directory.CreateTempSubdirectory("cp-cycler-");
        try
        {
            var (code, text) = await Processes.CliAsync(NoStorage, null, "analyze", "cycler", SharedData.RealFile("neware-csv", "neware_uio.csv"), "--out", output.FullName);
            Assert.True(code == 0, text);
            // Cycle 1 of the spec's table (electrochemistry §8.4): Q_dis 5.0862 mAh, Q_chg 4.2494 mAh, CE 83.55 %.
            Assert.Contains("    1       5.0862       4.2494    83.55", text, StringComparison.Ordinal);
            Assert.Contains("INCOMPLETE_CYCLE", text, StringComparison.Ordinal);

            foreach (string name in new[] { "cycles.csv", "steps.csv", "cycler.json", "voltage.svg", "current.svg", "capacity.svg", "efficiency.svg", "timeseries.bdf.csv" })
            {
                Assert.True(File.Exists(Path.Combine(output.FullName, name)), name);
            }
            var cycles = File.ReadAllLines(Path.Combine(output.FullName, "cycles.csv"));
            Assert.Equal(5, cycles.Length); // header + cycles 1–4
            var cycle1 = cycles[1].Split(',');
            Assert.Equal(0.0050862, double.Parse(cycle1[3], CultureInfo.InvariantCulture), 0.0050862 * 0.005);

            var bdf = File.ReadAllLines(Path.Combine(output.FullName, "timeseries.bdf.csv"));
            Assert.Equal("Test Time / s,Voltage / V,Current / A,Cycle Count / 1,Step Index / 1,Step Type", bdf[0]);
            Assert.Equal(9066, bdf.Length); // the 9065 rows of SOURCES.md
            Assert.Equal("518538,0.4251,0.00099171,4,13,CC Chg", bdf[^1]); // 144:02:18 after the start
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_cut_copy_is_analysed_without_its_last_row_and_a_bad_value_is_one_error_line()
    {
        var folder = Directory.CreateTempSubdirectory("cp-cycler-bad-");
        try
        {
            byte[] whole = await File.ReadAllBytesAsync(SharedData.RealFile("arbin-csv", "2017-05-09_test-TC-contact_CH33.csv"));
            string cut = Path.Combine(folder.FullName, "CH33-cut.csv");
            await File.WriteAllBytesAsync(cut, whole[..^10]);
            var (code, text) = await Processes.CliAsync(NoStorage, null, "analyze", "cycler", cut);
            Assert.True(code == 0, text);
            Assert.Contains("286 rows", text, StringComparison.Ordinal);
            Assert.Contains("ends inside its last row", text, StringComparison.Ordinal);

            string bad = Path.Combine(folder.FullName, "CH33-bad.csv");
            string[] lines = (await File.ReadAllTextAsync(SharedData.RealFile("arbin-csv", "2017-05-09_test-TC-contact_CH33.csv"))).Split('\n');
            var fields = lines[100].Split(',');
            fields[1] = "1O19.5"; // Test_Time of line 101, typed with a letter O
            lines[100] = string.Join(',', fields);
            await File.WriteAllTextAsync(bad, string.Join('\n', lines));
            string outDir = Path.Combine(folder.FullName, "out");
            (code, text) = await Processes.CliAsync(NoStorage, null, "analyze", "cycler", bad, "--out", outDir);
            Assert.Equal(2, code);
            var error = Assert.Single(text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("error: CH33-bad.csv", error, StringComparison.Ordinal);
            Assert.Contains("line 101", error, StringComparison.Ordinal);
            Assert.Contains("Test_Time", error, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(outDir, "timeseries.bdf.csv"))); // no half-written time series left behind
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
