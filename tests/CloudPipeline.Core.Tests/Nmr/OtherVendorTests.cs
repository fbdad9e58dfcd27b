using CloudPipeline.Core.Analysis.Nmr;
using CloudPipeline.Core.Formats.Nmr;
using Xunit;

namespace CloudPipeline.Core.Tests.Nmr;

/// <summary>Varian, Spinsolve and TopSpin text oracles of nmr spec §9 (items 6–8).</summary>
public sealed class OtherVendorTests
{
    [Fact]
    public void Varian_test2_reads_its_header_first_point_and_gives_the_31P_peaks()
    {
        var files = RealNmr.Files("varian-nmr/test2.fid");
        var header = VarianReader.ReadHeader(files["fid"], "fid");
        Assert.Equal(new VarianFileHeader(1, 1, 32768, 4, 131072, 131100, 0x49, 1), header);
        var d = NmrDatasetReader.Read("test2.fid", files);
        var fid = d.Fid!;
        Assert.Equal(-164781.453125, fid.Points[0].Real);
        Assert.Equal(70041.6484375, fid.Points[0].Imaginary);
        Assert.Equal("P31", fid.Nucleus);

        var spectrum = NmrProcessor.Transform(fid, new NmrProcessingOptions { LineBroadeningHz = 10, Size = 16384 }, out _);
        var magnitude = new NmrSpectrum("abs", spectrum.Select(c => c.Magnitude).ToArray(), null, fid.CarrierPpm + fid.SpectralWidthHz / (2 * fid.FrequencyMHz), fid.SpectralWidthHz, fid.FrequencyMHz);
        Assert.Equal(19.999, magnitude.Ppm(0), 0.001);
        var peaks = Peaks.Pick(magnitude, 0.5, 0.1);
        Assert.Equal(2.758, peaks[0].Ppm, 0.01);
        Assert.Equal(1.556, peaks[1].Ppm, 0.01);
        Assert.Equal(0.68, peaks[1].Height / peaks[0].Height, 0.03);
    }

    [Fact]
    public void Spinsolve_data_1d_gives_the_DMSO_peak_and_matches_the_vendor_spectrum()
    {
        var files = RealNmr.Files("spinsolve-nmr/1D_exp_1_20240725-103717");
        files.Remove("nmr_fid.dx");
        var fid = NmrDatasetReader.Read("spinsolve", files).Fid!;
        Assert.Equal(16384, fid.Count);
        Assert.Equal(2034.2012, fid.Points[0].Real, 1e-4);
        Assert.Equal(0, fid.Points[0].Imaginary);
        var time = SpinsolveReader.Read1D(files["data.1d"], "data.1d").Axis;
        Assert.Equal(0, time[0]);
        Assert.Equal(6.5532, time[^1], 1e-4);

        const int n = 32768;
        var spectrum = NmrProcessor.Transform(fid, new NmrProcessingOptions { Size = n }, out _);
        double offset = fid.CarrierPpm + fid.SpectralWidthHz / (2 * fid.FrequencyMHz);
        var magnitude = new NmrSpectrum("abs", spectrum.Select(c => c.Magnitude).ToArray(), null, offset, fid.SpectralWidthHz, fid.FrequencyMHz);
        Assert.Equal(4.740, magnitude.Ppm(n / 2), 0.001);
        var peaks = Peaks.Pick(magnitude, 0.3, 0.05);
        Assert.Equal(2.705, peaks[0].Ppm, 0.005);
        var next = Assert.Single(peaks, p => Math.Abs(p.Ppm - 3.524) < 0.01);
        Assert.Equal(0.115, next.Height / peaks[0].Height, 0.01);

        var vendorFile = SpinsolveReader.Read1D(files["spectrum.1d"], "spectrum.1d");
        Assert.Equal(32768, vendorFile.Values.Length);
        Assert.Equal(-10.7906, vendorFile.Axis[0], 1e-4); // SOURCES.md: its axis runs from −10.7906 to 20.2691 ppm
        Assert.Equal(20.2691, vendorFile.Axis[^1], 1e-4);
        var vendor = vendorFile.Values;
        var reordered = Enumerable.Range(0, n).Select(k => vendor[(n - k) % n].Magnitude).ToArray();
        double corr = RealNmr.Correlation(magnitude.Real, reordered);
        Assert.True(corr >= 0.9999, $"corr {corr}");
    }

    [Fact]
    public void Topspin_text_export_reads_as_a_spectrum_with_the_stated_values()
    {
        var d = RealNmr.Read("thienenkamp-mri/Li_Li/MRI10mm_Li_PEO_Li7(005).txt");
        var s = d.Processed!;
        Assert.Equal(256, s.Count);
        Assert.Equal(13824.080078125, s.Real[0]);
        Assert.Equal(17238.8603515625, s.Real[^1]);
        Assert.Equal(139, Array.IndexOf(s.Real, s.Real.Max()));
        Assert.Equal(300585.37890625, s.Real.Max());
        Assert.Equal(26259932.36328125, s.Real.Sum(), 1e-6);
    }
}
