using System.Numerics;
using CloudPipeline.Core.Analysis;
using CloudPipeline.Core.Analysis.Eis;
using CloudPipeline.Core.Formats.Eis;
using Xunit;

namespace CloudPipeline.Core.Tests.Eis;

/// <summary>DRT against eis.md §8.6 (f = 10^linspace(5, 0, 31) unless stated).</summary>
public sealed class DrtTests
{
    private static double[] Frequencies(double fromExp, double toExp, int count) =>
        Enumerable.Range(0, count).Select(i => Math.Pow(10, fromExp + (toExp - fromExp) * i / (count - 1))).ToArray();

    private static Spectrum Make(Func<double, Complex> z, double[]? f = null)
    {
        f ??= Frequencies(5, 0, 31);
        var values = f.Select(x => z(2 * Math.PI * x)).ToArray();
        return new Spectrum("synthetic", "synthetic", f, values.Select(v => v.Real).ToArray(), values.Select(v => v.Imaginary).ToArray(), new Dictionary<string, double[]>());
    }

    private static Complex Rc(double w, double r, double tau) => r / new Complex(1, w * tau);

    private static Complex Zarc(double w, double r, double tau, double phi) => r / (1 + Complex.Pow(new Complex(0, w * tau), phi));

    private static void Close(double expected, double actual, double relative) =>
        Assert.True(Math.Abs(actual - expected) <= relative * Math.Abs(expected), $"expected {expected:R}, got {actual:R}");

    [Fact]
    public void Single_rc()
    {
        var d = Drt.Compute(Make(w => 10 + Rc(w, 100, 1e-3)));
        Close(9.93, d.RInfinity, 0.01);
        Close(100.16, d.InterphaseResistance, 0.01);
        Assert.Equal(-3.0289, d.Peak!.GridLog10Tau, 1e-3);
        Assert.Equal(-2.9969, d.Peak.RefinedLog10Tau, 0.02);
        // Acceptance: peaks at tau = RC within one grid step, integrates to R within 2 %.
        double step = d.Log10Tau[1] - d.Log10Tau[0];
        Assert.InRange(d.Peak.RefinedLog10Tau, -3 - step, -3 + step);
        Close(100, d.PolarisationResistance, 0.02);
    }

    [Fact]
    public void Two_rc()
    {
        var d = Drt.Compute(Make(w => 20 + Rc(w, 100, 1e-5) + Rc(w, 300, 1e-2)));
        Close(300.70, d.InterphaseResistance, 0.01);
        Close(100.3, Enumerable.Range(0, d.Log10Tau.Length).Where(j => d.Log10Tau[j] <= -4).Sum(j => d.Resistance[j]), 0.01);
        var fast = Drt.Compute(Make(w => 20 + Rc(w, 100, 1e-5) + Rc(w, 300, 1e-2)), new DrtParameters { PeakWindow = (-6, -4) });
        var slow = Drt.Compute(Make(w => 20 + Rc(w, 100, 1e-5) + Rc(w, 300, 1e-2)), new DrtParameters { PeakWindow = (-3, -1) });
        Assert.Equal(-4.9965, fast.Peak!.RefinedLog10Tau, 0.02);
        Assert.Equal(-1.9973, slow.Peak!.RefinedLog10Tau, 0.02);
    }

    [Fact]
    public void Zarc_and_the_analytic_density()
    {
        var d = Drt.Compute(Make(w => 10 + Zarc(w, 50, 1e-3, 0.8)));
        Close(47.81, d.InterphaseResistance, 0.01);
        Close(49.96, d.PolarisationResistance, 0.01);
        var wide = Drt.Compute(Make(w => 10 + Zarc(w, 50, 1e-3, 0.8), Frequencies(6, -3, 91)), new DrtParameters { GridPoints = 150, Lambda = 1e-4 });
        Close(56.3936, wide.Density.Max(), 0.05);
        Close(50, wide.PolarisationResistance, 0.005);
    }

