using System.Numerics;
using CloudPipeline.Core.Analysis.Nmr;
using CloudPipeline.Core.Formats.Nmr;
using Xunit;

namespace CloudPipeline.Core.Tests.Nmr;

/// <summary>
/// Steps 2–6 of nmr.md §2 (DC offset, first-point factor, apodization, zero-fill, FFT and fftshift of §0) on FIDs whose
/// spectra follow by hand: a delta FID has a flat spectrum, one rotation per FID puts all signal in one bin.
/// </summary>
public sealed class NmrTransformTests
{
    private static NmrFid Fid(Complex[] points, double swHz = 1000, double groupDelay = 0) =>
        new("fid", "test", points, swHz, 100, 0, groupDelay, "7Li", new Dictionary<string, string>(), []);

    private static Complex[] Delta(int n, int at = 0) => Enumerable.Range(0, n).Select(i => i == at ? Complex.One : Complex.Zero).ToArray();

    private static Complex[] Transform(NmrFid fid, NmrProcessingOptions o) => NmrProcessor.Transform(fid, o, out _);

    [Theory]
    [InlineData(8, 16)]
    [InlineData(5, 16)]
    [InlineData(9, 32)]
    public void Default_zero_fill_is_the_next_power_of_two_of_twice_the_points(int points, int size)
    {
        Assert.Equal(size, Transform(Fid(Delta(points)), new NmrProcessingOptions()).Length);
    }

    [Fact]
    public void A_size_below_the_fid_is_an_error()
    {
        var ex = Assert.Throws<ArgumentException>(() => Transform(Fid(Delta(8)), new NmrProcessingOptions { Size = 4 }));
        Assert.Contains("zero-filled size 4 is smaller than the FID's 8 points", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_delta_fid_gives_a_flat_spectrum_of_the_first_point_factor()
    {
        var half = NmrProcessor.Transform(Fid(Delta(8)), new NmrProcessingOptions { Size = 8 }, out double c0);
        Assert.Equal(0.5, c0); // no digital filter: 0.5
        Assert.All(half, s => Assert.Equal(0.5, s.Real, 12));
        NmrProcessor.Transform(Fid(Delta(8), groupDelay: 60.375), new NmrProcessingOptions { Size = 8 }, out double filtered);
        Assert.Equal(1.0, filtered); // digitally filtered (group delay > 0): 1.0
        Assert.All(Transform(Fid(Delta(8)), new NmrProcessingOptions { Size = 8, FirstPointFactor = 0.25 }), s => Assert.Equal(0.25, s.Real, 12));
    }

    [Fact]
    public void One_negative_rotation_per_fid_lands_left_of_the_carrier()
    {
        // fid[n] = e^(−2πi·n/8): X[m] = 8 at m = 7 only; fftshift puts X[7] at j = 7 − 4 = 3, one bin left of the carrier (j = 4), i.e. higher ppm.
        var fid = Enumerable.Range(0, 8).Select(n => Complex.FromPolarCoordinates(1, -2 * Math.PI * n / 8)).ToArray();
        var s = Transform(Fid(fid), new NmrProcessingOptions { Size = 8, FirstPointFactor = 1 });
        for (int j = 0; j < 8; j++)
        {
            Assert.Equal(j == 3 ? 8 : 0, s[j].Magnitude, 9);
        }
        // A constant FID puts everything at the carrier, j = N/2.
        var dc = Transform(Fid(Enumerable.Repeat(Complex.One, 8).ToArray()), new NmrProcessingOptions { Size = 8, FirstPointFactor = 1 });
        Assert.Equal(8, dc[4].Real, 9);
        Assert.Equal(0, dc[0].Magnitude, 9);
    }

    [Fact]
    public void Dc_offset_removes_the_mean_of_the_last_eighth()
    {
        // A constant FID is all offset: nothing is left.
        var s = Transform(Fid(Enumerable.Repeat(new Complex(1, 2), 16).ToArray()), new NmrProcessingOptions { Size = 16, DcOffset = true });
        Assert.All(s, v => Assert.Equal(0, v.Magnitude, 12));
        // 14 points of 0 and a tail of two 1s: the tail mean 1 is removed from every point, so the delta at 0 becomes −1 (× 0.5).
        var tail = new Complex[16];
        tail[14] = tail[15] = 1;
        var t = Transform(Fid(tail), new NmrProcessingOptions { Size = 16, DcOffset = true });
        Assert.Equal(-1 * 0.5 * 1, t.Sum(v => v.Real) / 16, 12); // the mean of a spectrum is its first FID point
    }

    [Fact]
    public void Apodization_weights_follow_the_exponential_gaussian_and_gm_formulas()
    {
        // A delta at n = 1 (t = DW = 1 ms) gives a flat |S| equal to the window's weight there.
        double dw = 1e-3;
        var fid = Fid(Delta(8, 1));
        double Weight(NmrProcessingOptions o) => Transform(fid, o with { Size = 8 })[0].Magnitude;
        Assert.Equal(Math.Exp(-0.1), Weight(new NmrProcessingOptions { LineBroadeningHz = 100 / Math.PI }), 12); // e^(−π·LB·t)
        double gw = 150;
        Assert.Equal(Math.Exp(-Math.Pow(Math.PI * gw * dw, 2) / (4 * Math.Log(2))), Weight(new NmrProcessingOptions { GaussianHz = gw }), 12);
        // GM: LB = −10 Hz, GB = 0.25, AQ = 8·DW: b = −π·LB/(2·GB·AQ) = 10π/0.004; w = e^(−π·LB·t − b·t²).
        double b = 10 * Math.PI / 0.004;
        Assert.Equal(Math.Exp(Math.PI * 10 * dw - b * dw * dw), Weight(new NmrProcessingOptions { LineBroadeningHz = -10, GaussMaximumPosition = 0.25 }), 12);
        Assert.Equal(1, Weight(new NmrProcessingOptions()), 12); // no window
    }
}
