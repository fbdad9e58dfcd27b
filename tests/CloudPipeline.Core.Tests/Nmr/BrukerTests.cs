using CloudPipeline.Core.Analysis.Nmr;
using CloudPipeline.Core.Formats;
using CloudPipeline.Core.Formats.Nmr;
using Xunit;

namespace CloudPipeline.Core.Tests.Nmr;

/// <summary>The Bruker oracles of nmr spec §9 (items 1–5) on the real TopSpin/XWIN-NMR folders.</summary>
public sealed class BrukerTests
{
    [Fact]
    public void Bruker2_2_acqus_and_fid_read_to_the_stated_facts()
    {
        var d = RealNmr.Read("bruker-nmr/bruker2/2");
        var fid = d.Fid!;
        Assert.Equal(17542 / 2, fid.Count);
        Assert.Equal(14619.8830409357, fid.SpectralWidthHz, 1e-9);
        Assert.Equal("31P", fid.Nucleus);
        Assert.Equal(60.375, fid.GroupDelay); // DECIM 12, DSPFVS 10
        // The largest |value| of the stored words is −1850052 at word 123 (SOURCES.md), i.e. complex point 61, ≈ g.
        int argmax = Enumerable.Range(0, fid.Count).MaxBy(i => fid.Points[i].Magnitude);
        Assert.Equal(61, argmax);
    }

    [Fact]
    public void Bruker2_2_vendor_1r_has_its_maximum_at_2_777_ppm_and_the_other_peaks_of_the_spec()
    {
        var s = RealNmr.Read("bruker-nmr/bruker2/2").Processed!;
        Assert.Equal(65536, s.Count);
        int argmax = Array.IndexOf(s.Real, s.Real.Max());
        Assert.Equal(31247, argmax);
        Assert.Equal(342373116 * Math.Pow(2, -2), s.Real[argmax]); // stored × 2^NC_proc
        Assert.Equal(2.777, s.Ppm(argmax), 0.001);
        var peaks = Peaks.Pick(s, 0.1, 0.1);
        foreach (var (ppm, relative) in new[] { (0.439, 0.50), (3.004, 0.22), (4.197, 0.29), (24.099, 0.19) })
        {
            var p = Assert.Single(peaks, p => Math.Abs(p.Ppm - ppm) < 0.01);
            Assert.Equal(relative, p.Height / s.Real[argmax], 0.01);
        }
    }

    [Fact]
    public void Bruker2_2_processed_from_the_raw_fid_with_the_vendor_phases_matches_1r()
    {
        var d = RealNmr.Read("bruker-nmr/bruker2/2");
        var p = NmrProcessor.Process(d.Fid!, new NmrProcessingOptions { LineBroadeningHz = 5, Size = 65536, Phase = PhaseMode.Manual, P0 = 257.1432, P1 = -78.00002 });
        double corr = RealNmr.Correlation(p.Spectrum.Real, d.Processed!.Real);
        Assert.True(corr >= 0.9999, $"corr {corr}");
        int argmax = Array.IndexOf(p.Spectrum.Real, p.Spectrum.Real.Max());
        Assert.Equal(2.777, Peaks.Refine(p.Spectrum, argmax), 0.02); // the 31P main peak (acceptance: ± 0.02 ppm)
    }

    [Fact]
    public void A_wrong_phase_sign_or_a_missing_group_delay_breaks_the_agreement()
    {
        var d = RealNmr.Read("bruker-nmr/bruker2/2");
        var wrongSign = NmrProcessor.Process(d.Fid!, new NmrProcessingOptions { LineBroadeningHz = 5, Size = 65536, Phase = PhaseMode.Manual, P0 = -257.1432, P1 = 78.00002 });
        Assert.True(RealNmr.Correlation(wrongSign.Spectrum.Real, d.Processed!.Real) < 0.4);
        var noDelay = NmrProcessor.Process(d.Fid! with { GroupDelay = 0 }, new NmrProcessingOptions { LineBroadeningHz = 5, Size = 65536, Phase = PhaseMode.Manual, P0 = 257.1432, P1 = -78.00002 });
        Assert.True(RealNmr.Correlation(noDelay.Spectrum.Real, d.Processed.Real) < 0.4);
    }

    [Fact]
    public void Bruker2_3_1H_processed_from_the_raw_fid_matches_1r_and_peaks_at_1_294_ppm()
    {
        var d = RealNmr.Read("bruker-nmr/bruker2/3");
        Assert.Equal(72.125, d.Fid!.GroupDelay);
        var vendor = d.Processed!;
        int vendorMax = Array.IndexOf(vendor.Real, vendor.Real.Max());
        Assert.Equal(13729, vendorMax);
        Assert.Equal(1.294, vendor.Ppm(vendorMax), 0.001);
        var p = NmrProcessor.Process(d.Fid, new NmrProcessingOptions { LineBroadeningHz = 1, Size = 16384, Phase = PhaseMode.Manual, P0 = 371.8, P1 = 90.80001 });
        double corr = RealNmr.Correlation(p.Spectrum.Real, vendor.Real);
        Assert.True(corr >= 0.9999, $"corr {corr}");
        int argmax = Array.IndexOf(p.Spectrum.Real, p.Spectrum.Real.Max());
        Assert.Equal(1.294, Peaks.Refine(p.Spectrum, argmax), 0.02);
    }