    [Fact]
    public void Rc_with_inductance()
    {
        var plain = Drt.Compute(Make(w => 10 + Rc(w, 100, 1e-3)));
        var d = Drt.Compute(Make(w => 10 + Rc(w, 100, 1e-3) + new Complex(0, w * 1e-6)));
        Close(1.02e-6, d.Inductance, 0.05);
        Close(plain.InterphaseResistance, d.InterphaseResistance, 0.01);
    }

    [Fact]
    public void Gcv_on_a_perturbed_zarc()
    {
        var clean = Make(w => 10 + Zarc(w, 50, 1e-3, 0.8));
        var noisy = clean with
        {
            ZReal = clean.ZReal.Select((v, i) => v * (1 + 0.01 * Math.Sin(7 * i))).ToArray(),
            ZImag = clean.ZImag.Select((v, i) => v * (1 + 0.01 * Math.Cos(5 * i))).ToArray(),
        };
        var d = Drt.Compute(noisy, new DrtParameters { Selection = LambdaSelection.Gcv });
        Assert.InRange(Math.Log10(d.Lambda), -1.5 - 0.125 - 1e-9, -1.5 + 0.125 + 1e-9);
        Close(47.47, d.InterphaseResistance, 0.02);
        var lcurve = Drt.Compute(noisy, new DrtParameters { Selection = LambdaSelection.LCurve });
        Assert.Contains(lcurve.Lambda, Drt.LambdaGrid());
    }

    [Fact]
    public void Symmetric_cells_report_per_electrode_values()
    {
        var d = Drt.Compute(Make(w => 10 + Rc(w, 100, 1e-3)), new DrtParameters { Symmetric = true, ElectrodeAreaCm2 = 0.282743 });
        Close(50.08, d.InterphaseResistancePerElectrode!.Value, 0.01);
        Close(14.16, d.InterphaseAsrPerElectrode!.Value, 0.01);
        var full = Drt.Compute(Make(w => 10 + Rc(w, 100, 1e-3)), new DrtParameters { ElectrodeAreaCm2 = 0.282743 });
        Assert.Null(full.InterphaseResistancePerElectrode);
    }

    [Fact]
    public void Grid_runs_one_decade_beyond_the_measured_range_in_92_points()
    {
        // eis.md §6: for 1 Hz–100 kHz the grid runs −6.7982 → 0.2018 in steps of 0.076923.
        var d = Drt.Compute(Make(w => 10 + Rc(w, 100, 1e-3)));
        Assert.Equal(92, d.Log10Tau.Length);
        Assert.Equal(-6.7982, d.Log10Tau[0], 1e-4);
        Assert.Equal(0.2018, d.Log10Tau[^1], 1e-4);
        Assert.Equal(0.076923, d.Log10Tau[1] - d.Log10Tau[0], 1e-6);
        Assert.Equal(0.076923, d.Log10Tau[^1] - d.Log10Tau[^2], 1e-6);
        // Half a decade each side and 50 points: log10(1/2π·10⁵) − 0.5 = −6.2982 to log10(1/2π) + 0.5 = −0.2982, step 6/49.
        var narrow = Drt.Compute(Make(w => 10 + Rc(w, 100, 1e-3)), new DrtParameters { GridPoints = 50, ExtensionDecades = 0.5 });
        Assert.Equal(50, narrow.Log10Tau.Length);
        Assert.Equal(-6.2982, narrow.Log10Tau[0], 1e-4);
        Assert.Equal(-0.2982, narrow.Log10Tau[^1], 1e-4);
        Assert.Equal(6.0 / 49, narrow.Log10Tau[1] - narrow.Log10Tau[0], 1e-9);
    }

    [Fact]
    public void Density_is_resistance_per_decade_of_the_grid_step()
    {
        var d = Drt.Compute(Make(w => 10 + Rc(w, 100, 1e-3)));
        int peak = Array.IndexOf(d.Resistance, d.Resistance.Max());
        Assert.True(d.Resistance[peak] > 10, $"peak bin carries {d.Resistance[peak]} Ω");
        Assert.All(Enumerable.Range(0, 92), j => Assert.Equal(d.Resistance[j] / 0.076923, d.Density[j], 1e-4 * d.Resistance[peak] / 0.076923));
        Assert.Equal(d.Resistance[peak] / 0.076923, d.Peak!.Density, 1e-4 * d.Peak.Density);
    }

