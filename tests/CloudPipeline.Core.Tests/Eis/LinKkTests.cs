using CloudPipeline.Core.Analysis;
using CloudPipeline.Core.Analysis.Eis;
using CloudPipeline.Core.Formats.Eis;
using CloudPipeline.Testing;
using Xunit;

namespace CloudPipeline.Core.Tests.Eis;

/// <summary>Lin-KK against eis.md §8.3 and §8.4 (impedance.py's assertions, checked by them against Schönleber's software).</summary>
public sealed class LinKkTests
{
    private static Spectrum Real(string relative) => RealSpectra.Read(relative);

    private static void Close(double expected, double actual, double relative) =>
        Assert.True(Math.Abs(actual - expected) <= relative * Math.Abs(expected), $"expected {expected:R}, got {actual:R}");

    [RealDataFact]
    public void Circuit3_at_c_0_69_gives_M_10_and_the_reference_mu_and_fit()
    {
        var r = LinKk.Run(Real("zplot-z/Circuit3_EIS_1.z"), new LinKkParameters { C = 0.69 });
        Assert.Equal(10, r.M);
        Close(0.6843821117885378, r.Mu, 1e-9);
        Close(1504.77272562, r.Fitted[0].Real, 1e-9);
        Close(22.1601785, r.Fitted[0].Imaginary, 1e-7);
        Close(6132.74662155, r.Fitted[52].Real, 1e-9);
        Close(32.8441808, r.Fitted[52].Imaginary, 1e-7);
        Assert.False(r.Passed); // KK_FAIL at the 3 % gate
        Assert.Equal(0.03481, r.MaxResidualReal, 1e-3);
        Assert.Equal(0.03728, r.MaxResidualImag, 1e-3);
    }

    [RealDataFact]
    public void With_a_capacitance_the_same_M_and_mu_and_the_reference_imaginary_parts()
    {
        var r = LinKk.Run(Real("zplot-z/Circuit3_EIS_1.z"), new LinKkParameters { C = 0.69, AddCapacitance = true });
        Assert.Equal(10, r.M);
        Close(0.6843821117885381, r.Mu, 1e-9);
        Close(22.1609593, r.Fitted[0].Imaginary, 1e-7);
        Close(9.37882405, r.Fitted[52].Imaginary, 1e-7);
        var fixedM = LinKk.Run(Real("zplot-z/Circuit3_EIS_1.z"), new LinKkParameters { C = null, MaxM = 10, AddCapacitance = true });
        Assert.Equal(10, fixedM.M);
        Close(r.Mu, fixedM.Mu, 1e-12);
    }

    [RealDataFact]
    public void Fixed_M_5_imag_and_complex_variants()
    {
        var s = Real("zplot-z/Circuit3_EIS_1.z");
        var imag = LinKk.Run(s, new LinKkParameters { C = null, MaxM = 5, Fit = LinKkFit.Imaginary });
        Close(1892.16670857, imag.Fitted[0].Real, 1e-8);
        Close(-70.4776521, imag.Fitted[0].Imaginary, 1e-7);
        var complex = LinKk.Run(s, new LinKkParameters { C = null, MaxM = 5, Fit = LinKkFit.Complex });
        Close(1636.99559739, complex.Fitted[0].Real, 1e-8);
        Close(17.18695412, complex.Fitted[0].Imaginary, 1e-7);
    }

    [RealDataFact]
    public void The_default_c_stops_at_M_3()
    {
        var r = LinKk.Run(Real("zplot-z/Circuit3_EIS_1.z"));
        Assert.Equal(3, r.M);
        Assert.Equal(0.75275, r.Mu, 1e-5);
    }

    [RealDataTheory]
    [InlineData("eis-csv/LIB_data.txt", 21, 0.8452737250, 0.00082, 0.03214)]
    [InlineData("eclab/exampleDataBioLogic.mpt", 5, 0.7386606761, 0.09055, 0.04776)]
    [InlineData("eis-csv/exampleData.csv", 22, 0.8306426291, 0.00281, 0.22797)]
    public void More_files_at_the_default_c(string file, int m, double mu, double maxRe, double maxIm)
    {
        var r = LinKk.Run(Real(file));
        Assert.Equal(m, r.M);
        Close(mu, r.Mu, 1e-9);
        Assert.Equal(maxRe, r.MaxResidualReal, 1e-5);
        Assert.Equal(maxIm, r.MaxResidualImag, 1e-5);
    }

    [RealDataFact]
    public void A_mu_equal_to_c_stops_the_loop_because_elements_are_added_only_while_mu_exceeds_c()
    {
        var s = Real("zplot-z/Circuit3_EIS_1.z");
        // At c = 0.69 the loop runs to M = 10 (the reference above), so every μ before M = 10 is above 0.69.
        double muAt10 = LinKk.Run(s, new LinKkParameters { C = null, MaxM = 10 }).Mu;
        var atC = LinKk.Run(s, new LinKkParameters { C = muAt10 });
        Assert.Equal(10, atC.M);
        Assert.Equal(muAt10, atC.Mu);
        // Just below that μ the loop has to go on.
        var below = LinKk.Run(s, new LinKkParameters { C = Math.BitDecrement(muAt10) });
        Assert.True(below.M > 10, $"M = {below.M}");
    }

