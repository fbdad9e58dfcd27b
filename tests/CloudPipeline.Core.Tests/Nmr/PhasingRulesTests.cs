using System.Numerics;
using CloudPipeline.Core.Analysis.Nmr;
using Xunit;

namespace CloudPipeline.Core.Tests.Nmr;

/// <summary>
/// Automatic phasing (nmr.md §2 step 7): its block averages of long spectra, the 180° rule, and points that do not change
/// with the phase. Built lines are mirror-symmetric about their centre (an even absorption part, an odd dispersion part),
/// so reflecting a line's points turns a phase error φ into −φ and leaves the ACME score unchanged: the true phase is a
/// stationary point of the score (not always its minimum: ACME's bias on narrow lines).
/// </summary>
public sealed class PhasingRulesTests
{
    /// <summary>
    /// A Lorentzian line: absorption h/(1 + x²) and dispersion h·x/(1 + x²), x = u/γ with u = k − centre, tapered by
    /// cos²(πu/2c) to zero at ±c = <paramref name="Cut"/> points (so that the points the search scores are symmetric
    /// about the centre without a jump at their ends), with a flat top of ±<paramref name="Flat"/> points if given.
    /// </summary>
    private sealed record Line(double Centre, double Gamma, double Height, int Flat = 0, double Cut = 400);

    /// <summary>The lines, then the phase error that <c>Apply(p0, p1)</c> undoes.</summary>
    private static Complex[] Dephased(int n, double p0, double p1, params Line[] lines)
    {
        var spectrum = new Complex[n];
        for (int k = 0; k < n; k++)
        {
            foreach (var line in lines)
            {
                double u = k - line.Centre;
                if (Math.Abs(u) <= line.Cut)
                {
                    double x = Math.Max(0, Math.Abs(u) - line.Flat) * Math.Sign(u) / line.Gamma;
                    double taper = Math.Pow(Math.Cos(Math.PI * u / (2 * line.Cut)), 2);
                    spectrum[k] += taper * line.Height / (1 + x * x) * new Complex(1, x);
                }
            }
        }
        Phasing.Apply(spectrum, -p0, -p1);
        return spectrum;
    }

    private static double PhaseError(double found, double expected) => Math.IEEERemainder(found - expected, 360);

    /// <summary>
    /// Spectra above 4,096 points are phased on block averages (nmr.md §2 step 7 allows it: the phase is linear, so
    /// averaging commutes with it), and an average of points k and k + 1 sits at k + ½: on averages of 2, a first-order
    /// phase p1 over N points puts p0 higher by p1/(2N). So the phase found on 8,192 points is the phase found on their
    /// pairwise averages, less p1/16,384 (0.011° at p1 = 180°), to the searches' resolution (0.005° for zero order).
    /// </summary>
    [Theory]
    [InlineData(150)]
    [InlineData(180)]
    public void A_long_spectrum_is_phased_like_its_block_averages_with_the_pivot_moved_half_a_point(double p1)
    {
        var spectrum = FidSpectrum(8192, p1, 255);
        var averages = PairAverages(spectrum);
        double onAverages = Phasing.AutoZeroOrder(averages, p1);
        Assert.InRange(PhaseError(Phasing.AutoZeroOrder(spectrum, p1), onAverages - p1 / 16384), -0.005, 0.005);

        var two = FidSpectrum(8192, p1, 200, 300);
        var twoAverages = PairAverages(two);
        var (r0, r1) = Phasing.Acme(twoAverages);
        var (q0, q1) = Phasing.Acme(two);
        Assert.InRange(q1 - r1, -0.002, 0.002);
        Assert.InRange(PhaseError(q0, r0 - r1 / 16384), -0.002, 0.002);
    }

    /// <summary>The average of each pair of neighbouring points (0 and 1, 2 and 3, …): half as many points.</summary>
    private static Complex[] PairAverages(Complex[] spectrum) =>
        Enumerable.Range(0, spectrum.Length / 2).Select(j => (spectrum[2 * j] + spectrum[2 * j + 1]) / 2).ToArray();

    /// <summary>3 ppm lines at the given shifts (the 4,096-point setup of the other phasing tests, zero-filled to <paramref name="size"/>), p0 = 40.123° and the given p1 wrong.</summary>
    private static Complex[] FidSpectrum(int size, double p1, params double[] ppms)
    {
        var fid = NmrSimulation.Fid(ppms.Select(p => new SimulatedLine(p, 3, 1)).ToList(), 77.8, 255, 50_000, 2048);
        var spectrum = NmrProcessor.Transform(fid, new NmrProcessingOptions { Size = size }, out _);
        Phasing.Apply(spectrum, -40.123, -p1);
        return spectrum;
    }

    /// <summary>
    /// nmr.md §2 step 7: "If Σ R < 0 add 180° to p0". A tall narrow line on a broad low negative one, both centred at
    /// point 2048: phased right, the tall line is positive (Σ h²/(1 + x²)² is π/2·h²·γ: 3.1 for the tall line, 1.5 for
    /// the broad one, so a negative broad line costs less penalty), but the broad line's area (2·0.08·150·atan 10 ≈ 35)
    /// outweighs the tall one's (2·atan 200 ≈ 6.3), so the real part integrates negative and the phase is turned by 180°.
    /// </summary>
    [Fact]
    public void A_phase_whose_real_part_integrates_negative_is_turned_by_180_degrees()
    {
        var spectrum = Dephased(4096, 40.123, 60, new Line(2048, 2, 1), new Line(2048, 150, -0.08, Cut: 1500));
        Assert.InRange(PhaseError(Phasing.AutoZeroOrder(spectrum, 60), 220.123), -0.004, 0.004);
        // ACME finds the same, seen as the phase at the lines' centre (p1 is only loosely held by a single centre).
        var (q0, q1) = Phasing.Acme(spectrum);
        Assert.InRange(PhaseError(q0 + q1 * 2048 / 4096, 220.123 + 60 * 2048 / 4096.0), -0.5, 0.5);
    }

    [Fact]
    public void A_line_with_equal_neighbouring_points_is_phased_like_any_other()
    {
        // A flat top of 5 equal points: their differences are exactly 0 at every phase and add nothing to the entropy.
        // A line this narrow (γ = 1 point) in this window is phased by ACME with a bias under half a degree.
        var spectrum = Dephased(4096, 123.456, 0, new Line(1000, 1, 1, Flat: 2, Cut: 1500));
        Assert.InRange(PhaseError(Phasing.AutoZeroOrder(spectrum), 123.456), -0.5, 0.5);
    }
}
