using CloudPipeline.Core.Analysis.Nmr;
using CloudPipeline.Core.Formats;
using CloudPipeline.Core.Formats.Nmr;
using CloudPipeline.Testing;
using Xunit;

namespace CloudPipeline.Core.Tests.Nmr;

/// <summary>JCAMP-DX oracles of nmr spec §9 (items 9–15).</summary>
public sealed class JcampDxTests
{
    private static readonly double[] Canonical = [1, 2, 3, 3, 2, 1, 0, -1, -2, -3];

    [Theory]
    [InlineData("1 1 2 3 3 2 1 0 -1 -2 -3")] // AFFN
    [InlineData("1+1+2+3+3+2+1+0-1-2-3")] // PAC
    [InlineData("1A B C C B A @ a b c")] // SQZ
    [InlineData("1ABCTBA@abc")] // SQZ + DUP
    [InlineData("1AJJ%jjjjjj\n10c")] // DIF + Y-check line
    [InlineData("1AJT%jX\n10c")] // DIF + DUP
    [InlineData("1AJJ%j\n5Bjjjjj")] // two DIF lines
    public void The_canonical_vector_decodes_from_every_encoding(string lines)
    {
        var decoder = new AsdfDecoder("canonical");
        int n = 0;
        foreach (var line in lines.Split('\n'))
        {
            decoder.DecodeLine(line, ++n, i => (i + 1, 0.5));
        }
        Assert.Equal(Canonical, decoder.Values);
        Assert.Equal(0, decoder.XCheckMismatches);
    }

    [Fact]
    public void A_failing_Y_check_is_an_error_naming_the_line()
    {
        var decoder = new AsdfDecoder("check.dx");
        decoder.DecodeLine("1A12J34j5", 20);
        Assert.Equal(231, decoder.Values[^1]);
        var ex = Assert.Throws<InstrumentFileException>(() => decoder.DecodeLine("4c", 21));
        Assert.Equal("YCHECK_FAILED", ex.Code);
        Assert.Equal(21, ex.Line);
        Assert.Contains("check.dx, line 21", ex.Message, StringComparison.Ordinal);
        Assert.Contains("231", ex.Message, StringComparison.Ordinal);
    }

[RealDataTheory]
    [InlineData(9)] // "##END=" and the line break before it gone: the block is not closed
    [InlineData(12)] // inside the last number of the last AFFN line
    public void A_real_file_cut_before_its_end_record_is_rejected_never_read_short(int cut)
    {
        string text = System.Text.Encoding.Latin1.GetString(RealNmr.Files("jcamp-dx/BRUKAFFN.DX")["BRUKAFFN.DX"]);
        Assert.Single(JcampDxReader.Read(text, "BRUKAFFN.DX"));
        var ex = Assert.Throws<InstrumentFileException>(() => JcampDxReader.Read(text[..^cut], "BRUKAFFN.DX"));
        Assert.Equal("INCOMPLETE_FILE", ex.Code);
        Assert.Contains("no ##END=", ex.Message, StringComparison.Ordinal);
    }

        [Fact]
    public void A_file_with_a_failing_Y_check_is_rejected_with_its_file_and_line()
    {
        var files = RealNmr.Files("jcamp-dx/BRUKDIF.DX");
        string text = System.Text.Encoding.Latin1.GetString(files["BRUKDIF.DX"]);
        // Change the check value that opens the second data line of the table.
        var lines = text.Split('\n');
        int table = Array.FindIndex(lines, l => l.StartsWith("##XYDATA", StringComparison.Ordinal));
        var second = lines[table + 2];
        int digits = 0;
        while (char.IsAsciiDigit(second[digits]) || second[digits] == '.')
        {
            digits++;
        }
        lines[table + 2] = second[..digits] + "@" + second[(digits + 1)..].TrimStart('0', '1', '2', '3', '4', '5', '6', '7', '8', '9');
        var ex = Assert.Throws<InstrumentFileException>(() => JcampDxReader.Read(string.Join('\n', lines), "BRUKDIF.DX"));
        Assert.Equal("YCHECK_FAILED", ex.Code);
        Assert.Equal(table + 3, ex.Line);
    }