    [Fact]
    public void Bruker1_1_without_1r_gives_the_water_peak_at_4_806_ppm_and_the_intrng_integral_ratio()
    {
        var d = RealNmr.Read("bruker-nmr/bruker1/1");
        Assert.Null(d.Processed);
        Assert.Equal(72.125, d.Fid!.GroupDelay);
        // SOURCES.md: the first 4 complex points are zero; the largest |value|, 4582 (× 2^NC, NC = −2), is at word 147 = point 73.
        Assert.All(d.Fid.Points.Take(4), p => Assert.Equal(0, p.Magnitude));
        int top = Enumerable.Range(0, d.Fid.Count).MaxBy(i => Math.Max(Math.Abs(d.Fid.Points[i].Real), Math.Abs(d.Fid.Points[i].Imaginary)));
        Assert.Equal(73, top);
        Assert.Equal(4582 * 0.25, Math.Abs(d.Fid.Points[top].Imaginary));
        var p = NmrProcessor.Process(d.Fid, new NmrProcessingOptions { LineBroadeningHz = 0.5, Size = 32768, Phase = PhaseMode.Manual, P0 = 44.53806, P1 = -22.69646 });
        var s = p.Spectrum;
        var peaks = Peaks.Pick(s, 0.05, 0.01);
        Assert.Equal(4.806, peaks[0].Ppm, 0.002);
        Assert.Equal(4.036, peaks[1].Ppm, 0.002);
        Assert.Equal(0.022, peaks[1].Height / peaks[0].Height, 0.003);
        Assert.True(s.Real.Min() / s.Real.Max() > -0.001);
        double ratio = Peaks.Integral(s, 5.524657, 4.236148) / Peaks.Integral(s, 4.235782, 3.715831);
        Assert.Equal(10.73, ratio, 0.2);
    }

    [Fact]
    public void Acme_phases_the_unphased_31P_and_1H_spectra_close_to_the_operator_phases()
    {
        var d2 = RealNmr.Read("bruker-nmr/bruker2/2");
        var auto2 = NmrProcessor.Process(d2.Fid!, new NmrProcessingOptions { LineBroadeningHz = 5, Size = 65536 });
        Assert.True(RealNmr.Correlation(auto2.Spectrum.Real, d2.Processed!.Real) >= 0.98, $"p0 {auto2.P0}, p1 {auto2.P1}");

        var d1 = RealNmr.Read("bruker-nmr/bruker1/1");
        var manual = NmrProcessor.Process(d1.Fid!, new NmrProcessingOptions { LineBroadeningHz = 0.5, Size = 32768, Phase = PhaseMode.Manual, P0 = 44.53806, P1 = -22.69646 });
        var auto1 = NmrProcessor.Process(d1.Fid!, new NmrProcessingOptions { LineBroadeningHz = 0.5, Size = 32768 });
        Assert.True(RealNmr.Correlation(auto1.Spectrum.Real, manual.Spectrum.Real) >= 0.999, $"p0 {auto1.P0}, p1 {auto1.P1}");
    }

    [Fact]
    public void Acme_on_the_water_suppressed_1H_spectrum_is_flagged_phase_suspect_rather_than_crashing()
    {
        var d = RealNmr.Read("bruker-nmr/bruker2/3");
        var auto = NmrProcessor.Process(d.Fid!, new NmrProcessingOptions { LineBroadeningHz = 1, Size = 16384 });
        double corr = RealNmr.Correlation(auto.Spectrum.Real, d.Processed!.Real);
        Assert.True(corr > 0.99 || auto.Flags.Contains("phase_suspect"), $"corr {corr}, flags {string.Join(",", auto.Flags)}");
    }

    [Fact]
    public void An_acqus_without_fid_is_a_clear_error_naming_the_file_and_the_missing_part()
    {
        var files = RealNmr.Files("bruker-nmr/bruker2/2");
        files.Remove("fid");
        var ex = Assert.Throws<InstrumentFileException>(() => NmrDatasetReader.Read("bruker2/2", files));
        Assert.Equal("MISSING_FILE", ex.Code);
        Assert.Contains("bruker2/2/acqus", ex.Message, StringComparison.Ordinal);
        Assert.Contains("no fid", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_fid_whose_length_disagrees_with_TD_is_a_clear_error_naming_TD()
    {
        var files = RealNmr.Files("bruker-nmr/bruker2/2");
        files["fid"] = files["fid"][..40000];
        var ex = Assert.Throws<InstrumentFileException>(() => NmrDatasetReader.Read("bruker2/2", files));
        Assert.Equal("SIZE_MISMATCH", ex.Code);
        Assert.Equal("TD", ex.Field);
        Assert.Contains("bruker2/2/fid", ex.Message, StringComparison.Ordinal);
        Assert.Contains("TD = 17542", ex.Message, StringComparison.Ordinal);
    }
}
