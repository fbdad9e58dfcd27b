using System.Globalization;
using System.Text.RegularExpressions;
using CloudPipeline.Testing;
using Xunit;

namespace CloudPipeline.Functions.Tests;

/// <summary>
/// The HTML report of each real MRI cell, written by <c>cloudpipeline analyze mri-drift --out</c>, rendered by headless
/// Chromium: every figure is in the rendered page, the page renders to an image, and the results table holds the
/// published numbers.
/// </summary>
public sealed partial class ReportRenderingTests
{
    [ChromiumTheory]
    [InlineData("Li_Li", "mri-li-li.json", 385.406)]
    [InlineData("NMC622_Li", "mri-nmc622-li.json", 1041.743)]
    public async Task A_real_cells_report_renders_in_chromium_with_every_figure_and_the_published_values(string cell, string manifest, double vmax)
    {
        var folder = Directory.CreateTempSubdirectory("cp-report-");
        try
        {
            string data = SharedData.RealFile("thienenkamp-mri", cell);
            var (code, output) = await Processes.CliAsync("", null, "analyze", "mri-drift", "--profiles", data, "--voltage", Path.Combine(data, "POL.txt"),
                "--manifest", Path.Combine(SharedData.RepositoryRoot, "docs", "examples", manifest), "--out", folder.FullName);
            Assert.True(code == 0, output);
            string report = Path.Combine(folder.FullName, "report.html");

            string dom = await Chromium.RunAsync(report, "--dump-dom");
            // Four figures, each an inline SVG document the browser parsed into elements with drawing in them.
            Assert.Equal(4, Regex.Matches(dom, "<figure>").Count);
            Assert.Equal(4, Regex.Matches(dom, @"<figure><svg[^>]*>\s*<").Count);
            Assert.Equal(vmax, Value(dom, "vMaxAbs"), 0.001); // Thienenkamp et al. 2024 (spec §6)
            if (cell == "Li_Li")
            {
                Assert.Equal(103.697, Value(dom, "sandsTimeMin"), 0.001); // Sand's time of the Li||Li cell (electrochemistry spec)
            }
            Assert.Contains("D_NEGATIVE_IN_RANGE", dom, StringComparison.Ordinal);

            string png = Path.Combine(folder.FullName, "report.png");
            await Chromium.RunAsync(report, $"--screenshot={png}", "--window-size=1200,3000", "--hide-scrollbars");
            var bytes = await File.ReadAllBytesAsync(png);
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
            Assert.True(bytes.Length > 100_000, $"the rendered page is {bytes.Length} bytes: too small to hold four figures");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>The value cell of a quantity's row in the rendered results table.</summary>
    private static double Value(string dom, string quantity)
    {
        var match = Regex.Match(dom, $@"<tr><td>{quantity}</td><td class=""n"">([^<]+)</td>");
        Assert.True(match.Success, $"no row {quantity} in the report's table");
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }
}