    [Fact]
    public void Brukdif_decodes_to_16384_values_with_2068_Y_checks_and_the_stated_extremes()
    {
        var block = Assert.Single(JcampDxReader.Read(System.Text.Encoding.Latin1.GetString(RealNmr.Files("jcamp-dx/BRUKDIF.DX")["BRUKDIF.DX"]), "BRUKDIF.DX"));
        var y = block.Y!;
        Assert.Equal(16384, y.Length);
        Assert.Equal(2068, block.YChecks);
        Assert.Equal(0, block.XCheckMismatches);
        Assert.Equal(2254931, y[0]);
        Assert.Equal(1513177, y[^1]);
        Assert.Equal(972201806, y.Max());
        Assert.Equal(-27593239, y.Min());
        Assert.Equal(616961840, y.Sum());
    }

    [Fact]
    public void Brukaffn_decodes_to_the_stated_values()
    {
        var block = Assert.Single(JcampDxReader.Read(System.Text.Encoding.Latin1.GetString(RealNmr.Files("jcamp-dx/BRUKAFFN.DX")["BRUKAFFN.DX"]), "BRUKAFFN.DX"));
        var y = block.Y!;
        Assert.Equal(16384, y.Length);
        Assert.Equal(2259260, y[0]);
        Assert.Equal(1505988, y[^1]);
        Assert.Equal(-27593530, y.Min());
        Assert.Equal(618201754, y.Sum());
    }

    [Fact]
    public void Testfid_ntuples_pages_decode_and_its_spectrum_matches_brukdif()
    {
        var d = RealNmr.Read("jcamp-dx/TESTFID.DX");
        var fid = d.Fid!;
        Assert.Equal(16384, fid.Count);
        const double rf = 0.5200415052E+01, iff = 0.5044282357E+01;
        Assert.Equal(573, fid.Points[0].Real / rf, 1e-6);
        Assert.Equal(2980, fid.Points[0].Real, 1.0);
        Assert.Equal(-11584, fid.Points[^1].Real / rf, 1e-6);
        Assert.Equal(-32767, fid.Points.Min(p => p.Real) / rf, 1e-6);
        Assert.Equal(1232, fid.Points[0].Imaginary / iff, 1e-6);
        Assert.Equal(-1202, fid.Points[^1].Imaginary / iff, 1e-6);

        var brukdif = RealNmr.Read("jcamp-dx/BRUKDIF.DX").Processed!;
        var spectrum = NmrProcessor.Transform(fid, new NmrProcessingOptions { LineBroadeningHz = 1, Size = 16384 }, out _);
        double corr = RealNmr.Correlation(spectrum.Select(c => c.Magnitude).ToArray(), brukdif.Real.Select(Math.Abs).ToArray());
        Assert.True(corr >= 0.9, $"corr {corr}");
    }

    [Fact]
    public void Ethanol_link_file_block_4_gives_the_peak_table_positions_and_the_vendor_integrals()
    {
        var blocks = JcampDxReader.Read(System.Text.Encoding.Latin1.GetString(RealNmr.Files("jcamp-dx/ethanol_nmr.jdx")["ethanol_nmr.jdx"]), "ethanol_nmr.jdx");
        var data = blocks.Single(b => b.Get("BLOCK_ID") == "4");
        Assert.Equal(16384, data.Y!.Length);
        Assert.Equal(1136.1, data.Y[0], 1e-6);
        Assert.Equal(35174796, data.Y.Max(), 1e-3);
        var s = JcampDxReader.ToSpectrum(data, "ethanol_nmr.jdx");
        Assert.Equal(4200.29101563 / 300.0318, s.OffsetPpm, 1e-9);

        var table = blocks.Single(b => b.Get("BLOCK_ID") == "3");
        var peaks = Peaks.Pick(s, 0.005, 0.05);
        foreach (double expected in table.X!)
        {
            Assert.Contains(peaks, p => Math.Abs(p.Ppm - expected) < 0.001);
        }
        foreach (double expected in new[] { 1.2242, 1.2477, 1.2711, 1.8095 })
        {
            Assert.Contains(peaks, p => Math.Abs(p.Ppm - expected) < 0.00005); // the spec's parabolic positions
        }

        double scale = 2.0002 / Peaks.Integral(s, 3.6465, 3.8138);
        Assert.Equal(3.027, Peaks.Integral(s, 1.1708, 1.3102) * scale, 3.027 * 0.003);
        Assert.Equal(1.150, Peaks.Integral(s, 1.7719, 1.8401) * scale, 1.150 * 0.003);
    }