    [Fact]
    public void Residuals_are_the_model_of_the_reported_parameters_minus_the_data_over_the_modulus()
    {
        // Ẑ(ω) = R∞ + jωL + Σ R_k/(1 + jωτ_k) from the result itself (eis.md §6), against the data.
        var spectrum = Make(w => 10 + Rc(w, 100, 1e-3) + new Complex(0, w * 1e-6));
        var d = Drt.Compute(spectrum);
        for (int i = 0; i < spectrum.Count; i++)
        {
            double w = 2 * Math.PI * spectrum.Frequency[i];
            var model = new Complex(d.RInfinity, w * d.Inductance);
            for (int k = 0; k < d.Log10Tau.Length; k++)
            {
                model += Rc(w, d.Resistance[k], Math.Pow(10, d.Log10Tau[k]));
            }
            var data = new Complex(spectrum.ZReal[i], spectrum.ZImag[i]);
            var expected = (model - data) / data.Magnitude;
            Assert.Equal(expected.Real, d.Residuals[i].Real, 1e-9);
            Assert.Equal(expected.Imaginary, d.Residuals[i].Imaginary, 1e-9);
        }
        Assert.True(d.Residuals.Max(r => r.Magnitude) < 0.01, $"max residual {d.Residuals.Max(r => r.Magnitude)}");
    }

    [Fact]
    public void Without_the_inductance_column_an_inductive_tail_cannot_be_fitted()
    {
        // At 100 kHz the data have Im Z = −0.159 + ωL = +0.469 Ω on |Z| = 10.04 Ω; R_k ≥ 0 only give Im ≤ 0, so the
        // residual there is at least 0.469/10.04 = 0.0467.
        var spectrum = Make(w => 10 + Rc(w, 100, 1e-3) + new Complex(0, w * 1e-6));
        var none = Drt.Compute(spectrum, new DrtParameters { Inductance = false });
        Assert.Equal(0, none.Inductance);
        Assert.True(Math.Abs(none.Residuals[0].Imaginary) >= 0.0467, $"residual at 100 kHz {none.Residuals[0]}");
        // A spectrum without inductance is fitted as well without the column as with it.
        var plain = Drt.Compute(Make(w => 10 + Rc(w, 100, 1e-3)), new DrtParameters { Inductance = false });
        Close(100.16, plain.InterphaseResistance, 0.01);
        Close(9.93, plain.RInfinity, 0.01);
    }

    [Fact]
    public void Area_specific_values_multiply_by_the_area_and_only_symmetric_cells_are_halved()
    {
        // R_int = 100.16 Ω (§8.6) × 0.282743 cm² = 28.319 Ω·cm².
        var full = Drt.Compute(Make(w => 10 + Rc(w, 100, 1e-3)), new DrtParameters { ElectrodeAreaCm2 = 0.282743 });
        Close(28.319, full.InterphaseAsr!.Value, 0.01);
        Assert.Null(full.InterphaseAsrPerElectrode);
        var symmetric = Drt.Compute(Make(w => 10 + Rc(w, 100, 1e-3)), new DrtParameters { Symmetric = true });
        Close(50.08, symmetric.InterphaseResistancePerElectrode!.Value, 0.01);
        Assert.Null(symmetric.InterphaseAsr);
        Assert.Null(symmetric.InterphaseAsrPerElectrode);
    }

    [Fact]
    public void Peak_area_is_the_resistance_between_the_flanking_minima()
    {
        // Two RC elements three decades apart: each peak carries its own R (100 Ω fast, 300 Ω slow; §8.6 gives
        // 100.3 and 300.70 for the two halves of the grid).
        var spectrum = Make(w => 20 + Rc(w, 100, 1e-5) + Rc(w, 300, 1e-2));
        var fast = Drt.Compute(spectrum, new DrtParameters { PeakWindow = (-6, -4) });
        var slow = Drt.Compute(spectrum, new DrtParameters { PeakWindow = (-3, -1) });
        Close(100.3, fast.Peak!.Area, 0.01);
        Close(300.70, slow.Peak!.Area, 0.01);
        // A window with no local maximum of a positive R_k has no peak.
        Assert.Null(Drt.Compute(spectrum, new DrtParameters { PeakWindow = (-3.8, -3.2) }).Peak);
    }