    [RealDataFact]
    public void The_gate_passes_only_residuals_strictly_below_it()
    {
        var s = Real("zplot-z/Circuit3_EIS_1.z");
        var reference = LinKk.Run(s, new LinKkParameters { C = 0.69 });
        double largest = Math.Max(reference.MaxResidualReal, reference.MaxResidualImag);
        Assert.Equal(0.03728, largest, 1e-3); // eis.md §8.3: the imaginary residual is the larger one
        Assert.False(LinKk.Run(s, new LinKkParameters { C = 0.69, Gate = largest }).Passed);
        Assert.True(LinKk.Run(s, new LinKkParameters { C = 0.69, Gate = Math.BitIncrement(largest) }).Passed);
        Assert.True(LinKk.Run(s, new LinKkParameters { C = 0.69, Gate = 0.04 }).Passed);
    }

    /// <summary>
    /// 60 RC time constants over the two decades of 100 points make the design matrix numerically rank-deficient,
    /// so the fit takes the minimum-norm branch. A KK-compliant spectrum (R0 + R1 ∥ C1) is still reproduced, and the
    /// RC resistances are the pseudo-inverse solution: computed here by numpy's rule from the SVD of the whole
    /// weighted design matrix (singular values below 1e-15 · s_max dropped), which is what impedance.py does.
    /// </summary>
    [Fact]
    public void A_rank_deficient_design_takes_the_minimum_norm_solution_and_still_fits_a_compliant_spectrum()
    {
        var f = Enumerable.Range(0, 100).Select(i => Math.Pow(10, 3 - 2 * i / 99.0)).ToArray();
        var z = f.Select(x => 10 + 100 / new System.Numerics.Complex(1, 2 * Math.PI * x * 100 * 1e-4)).ToArray();
        var s = new Spectrum("rc.csv", "eis-table", f, z.Select(v => v.Real).ToArray(), z.Select(v => v.Imaginary).ToArray(), new Dictionary<string, double[]>());
        const int m = 60;
        var r = LinKk.Run(s, new LinKkParameters { C = null, MaxM = m });
        Assert.Equal(m, r.M);
        Assert.True(r.MaxResidualReal < 1e-6 && r.MaxResidualImag < 1e-6, $"residuals {r.MaxResidualReal:E2}, {r.MaxResidualImag:E2}");

        var tau = LinKk.TimeConstants(f, m);
        var a = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(f.Length, m + 1, (i, c) =>
        {
            double modulus = z[i].Magnitude;
            double x = 2 * Math.PI * f[i] * (c == 0 ? 0 : tau[c - 1]);
            return 1 / (1 + x * x) / modulus;
        });
        var b = MathNet.Numerics.LinearAlgebra.Vector<double>.Build.Dense(f.Length, i => z[i].Real / z[i].Magnitude);
        var svd = a.Svd(computeVectors: true);
        Assert.True(svd.S[^1] < 1e-10 * svd.S[0], "the design must be rank-deficient for this test to mean anything");
        var solution = MathNet.Numerics.LinearAlgebra.Vector<double>.Build.Dense(m + 1);
        var utb = svd.U.TransposeThisAndMultiply(b);
        for (int k = 0; k < svd.S.Count; k++)
        {
            if (svd.S[k] > 1e-15 * svd.S[0])
            {
                solution += svd.VT.Row(k) * (utb[k] / svd.S[k]);
            }
        }
        // The singular values decay without a gap, so the two routes (SVD of the whole matrix here, of its R factor
        // in the code) drop a slightly different tail: μ agrees to 1e-3, while a wrong branch moves it by far more.
        double expectedMu = LinKk.Mu(solution.SubVector(1, m).ToArray());
        Assert.Equal(expectedMu, r.Mu, 1e-3);
    }

    [Fact]
    public void Mu_and_time_constants()
    {
        Assert.Equal(0, LinKk.Mu([1, 2, 3, -3, -2, -1]));
        Assert.Equal(0.5, LinKk.Mu([-1, 2, 4, -3, 4, -1]));
        var tau = LinKk.TimeConstants(new[] { 1000, 100, 10, 1, 0.1 }.Select(f => f / (2 * Math.PI)).ToArray(), 3);
        Assert.Equal(0.001, tau[0], 1e-12);
        Assert.Equal(0.1, tau[1], 1e-12);
        Assert.Equal(10, tau[2], 1e-12);
    }

    [Fact]
    public void A_single_point_and_non_monotonic_frequencies_are_clear_errors()
    {
        var one = new Spectrum("one.csv", "eis-table", [10], [1], [-1], new Dictionary<string, double[]>());
        Assert.Equal("TOO_FEW_POINTS", Assert.Throws<AnalysisException>(() => LinKk.Run(one)).Code);
        var zigzag = new Spectrum("zigzag.csv", "eis-table", [100, 10, 50, 1], [1, 2, 3, 4], [-1, -2, -3, -4], new Dictionary<string, double[]>());
        var ex = Assert.Throws<AnalysisException>(() => LinKk.Run(zigzag));
        Assert.Equal("NON_MONOTONIC_FREQUENCY", ex.Code);
        Assert.Contains("zigzag.csv", ex.Message, StringComparison.Ordinal);
    }
}