    [Fact]
    public void Referencing_brukdif_to_the_CDCl3_triplet_gives_ethylbenzene_shifts()
    {
        var s = RealNmr.Read("jcamp-dx/BRUKDIF.DX").Processed!;
        var peaks = Peaks.Pick(s, 0.2, 0.02);
        foreach (double expected in new[] { 153.566, 137.621, 137.167, 134.893, 86.576, 86.258, 85.942, 38.072, 24.790 })
        {
            Assert.Contains(peaks, p => Math.Abs(p.Ppm - expected) < 0.01);
        }
        double centre = peaks.Single(p => Math.Abs(p.Ppm - 86.258) < 0.01).Ppm;
        var referenced = s.Shifted(77.16 - centre);
        var shifted = Peaks.Pick(referenced, 0.2, 0.02);
        foreach (double expected in new[] { 144.47, 128.52, 128.07, 125.80, 28.97, 15.69 })
        {
            Assert.Contains(shifted, p => Math.Abs(p.Ppm - expected) < 0.01);
        }
    }

    [Fact]
    public void Spinsolve_jcamp_fid_equals_data_1d()
    {
        var dx = RealNmr.Read("spinsolve-nmr/1D_exp_1_20240725-103717/nmr_fid.dx").Fid!;
        var binary = RealNmr.Read("spinsolve-nmr/1D_exp_1_20240725-103717").Fid!;
        Assert.Equal(16384, dx.Count);
        Assert.Equal(2034.2012110462, dx.Points[0].Real, 2034.2012110462 * 1e-7); // FIRST R, within the spec's 1e-7 relative
        Assert.Equal(-0.613597368190388, dx.Points[^1].Real, 1e-6); // LAST R; the table is written with 6 decimals
        for (int i = 0; i < dx.Count; i++)
        {
            double scale = Math.Max(1e-3, binary.Points[i].Magnitude);
            Assert.True((dx.Points[i] - binary.Points[i]).Magnitude <= 1e-7 * scale + 1e-6, $"point {i}: {dx.Points[i]} vs {binary.Points[i]}");
        }
    }

    /// <summary>
    /// Each line of an NTUPLES page starts with its abscissa in FACTOR units: the X of point i is (FIRST + i·(LAST − FIRST)/(VAR_DIM − 1))/FACTOR
    /// of the X variable, so every line's X agrees with the point it starts at and no check fails.
    /// </summary>
    [RealDataTheory]
    [InlineData("jcamp-dx/TESTFID.DX")]
    [InlineData("spinsolve-nmr/1D_exp_1_20240725-103717/nmr_fid.dx")]
    public void Ntuples_pages_agree_with_every_line_abscissa(string relative)
    {
        var (name, content) = RealNmr.Files(relative).Single();
        var block = JcampDxReader.Read(System.Text.Encoding.Latin1.GetString(content), name).Single(b => b.Columns.Count > 0);
        Assert.Equal(0, block.XCheckMismatches);
        Assert.Empty(block.Warnings);
        Assert.Equal(2, block.Columns.Count); // the real (R) and imaginary (I) pages
        Assert.All(block.Columns.Values, c => Assert.Equal(16384, c.Length));
    }
}