    [Fact]
    public void Cyclic_convention_shifts_both_windows_by_minus_log10_two_pi()
    {
        // The RC at τ = 1 ms sits at log10 τ = −3. The window −3.5…−2.5 holds it in the angular convention; shifted
        // by −0.798 (−4.298…−3.298) it misses it.
        var spectrum = Make(w => 10 + Rc(w, 100, 1e-3));
        var angular = Drt.Compute(spectrum, new DrtParameters { WindowFrom = -3.5, WindowTo = -2.5, PeakWindow = (-3.5, -2.5) });
        var cyclic = Drt.Compute(spectrum, new DrtParameters { WindowFrom = -3.5, WindowTo = -2.5, PeakWindow = (-3.5, -2.5), Convention = TauWindowConvention.Cyclic });
        Close(100, angular.InterphaseResistance, 0.02);
        Assert.Equal(-3.0289, angular.Peak!.GridLog10Tau, 1e-3);
        Assert.True(cyclic.InterphaseResistance < 2, $"cyclic R_int {cyclic.InterphaseResistance}");
        Assert.Null(cyclic.Peak);
        // Shifting the windows the other way by hand gives the angular result back.
        var back = Drt.Compute(spectrum, new DrtParameters { WindowFrom = -3.5 + Math.Log10(2 * Math.PI), WindowTo = -2.5 + Math.Log10(2 * Math.PI), Convention = TauWindowConvention.Cyclic });
        Assert.Equal(angular.InterphaseResistance, back.InterphaseResistance, 1e-9);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Difference_penalties_still_recover_the_rc(int order)
    {
        // Spec acceptance for an RC: the peak at τ = RC within one grid step, R_pol = R within 2 %.
        var d = Drt.Compute(Make(w => 10 + Rc(w, 100, 1e-3)), new DrtParameters { Order = order });
        Close(100, d.PolarisationResistance, 0.02);
        Assert.InRange(d.Peak!.RefinedLog10Tau, -3 - 0.076923, -3 + 0.076923);
        Close(10, d.RInfinity, 0.02);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(3)]
    public void A_regularisation_order_outside_0_to_2_is_rejected(int order)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Drt.Compute(Make(w => 10 + Rc(w, 100, 1e-3)), new DrtParameters { Order = order }));
        Assert.Equal("order", ex.ParamName);
        Assert.Contains("The regularisation order must be 0, 1 or 2.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fixed_lambda_is_used_and_recorded_and_a_larger_one_smooths_more()
    {
        var spectrum = Make(w => 10 + Rc(w, 100, 1e-3));
        var sharp = Drt.Compute(spectrum);
        var smooth = Drt.Compute(spectrum, new DrtParameters { Lambda = 0.5 });
        Assert.Equal(1e-3, sharp.Lambda);
        Assert.Equal(0.5, smooth.Lambda);
        // eis.md §6: in this scaling λ = 0.5 over-smooths, with relative residuals of 4–9 % on an RC spectrum.
        Assert.InRange(smooth.Residuals.Max(r => Math.Max(Math.Abs(r.Real), Math.Abs(r.Imaginary))), 0.04, 0.09);
        Assert.True(sharp.Residuals.Max(r => r.Magnitude) < 0.01, $"λ = 1e-3 max residual {sharp.Residuals.Max(r => r.Magnitude)}");
    }

    [Fact]
    public void Lambda_grid_is_ten_to_the_minus_six_to_ten_in_eighth_decades()
    {
        var grid = Drt.LambdaGrid().ToArray();
        Assert.Equal(57, grid.Length);
        Assert.Equal(1e-6, grid[0], 1e-20);
        Assert.Equal(1e-5, grid[8], 1e-19);
        Assert.Equal(10, grid[^1], 1e-12);
        Assert.Equal(Math.Pow(10, 0.125), grid[1] / grid[0], 1e-12);
    }

    [Fact]
    public void Fewer_than_three_points_is_an_error_naming_the_file()
    {
        var ex = Assert.Throws<AnalysisException>(() => Drt.Compute(Make(w => 10 + Rc(w, 100, 1e-3), [1000, 100])));
        Assert.Equal("TOO_FEW_POINTS", ex.Code);
        Assert.Contains("synthetic", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_default_peak_window_is_minus_4_to_minus_2()
    {
        // A larger RC at τ = 30 ms (log10 τ = −1.52) lies outside −4…−2: the tracked peak is the 1 ms one.
        var d = Drt.Compute(Make(w => 10 + Rc(w, 100, 1e-3) + Rc(w, 300, 3e-2)));
        Assert.Equal(-3.0289, d.Peak!.GridLog10Tau, 1e-3);
        // Over −6…−1 both peaks are local maxima and the higher one (300 Ω) is tracked.
        var wide = Drt.Compute(Make(w => 20 + Rc(w, 100, 1e-5) + Rc(w, 300, 1e-2)), new DrtParameters { PeakWindow = (-6, -1) });
        Assert.Equal(-2, wide.Peak!.RefinedLog10Tau, 0.08);
    }

    [Fact]
    public void The_refined_peak_is_the_vertex_of_the_parabola_through_the_grid_maximum_and_its_neighbours()
    {
        // eis.md §6: δ = ½(R_{j−1} − R_{j+1})/(R_{j−1} − 2R_j + R_{j+1})·Δ, evaluated on the reported R_k.
        var d = Drt.Compute(Make(w => 10 + Zarc(w, 50, 1e-3, 0.8)));
        int j = Array.IndexOf(d.Log10Tau, d.Peak!.GridLog10Tau);
        var r = d.Resistance;
        double step = d.Log10Tau[1] - d.Log10Tau[0];
        double delta = 0.5 * (r[j - 1] - r[j + 1]) / (r[j - 1] - 2 * r[j] + r[j + 1]) * step;
        Assert.Equal(d.Log10Tau[j] + delta, d.Peak.RefinedLog10Tau, 1e-12);
        Assert.True(r[j] >= r[j - 1] && r[j] >= r[j + 1]);
        // The ZARC's single broad peak holds all of R_pol between its flanking minima.
        Close(d.PolarisationResistance, d.Peak.Area, 1e-9);
    }

    [Theory]
    [InlineData(-3.5, -3.1)] // the rising flank only: no local maximum inside
    [InlineData(-2.95, -2.5)] // the falling flank only
    public void A_window_on_one_flank_of_a_peak_has_no_peak(double from, double to)
    {
        Assert.Null(Drt.Compute(Make(w => 10 + Rc(w, 100, 1e-3)), new DrtParameters { PeakWindow = (from, to) }).Peak);
    }

    [Fact]
    public void Interphase_window_bounds_are_exclusive()
    {
        var d = Drt.Compute(Make(w => 10 + Rc(w, 100, 1e-3)));
        int a = 40, b = 60; // a window whose ends are grid points leaves both out
        var inner = Drt.Compute(Make(w => 10 + Rc(w, 100, 1e-3)), new DrtParameters { WindowFrom = d.Log10Tau[a], WindowTo = d.Log10Tau[b] });
        Assert.Equal(Enumerable.Range(a + 1, b - a - 1).Sum(k => d.Resistance[k]), inner.InterphaseResistance, 1e-12);
    }

    [Fact]
    public void The_cyclic_convention_shifts_the_peak_window_too()
    {
        // −2.8…−1.5 misses the peak at −3.03; shifted by −0.798 (−3.598…−2.298) it holds it.
        var spectrum = Make(w => 10 + Rc(w, 100, 1e-3));
        Assert.Null(Drt.Compute(spectrum, new DrtParameters { PeakWindow = (-2.8, -1.5) }).Peak);
        Assert.Equal(-3.0289, Drt.Compute(spectrum, new DrtParameters { PeakWindow = (-2.8, -1.5), Convention = TauWindowConvention.Cyclic }).Peak!.GridLog10Tau, 1e-3);
    }

    [Fact]
    public void Under_a_strong_penalty_each_order_keeps_only_what_it_does_not_penalise()
    {
        // λ = 10⁶ (far above the data's weight): order 0 drives R_k to 0; order 1 leaves a constant (its null space) and
        // so keeps R_pol while flattening the first differences; order 2 leaves a straight line and flattens the second.
        var spectrum = Make(w => 10 + Rc(w, 100, 1e-3));
        var zero = Drt.Compute(spectrum, new DrtParameters { Lambda = 1e6 });
        Assert.True(zero.PolarisationResistance < 0.05, $"order 0: R_pol {zero.PolarisationResistance}");
        foreach (int order in new[] { 1, 2 })
        {
            var d = Drt.Compute(spectrum, new DrtParameters { Lambda = 1e6, Order = order });
            Assert.True(d.PolarisationResistance > 50, $"order {order}: R_pol {d.PolarisationResistance}");
            double mean = d.Resistance.Average();
            for (int k = order; k < d.Resistance.Length; k++)
            {
                double difference = order == 1 ? d.Resistance[k] - d.Resistance[k - 1] : d.Resistance[k] - 2 * d.Resistance[k - 1] + d.Resistance[k - 2];
                Assert.True(Math.Abs(difference) < 0.01 * mean, $"order {order}, k = {k}: difference {difference}, mean {mean}");
            }
        }
    }

    [Fact]
    public void L_curve_picks_the_grid_lambda_of_largest_menger_curvature_of_the_fixed_lambda_solutions()
    {
        // The L-curve rebuilt from the public fixed-λ results: ‖Ax − b‖ = ‖Ẑ − Z‖/R_ref and ‖Γx‖ = ‖R‖/R_ref (order 0),
        // in logs; the curvature of each inner point is 4·(signed area)/(product of the triangle's sides).
        var clean = Make(w => 10 + Zarc(w, 50, 1e-3, 0.8));
        var noisy = clean with
        {
            ZReal = clean.ZReal.Select((v, i) => v * (1 + 0.01 * Math.Sin(7 * i))).ToArray(),
            ZImag = clean.ZImag.Select((v, i) => v * (1 + 0.01 * Math.Cos(5 * i))).ToArray(),
        };
        double rRef = Enumerable.Range(0, noisy.Count).Max(noisy.Modulus);
        var grid = Drt.LambdaGrid().ToArray();
        var points = grid.Select(l =>
        {
            var d = Drt.Compute(noisy, new DrtParameters { Lambda = l });
            double misfit = Math.Sqrt(Enumerable.Range(0, noisy.Count).Sum(i => Math.Pow(d.Residuals[i].Magnitude * noisy.Modulus(i), 2))) / rRef;
            double size = Math.Sqrt(d.Resistance.Sum(r => r * r)) / rRef;
            return (X: Math.Log(misfit), Y: Math.Log(size));
        }).ToArray();
        int best = 1;
        double bestCurvature = double.NegativeInfinity;
        for (int i = 1; i + 1 < points.Length; i++)
        {
            var (a, b, c) = (points[i - 1], points[i], points[i + 1]);
            double cross = (b.X - a.X) * (c.Y - a.Y) - (c.X - a.X) * (b.Y - a.Y);
            double curvature = 2 * cross / (Math.Sqrt(Math.Pow(b.X - a.X, 2) + Math.Pow(b.Y - a.Y, 2)) * Math.Sqrt(Math.Pow(c.X - b.X, 2) + Math.Pow(c.Y - b.Y, 2)) * Math.Sqrt(Math.Pow(c.X - a.X, 2) + Math.Pow(c.Y - a.Y, 2)));
            if (curvature > bestCurvature)
            {
                (best, bestCurvature) = (i, curvature);
            }
        }
        Assert.Equal(grid[best], Drt.Compute(noisy, new DrtParameters { Selection = LambdaSelection.LCurve }).Lambda);
    }
}
