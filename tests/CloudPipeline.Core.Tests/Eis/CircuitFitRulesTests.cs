using CloudPipeline.Core.Analysis.Eis;
using CloudPipeline.Core.Analysis.Eis.Circuits;
using CloudPipeline.Core.Formats.Eis;
using Xunit;

namespace CloudPipeline.Core.Tests.Eis;

/// <summary>
/// The options of the CNLS fit (eis.md §5) on noise-free R0-p(R1,C1) spectra whose true parameters are known:
/// constants, bounds, weightings, the evaluation limit, and χ², RMSE and the residual weights by hand.
/// </summary>
public sealed class CircuitFitRulesTests
{
    private static readonly Circuit Rc = Circuit.Parse("R0-p(R1,C1)");

    private static Spectrum Synthetic(double[] parameters) => CircuitTests.Synthetic("R0-p(R1,C1)", parameters);

    [Fact]
    public void A_constant_leaves_the_free_vector_and_is_reported_fixed_at_its_value()
    {
        var fit = CircuitFitter.Fit(Synthetic([10, 100, 1e-5]), Rc, [50, 1e-6], new CircuitFitOptions { Constants = new Dictionary<string, double> { ["R0"] = 10 } });
        var r0 = fit.Parameters[0];
        Assert.Equal(("R0", 10.0, true, false), (r0.Name, r0.Value, r0.Fixed, r0.AtBound));
        Assert.True(double.IsNaN(r0.StandardError));
        Assert.Equal((10.0, 10.0), (r0.Lower95, r0.Upper95));
        Assert.Equal(100, fit.Parameters[1].Value, 1e-6);
        Assert.Equal(1e-5, fit.Parameters[2].Value, 1e-13);
        Assert.Equal(2, fit.Covariance!.GetLength(0)); // free parameters only
    }

