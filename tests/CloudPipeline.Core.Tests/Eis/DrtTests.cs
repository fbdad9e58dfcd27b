using System.Numerics;
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
}
