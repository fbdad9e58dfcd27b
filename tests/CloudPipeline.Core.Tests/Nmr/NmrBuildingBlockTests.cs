using System.Numerics;
using CloudPipeline.Core.Analysis.Nmr;
using CloudPipeline.Core.Tests.Numerics;
using Xunit;

namespace CloudPipeline.Core.Tests.Nmr;

/// <summary>
/// Closed-form checks of the NMR building blocks (nmr.md §2–3): lineshape values and areas at hand-picked points, the
/// phase operator of §0, the negative-area QC fraction, and exact polynomial baselines.
/// </summary>
public sealed class NmrBuildingBlockTests
{
    [Theory]
    [InlineData(LineshapeKind.Lorentzian, 0.0, 2.0)] // at the centre: a
    [InlineData(LineshapeKind.Lorentzian, 0.5, 1.0)] // at half the FWHM from the centre: a/2
    [InlineData(LineshapeKind.Lorentzian, 1.0, 0.4)] // u = 1: a/(1 + 4) = a/5
    [InlineData(LineshapeKind.Gaussian, 0.5, 1.0)] // Gaussian at half the FWHM: a/2
    [InlineData(LineshapeKind.Gaussian, 1.0, 0.125)] // e^(−4 ln 2) = 1/16, a = 2
    public void Lineshapes_have_their_height_and_half_height_at_the_fwhm(LineshapeKind kind, double u, double expected)
    {
        // a = 2, centre 10, FWHM w = 4: x = 10 + u·w.
        Assert.Equal(expected, LineshapeFitter.Evaluate(kind, 2, 10, 4, 0, 10 + 4 * u), 12);
        Assert.Equal(expected, LineshapeFitter.Evaluate(kind, 2, 10, 4, 0, 10 - 4 * u), 12); // symmetric
    }

    [Fact]
    public void A_pseudo_voigt_mixes_lorentzian_and_gaussian_by_eta()
    {
        // At u = 1: η·a/5 + (1 − η)·a/16 with a = 2, η = 0.25: 0.1 + 0.09375.
        Assert.Equal(0.19375, LineshapeFitter.Evaluate(LineshapeKind.PseudoVoigt, 2, 10, 4, 0.25, 14), 12);
        // Areas: Lorentzian a·π·w/2; Gaussian a·w·√(π/(4 ln 2)); the pseudo-Voigt their η-mix.
        double gaussian = 2 * 4 * Math.Sqrt(Math.PI / (4 * Math.Log(2)));
        Assert.Equal(2 * Math.PI * 4 / 2, LineshapeFitter.Area(LineshapeKind.Lorentzian, 2, 4, 0), 12);
        Assert.Equal(gaussian, LineshapeFitter.Area(LineshapeKind.Gaussian, 2, 4, 0), 12);
        Assert.Equal(0.25 * 4 * Math.PI + 0.75 * gaussian, LineshapeFitter.Area(LineshapeKind.PseudoVoigt, 2, 4, 0.25), 12);
    }

    [Fact]
    public void The_phase_operator_turns_point_k_by_p0_plus_p1_k_over_n_degrees()
    {
        // §0: S'[k] = S[k]·exp(i·π/180·(p0 + p1·k/N)). Over 3000 points (more than one 1024-point renormalisation block).
        int n = 3000;
        var s = Enumerable.Repeat(Complex.One, n).ToArray();
        Phasing.Apply(s, 30, 90);
        foreach (int k in new[] { 0, 1, 1023, 1024, 2047, 2999 })
        {
            double degrees = 30 + 90.0 * k / n;
            Assert.Equal(Math.Cos(degrees * Math.PI / 180), s[k].Real, 12);
            Assert.Equal(Math.Sin(degrees * Math.PI / 180), s[k].Imaginary, 12);
        }
        var untouched = new[] { new Complex(1, 2) };
        Phasing.Apply(untouched, 0, 0);
        Assert.Equal(new Complex(1, 2), untouched[0]);
    }

    [Fact]
    public void Negative_area_fraction_is_the_negative_part_of_the_absolute_area()
    {
        Assert.Equal(0.25, Phasing.NegativeAreaFraction([3, -1, 0]), 12); // 1 of 4
        Assert.Equal(0, Phasing.NegativeAreaFraction([0, 0]));
        Assert.Equal(1, Phasing.NegativeAreaFraction([-2, -3]), 12);
    }