    [Fact]
    public void A_wrong_constant_guess_length_or_bounds_is_an_argument_error_naming_the_parameters()
    {
        var constant = Assert.Throws<ArgumentException>(() => CircuitFitter.Fit(Synthetic([10, 100, 1e-5]), Rc, [50, 1e-6], new CircuitFitOptions { Constants = new Dictionary<string, double> { ["R9"] = 1 } }));
        Assert.Contains("Constant 'R9' is not a parameter of R0-p(R1,C1) (R0, R1, C1)", constant.Message, StringComparison.Ordinal);
        var guess = Assert.Throws<ArgumentException>(() => CircuitFitter.Fit(Synthetic([10, 100, 1e-5]), Rc, [50, 1e-6]));
        Assert.Equal("R0-p(R1,C1) has 3 parameters (R0, R1, C1), 0 of them constant: the initial guess needs 3 values, not 2.", guess.Message);
        Assert.Throws<ArgumentException>(() => CircuitFitter.Fit(Synthetic([10, 100, 1e-5]), Rc, [5, 50, 1e-6], new CircuitFitOptions { LowerBounds = [0, 0] }));
        var inverted = Assert.Throws<ArgumentException>(() => CircuitFitter.Fit(Synthetic([10, 100, 1e-5]), Rc, [5, 50, 1e-6], new CircuitFitOptions { LowerBounds = [0, 200, 0], UpperBounds = [100, 150, 1] }));
        Assert.Contains("Bounds must have 3 values each, with lower <= upper", inverted.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_spectrum_of_one_point_is_refused_by_name()
    {
        var s = Synthetic([10, 100, 1e-5]);
        var one = s with { SourceName = "one.mpt", Frequency = s.Frequency[..1], ZReal = s.ZReal[..1], ZImag = s.ZImag[..1] };
        var ex = Assert.Throws<CloudPipeline.Core.Analysis.AnalysisException>(() => CircuitFitter.Fit(one, Rc, [5, 50, 1e-6]));
        Assert.Equal(("TOO_FEW_POINTS", "one.mpt: 1 point(s); the analysis needs at least 2."), (ex.Code, ex.Message));
    }

    [Fact]
    public void An_optimum_outside_the_bounds_ends_on_the_bound_and_is_flagged()
    {
        // R1 is 100 Ω but may not exceed 80 Ω: it ends on 80 and the fit says so. The guess 90 is clamped into the box.
        var fit = CircuitFitter.Fit(Synthetic([10, 100, 1e-5]), Rc, [5, 90, 1e-6], new CircuitFitOptions { UpperBounds = [1000, 80, 1] });
        Assert.Equal(80, fit.Parameters[1].Value);
        Assert.True(fit.Parameters[1].AtBound);
        Assert.False(fit.Parameters[0].AtBound);
        Assert.Contains("AT_BOUND", fit.Flags);
    }

    [Theory]
    [InlineData(FitWeighting.Unit)]
    [InlineData(FitWeighting.Modulus)]
    [InlineData(FitWeighting.Proportional)]
    public void Every_weighting_recovers_a_noise_free_spectrum(FitWeighting weighting)
    {
        var fit = CircuitFitter.Fit(Synthetic([10, 100, 1e-5]), Rc, [5, 50, 1e-6], new CircuitFitOptions { Weighting = weighting });
        Assert.Equal(10, fit.Values[0], 1e-6);
        Assert.Equal(100, fit.Values[1], 1e-6);
        Assert.Equal(1e-5, fit.Values[2], 1e-13);
        Assert.Empty(fit.Flags);
    }

    [Fact]
    public void Chi_square_and_rmse_of_a_fixed_wrong_model_are_the_weighted_and_plain_residual_sums()
    {
        // All three parameters fixed 10 % high on R1: the residual is the difference of two known models, summed by hand.
        var s = Synthetic([10, 100, 1e-5]);
        var constants = new Dictionary<string, double> { ["R0"] = 10, ["R1"] = 110 };
        var fit = CircuitFitter.Fit(s, Rc, [1e-5], new CircuitFitOptions { Constants = constants, Weighting = FitWeighting.Modulus, UpperBounds = [1e-5], LowerBounds = [1e-5] });
        double chi2 = 0, sse = 0;
        for (int i = 0; i < s.Count; i++)
        {
            var z = Rc.Impedance(2 * Math.PI * s.Frequency[i], [10, 110, 1e-5]);
            double dr = z.Real - s.ZReal[i], di = z.Imaginary - s.ZImag[i];
            sse += dr * dr + di * di;
            chi2 += (dr * dr + di * di) / (s.Modulus(i) * s.Modulus(i));
        }
        Assert.Equal(chi2, fit.ChiSquare, chi2 * 1e-9);
        Assert.Equal(Math.Sqrt(sse / s.Count), fit.Rmse, 1e-9);
    }

    [Fact]
    public void The_evaluation_limit_stops_the_fit_and_says_so()
    {
        var fit = CircuitFitter.Fit(Synthetic([10, 100, 1e-5]), Rc, [5, 50, 1e-6], new CircuitFitOptions { MaxEvaluations = 3 });
        Assert.Contains("MAX_EVALUATIONS", fit.Flags);
        // The first residual, one Jacobian and one trial step reach the limit; the covariance Jacobian at the end adds one.
        Assert.Equal(4, fit.Evaluations);
    }

    [Fact]
    public void Two_resistors_in_series_cannot_be_told_apart_and_say_so()
    {
        // R0 + R1 is one number: JᵀJ is singular, so there is no covariance, no standard error and no interval.
        var s = Synthetic([10, 100, 1e-5]);
        var fit = CircuitFitter.Fit(s with { ZImag = s.ZImag.Select(_ => 0.0).ToArray(), ZReal = s.ZReal.Select(_ => 30.0).ToArray() }, Circuit.Parse("R0-R1"), [5, 5]);
        Assert.Contains("COV_SINGULAR", fit.Flags);
        Assert.Null(fit.Covariance);
        Assert.Null(fit.Correlation);
        Assert.All(fit.Parameters, p => Assert.True(double.IsNaN(p.StandardError) && double.IsNaN(p.Lower95) && double.IsNaN(p.Upper95)));
        Assert.Equal(30, fit.Values.Sum(), 1e-9); // the sum is still fitted
    }

    [Fact]
    public void A_fit_with_as_many_parameters_as_data_values_has_no_covariance()
    {
        // Two points are four numbers (Z' and Z'' each), and R0-p(R1,C1)-L1 has four parameters: s² = χ²/(2N − P) has
        // no degrees of freedom, so there is no covariance and no interval, however well the fit went.
        var s = CircuitTests.Synthetic("R0-p(R1,C1)-L1", [10, 100, 1e-5, 1e-6]);
        var two = s with { Frequency = s.Frequency[..2], ZReal = s.ZReal[..2], ZImag = s.ZImag[..2] };
        var fit = CircuitFitter.Fit(two, Circuit.Parse("R0-p(R1,C1)-L1"), [10, 100, 1e-5, 1e-6]);
        Assert.Equal(["COV_SINGULAR"], fit.Flags);
        Assert.Null(fit.Covariance);
        Assert.All(fit.Parameters, p => Assert.True(double.IsNaN(p.StandardError) && double.IsNaN(p.Lower95) && double.IsNaN(p.Upper95)));
    }

    /// <summary>
    /// Z of p(R,C) depends on ωC only, so a capacitance 1,000 times smaller measured at 1,000 times the frequencies is
    /// the same spectrum in other units: the fit must find the same resistances with the same standard errors, and
    /// C and its standard error scaled by exactly 1/1,000. (Judged on the unscaled JᵀJ, whose condition number grows
    /// with 1/C², the nanofarad cell was called singular.) The data carry a fixed ±0.1 % pattern so that χ² is not 0.
    /// </summary>
    [Fact]
    public void Standard_errors_do_not_depend_on_the_units_a_parameter_is_given_in()
    {
        // The same impedances at 1,000 times the frequencies are those of C = 1e-7 F.
        static Spectrum Noisy(double frequencyFactor)
        {
            var s = CircuitTests.Synthetic("R0-p(R1,C1)", [10, 1000, 1e-4]);
            return s with
            {
                Frequency = [.. s.Frequency.Select(f => f * frequencyFactor)],
                ZReal = [.. s.ZReal.Select((z, i) => z * (1 + 1e-3 * Math.Sin(7 * i)))],
                ZImag = [.. s.ZImag.Select((z, i) => z * (1 + 1e-3 * Math.Cos(5 * i)))],
            };
        }
        var microfarads = CircuitFitter.Fit(Noisy(1), Rc, [5, 500, 1e-3]);
        var nanofarads = CircuitFitter.Fit(Noisy(1000), Rc, [5, 500, 1e-6]);
        Assert.Empty(microfarads.Flags);
        Assert.Empty(nanofarads.Flags);
        for (int k = 0; k < 3; k++)
        {
            double factor = k == 2 ? 1e-3 : 1;
            var (a, b) = (microfarads.Parameters[k], nanofarads.Parameters[k]);
            Assert.Equal(1, b.Value / (a.Value * factor), 1e-6);
            Assert.Equal(1, b.StandardError / (a.StandardError * factor), 1e-6);
        }
        Assert.InRange(microfarads.Parameters[2].StandardError / 1e-4, 1e-5, 1e-2); // a real, small, relative error
    }

    [Fact]
    public void An_initial_guess_where_the_model_is_not_finite_is_refused_with_the_guess_and_the_frequency()
    {
        // R1 = 0 shorts p(R1,C1): 1/(1/0 + jωC) is not a number in complex arithmetic at any frequency, so the first is named.
        var ex = Assert.Throws<ArgumentException>(() => CircuitFitter.Fit(Synthetic([10, 100, 1e-5]), Rc, [5, 0, 1e-6]));
        Assert.Equal("R0-p(R1,C1) is not a finite impedance at 100000 Hz with the initial guess (R0 = 5, R1 = 0, C1 = 1E-06); "
            + "a parallel branch of zero impedance shorts it, for one. Start the fit from other values.", ex.Message);
        // An inductor at 1e308 Hz (the last point here) has an infinite reactance: ω = 2π·1e308 overflows.
        var high = new Spectrum("high.csv", "eis-table", [1, 100, 1e308], [10, 10, 10], [0, 0.1, 1], new Dictionary<string, double[]>());
        var overflow = Assert.Throws<ArgumentException>(() => CircuitFitter.Fit(high, Circuit.Parse("R0-L1"), [10, 1e-6]));
        Assert.StartsWith("R0-L1 is not a finite impedance at 1E+308 Hz with the initial guess (R0 = 10, L1 = 1E-06);", overflow.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// A resistor fitted to three points is weighted least squares by hand: with σre = |Zre| the optimum is
    /// R0 = Σ(1/x)/Σ(1/x²); the model has no imaginary part, so each imaginary point adds (Zim/σim)² with
    /// σim = max(|Zim|, 1e-3·|Z|): the floor holds where |Zim| is below it (point 1: 0.005 against 0.009).
    /// The covariance is s²/Σ(1/x²) with s² = χ²/(2N − P) = χ²/5, and the interval uses Student's t at 5 degrees (2.5706).
    /// </summary>
    [Fact]
    public void Proportional_weights_of_a_resistor_fit_by_hand_including_the_imaginary_floor()
    {
        double[] re = [9, 10, 11], im = [0.005, 0.02, 0];
        var s = new Spectrum("r.csv", "eis-table", [1000, 100, 10], re, im, new Dictionary<string, double[]>());
        var fit = CircuitFitter.Fit(s, Circuit.Parse("R0"), [5], new CircuitFitOptions { Weighting = FitWeighting.Proportional });
        double sum1 = re.Sum(x => 1 / x), sum2 = re.Sum(x => 1 / (x * x));
        double r0 = sum1 / sum2;
        Assert.Equal(r0, fit.Values[0], 1e-9);
        double chi2Re = re.Sum(x => Math.Pow((r0 - x) / x, 2));
        double floor0 = 1e-3 * Math.Sqrt(81 + 0.005 * 0.005);
        double chi2 = chi2Re + Math.Pow(0.005 / floor0, 2) + 1 + 0;
        Assert.Equal(chi2, fit.ChiSquare, 1e-9);
        double se = Math.Sqrt(chi2 / 5 / sum2);
        Assert.Equal(se, fit.Parameters[0].StandardError, 1e-9);
        Assert.Equal(r0 - 2.5705818366 * se, fit.Parameters[0].Lower95, 1e-6);
        Assert.Equal(r0 + 2.5705818366 * se, fit.Parameters[0].Upper95, 1e-6);
        Assert.Equal(1.0, fit.Correlation![0, 0], 1e-12);
        // RMSE is of the unweighted complex residuals over N points.
        double sse = re.Sum(x => (r0 - x) * (r0 - x)) + im.Sum(y => y * y);
        Assert.Equal(Math.Sqrt(sse / 3), fit.Rmse, 1e-9);
    }

    [Fact]
    public void Unit_weights_of_a_resistor_fit_give_the_mean_and_its_standard_error()
    {
        double[] re = [9, 10, 11, 14], im = [0, 0, 0, 0];
        var s = new Spectrum("r.csv", "eis-table", [1000, 100, 10, 1], re, im, new Dictionary<string, double[]>());
        var fit = CircuitFitter.Fit(s, Circuit.Parse("R0"), [100]);
        Assert.Equal(11, fit.Values[0], 1e-6); // the stopping rule leaves it within ~1e-4 standard errors (0.5 here)
        Assert.Equal(14, fit.ChiSquare, 1e-9); // 4 + 1 + 0 + 9
        Assert.Equal(Math.Sqrt(14 / 7.0 / 4), fit.Parameters[0].StandardError, 1e-9);
        Assert.Empty(fit.Flags);
    }
}