    [Fact]
    public void A_polynomial_baseline_is_recovered_exactly_from_its_signal_free_points()
    {
        // y = 1 + 2u − 3u² on u ∈ [−1, 1] (11 points) with a 'peak' of +5 on the middle three, marked as signal.
        var y = Enumerable.Range(0, 11).Select(i => { double u = -1 + 0.2 * i; return 1 + 2 * u - 3 * u * u + (i is >= 4 and <= 6 ? 5 : 0); }).ToArray();
        var free = Enumerable.Range(0, 11).Select(i => i is < 4 or > 6).ToArray();
        var b = Baselines.RegionPolynomial(y, free, 2);
        for (int i = 0; i < 11; i++)
        {
            double u = -1 + 0.2 * i;
            Assert.Equal(1 + 2 * u - 3 * u * u, b[i], 10);
        }
        Assert.Throws<ArgumentException>(() => Baselines.RegionPolynomial(y, free, 6));
        var few = Assert.Throws<ArgumentException>(() => Baselines.RegionPolynomial(y, free.Select((f, i) => f && i < 2).ToArray(), 2));
        Assert.Contains("needs more than 2 signal-free points; 2 given", few.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IModPoly_returns_a_polynomial_of_its_degree_unchanged_also_when_it_block_averages()
    {
        // A cubic fits itself: zero residual, nothing to clip.
        var cubic = Enumerable.Range(0, 101).Select(i => { double u = -1 + 0.02 * i; return 0.5 - u + 0.25 * u * u + 2 * u * u * u; }).ToArray();
        var b = Baselines.IModPoly(cubic, 3);
        Assert.All(Enumerable.Range(0, 101), i => Assert.Equal(cubic[i], b[i], 10));
        // 3 × 4096 + 5 points are averaged in blocks of 3 (the last 5 left out); a block mean of a straight line is its
        // value at the block's centre, so the fitted line is still the line, evaluated at every point.
        int n = 3 * Baselines.BaselinePoints + 5;
        var line = Enumerable.Range(0, n).Select(i => 2 - 3.0 * i / (n - 1)).ToArray();
        var lb = Baselines.IModPoly(line, 3);
        Assert.Equal(n, lb.Length);
        Assert.Equal(2, lb[0], 9);
        Assert.Equal(0.5, lb[(n - 1) / 2], 9);
        Assert.Equal(-1, lb[^1], 9);
    }

    [Fact]
    public void IModPoly_clips_a_peak_so_the_baseline_ends_below_it()
    {
        // A constant 1 with a peak of +10 on 5 of 201 points: the first degree-0 fit is the mean 1.2488; clipping at
        // fit + σ pulls the peak down pass by pass until σ settles, with the baseline at the constant.
        var y = Enumerable.Range(0, 201).Select(i => i is >= 98 and <= 102 ? 11.0 : 1.0).ToArray();
        var b = Baselines.IModPoly(y, 0);
        Assert.All(b, v => Assert.Equal(b[0], v, 12)); // degree 0: one value
        Assert.Equal(1, b[0], 1e-3);
        Assert.Equal(1 + 50.0 / 201, Baselines.IModPoly(y, 0, maxIterations: 1)[0], 12); // one pass: the plain mean
    }

    /// <summary>
    /// One pass of asymmetric least squares has every weight 1, so it is the Whittaker smoother: z solves (I + λDᵀD)z = y,
    /// here by a dense solve of the same system. Two passes weight points above the first z by p and those below by 1 − p.
    /// A straight line has no second difference, so every pass returns it.
    /// </summary>
    [Fact]
    public void Asymmetric_least_squares_is_the_whittaker_smoother_with_asymmetric_weights()
    {
        double[] y = [0, 3, 1, 4, 1, 5, 9, 2, 6, 5];
        int n = y.Length;
        const double lambda = 2, p = 0.1;
        var d = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(n - 2, n, (r, c) => c == r ? 1 : c == r + 1 ? -2 : c == r + 2 ? 1 : 0);
        var penalty = d.TransposeThisAndMultiply(d) * lambda;
        var yv = MathNet.Numerics.LinearAlgebra.Vector<double>.Build.Dense(y);
        var first = (MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseIdentity(n) + penalty).Solve(yv);
        var one = Baselines.AsymmetricLeastSquares(y, lambda, p, passes: 1);
        Assert.All(Enumerable.Range(0, n), i => Assert.Equal(first[i], one[i], 10));
        var w = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseOfDiagonalArray(y.Select((v, i) => v > first[i] ? p : 1 - p).ToArray());
        var second = (w + penalty).Solve(w * yv);
        var two = Baselines.AsymmetricLeastSquares(y, lambda, p, passes: 2);
        Assert.All(Enumerable.Range(0, n), i => Assert.Equal(second[i], two[i], 10));
        var line = Enumerable.Range(0, n).Select(i => 1 + 0.5 * i).ToArray();
        Assert.All(Baselines.AsymmetricLeastSquares(line, 100).Zip(line), x => Assert.Equal(x.Second, x.First, 9));
    }

    [Fact]
    public void Phasing_refuses_a_missing_spectrum_by_name()
    {
        Assert.Equal("spectrum", Assert.Throws<ArgumentNullException>(() => Phasing.Apply(null!, 1, 0)).ParamName);
        Assert.Equal("spectrum", Assert.Throws<ArgumentNullException>(() => Phasing.Acme(null!)).ParamName);
        Assert.Equal("spectrum", Assert.Throws<ArgumentNullException>(() => Phasing.AutoZeroOrder(null!)).ParamName);
        Assert.Equal("real", Assert.Throws<ArgumentNullException>(() => Phasing.NegativeAreaFraction(null!)).ParamName);
    }

    /// <summary>
    /// One Lorentzian A/(1 + 4((x − x₀)/w)²) plus residuals r orthogonal to its three Jacobian columns (worked out by
    /// hand: with v = 2(x − x₀)/w, ∂/∂A = 1/(1 + v²), ∂/∂x₀ = 4Av/(w(1 + v²)²), ∂/∂w = 2Av²/(w(1 + v²)²)), so the fit
    /// returns (A, x₀, w) exactly; then R² = 1 − |r|²/SS_tot, and each SE is √(σ²·[(JᵀJ)⁻¹]ᵢᵢ) with σ² = |r|²/(n − 3).
    /// </summary>
    [Fact]
    public void A_lorentzian_fit_gives_r_squared_and_standard_errors_by_hand()
    {
        const double a = 2, x0 = 0.3, w = 1.5;
        var x = Enumerable.Range(0, 81).Select(i => -10 + 0.25 * i).ToArray();
        var v = x.Select(t => 2 * (t - x0) / w).ToArray();
        var j = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(x.Length, 3, (i, c) => c switch
        {
            0 => 1 / (1 + v[i] * v[i]),
            1 => 4 * a * v[i] / (w * Math.Pow(1 + v[i] * v[i], 2)),
            _ => 2 * a * v[i] * v[i] / (w * Math.Pow(1 + v[i] * v[i], 2)),
        });
        var (r, jtjInverse) = OrthogonalResiduals.To(j, x.Select((_, i) => Math.Sin(1.7 * i)).ToArray(), 0.01);
        var y = x.Select((t, i) => a / (1 + v[i] * v[i]) + r[i]).ToArray();
        var fit = LineshapeFitter.Fit(LineshapeKind.Lorentzian, x, y, [new ComponentGuess(1.5, 0, 1)], 0.1, 10);
        var c = Assert.Single(fit.Components);
        Assert.Equal(a, c.Height, 1e-7);
        Assert.Equal(x0, c.Centre, 1e-7);
        Assert.Equal(w, c.Width, 1e-7);
        Assert.Equal(1.0, c.Eta); // a Lorentzian is all Lorentzian
        Assert.Equal(0.0, c.EtaSe);
        double mean = y.Average(), ssTot = y.Sum(t => (t - mean) * (t - mean));
        Assert.Equal(1 - r.DotProduct(r) / ssTot, fit.RSquared, 1e-9);
        double[] se = [.. Enumerable.Range(0, 3).Select(i => OrthogonalResiduals.StandardError(r, jtjInverse, i))];
        Assert.Equal(se[0], c.HeightSe, se[0] * 1e-4);
        Assert.Equal(se[1], c.CentreSe, se[1] * 1e-4);
        Assert.Equal(se[2], c.WidthSe, se[2] * 1e-4);
        Assert.Equal(a * Math.PI * w / 2, c.Area, 1e-6);
    }

    [Fact]
    public void A_gaussian_fit_reports_no_lorentzian_part()
    {
        var x = Enumerable.Range(0, 81).Select(i => -10 + 0.25 * i).ToArray();
        // A height of 30 from a guess of 2: the height may go up to ten times the largest point.
        var y = x.Select(t => 30 * Math.Exp(-4 * Math.Log(2) * Math.Pow((t + 1) / 2.0, 2))).ToArray();
        var c = Assert.Single(LineshapeFitter.Fit(LineshapeKind.Gaussian, x, y, [new ComponentGuess(2, 0, 1)], 0.1, 10).Components);
        Assert.Equal((30.0, -1.0, 2.0), (Math.Round(c.Height, 6), Math.Round(c.Centre, 7), Math.Round(c.Width, 7)));
        Assert.Equal((0.0, 0.0), (c.Eta, c.EtaSe));
    }

    [Fact]
    public void Baseline_degrees_run_from_0_to_5_and_missing_arguments_are_named()
    {
        // A quintic and a constant are recovered exactly at the two ends of the allowed degrees.
        var u = Enumerable.Range(0, 21).Select(i => -1 + 0.1 * i).ToArray();
        var quintic = u.Select(x => 1 - x + 2 * Math.Pow(x, 5)).ToArray();
        var all = Enumerable.Repeat(true, u.Length).ToArray();
        Assert.All(Baselines.RegionPolynomial(quintic, all, 5).Zip(quintic), x => Assert.Equal(x.Second, x.First, 10));
        Assert.All(Baselines.RegionPolynomial(Enumerable.Repeat(0.7, 21).ToArray(), all, 0), v => Assert.Equal(0.7, v, 12));
        var negative = Assert.Throws<ArgumentException>(() => Baselines.RegionPolynomial(quintic, all, -1));
        Assert.Contains("The baseline degree must be 0–5, not -1.", negative.Message, StringComparison.Ordinal);
        Assert.Equal("degree", negative.ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentNullException>(() => Baselines.RegionPolynomial(null!, all)).ParamName);
        Assert.Equal("signalFree", Assert.Throws<ArgumentNullException>(() => Baselines.RegionPolynomial(quintic, null!)).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentNullException>(() => Baselines.IModPoly(null!)).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentNullException>(() => Baselines.AsymmetricLeastSquares(null!)).ParamName);
    }
}
