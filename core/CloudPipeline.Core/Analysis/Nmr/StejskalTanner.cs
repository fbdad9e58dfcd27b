using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace CloudPipeline.Core.Analysis.Nmr;

/// <summary>Gyromagnetic ratios γ (rad s⁻¹ T⁻¹) for PFG.</summary>
public static class Gyromagnetic
{
    /// <summary>¹⁹F: 2π·40.078 MHz/T.</summary>
    public const double F19 = 2 * Math.PI * 40.078e6;

    /// <summary>⁷Li: 2π·16.546 MHz/T.</summary>
    public const double Li7 = 2 * Math.PI * 16.546e6;

    /// <summary>¹H: 2π·42.577 MHz/T.</summary>
    public const double H1 = 2 * Math.PI * 42.577e6;
}

/// <summary>A Stejskal–Tanner fit.</summary>
/// <param name="DiffusionM2PerS">D (m²/s).</param>
/// <param name="DiffusionSe">SE of D.</param>
/// <param name="S0">Fitted S₀.</param>
/// <param name="S0Se">SE of S₀.</param>
/// <param name="B">b-values (s/m²).</param>
/// <param name="Residuals">S − fit per step.</param>
/// <param name="QuadraticT">t-statistic of a quadratic term in ln S vs b.</param>
/// <param name="Flags"><c>non_monoexponential</c> when |t| &gt; 3.</param>
public sealed record DiffusionFit(double DiffusionM2PerS, double DiffusionSe, double S0, double S0Se, double[] B, double[] Residuals, double QuadraticT, IReadOnlyList<string> Flags)
{
    /// <summary>The version recorded with results.</summary>
    public const string AlgorithmVersion = "pfg-stejskal-tanner@1.0.0";
}

/// <summary>
/// Pulsed-field-gradient diffusion (nmr spec §6): <c>S(g) = S₀·exp(−γ²g²δ²(Δ − δ/3)·D)</c> (rectangular pulses),
/// fitted by Levenberg–Marquardt on linear intensities.
/// </summary>
public static class StejskalTanner
{
    /// <summary>b = γ²g²δ²(Δ − δ/3) (s/m²) for g in T/m, δ and Δ in s.</summary>
    public static double B(double gradientTPerM, double deltaSmall, double deltaBig, double gamma) =>
        gamma * gamma * gradientTPerM * gradientTPerM * deltaSmall * deltaSmall * (deltaBig - deltaSmall / 3);

    /// <summary>Fits S₀ and D.</summary>
    /// <param name="gradientsTPerM">Gradient strengths (T/m; 1 G/cm = 0.01 T/m), after calibration.</param>
    /// <param name="intensities">Integrated intensities, one per gradient.</param>
    /// <param name="deltaSmall">Gradient pulse length δ (s).</param>
    /// <param name="deltaBig">Diffusion time Δ (s).</param>
    /// <param name="gamma">γ (rad s⁻¹ T⁻¹).</param>
    /// <exception cref="AnalysisException">Fewer than 3 steps, or lengths that differ.</exception>
    public static DiffusionFit Fit(IReadOnlyList<double> gradientsTPerM, IReadOnlyList<double> intensities, double deltaSmall, double deltaBig, double gamma)
    {
        ArgumentNullException.ThrowIfNull(gradientsTPerM);
        ArgumentNullException.ThrowIfNull(intensities);
        if (gradientsTPerM.Count != intensities.Count || gradientsTPerM.Count < 3)
        {
            throw new AnalysisException("PFG_TOO_FEW_STEPS", $"A Stejskal–Tanner fit needs at least 3 gradient steps with one intensity each; got {gradientsTPerM.Count} gradients and {intensities.Count} intensities.");
        }
        var b = gradientsTPerM.Select(g => B(g, deltaSmall, deltaBig, gamma)).ToArray();
        var s = intensities.ToArray();
        // Start from the log-linear fit of the points above 5 % of the first.
        double bScale = b.Max();
        var positive = Enumerable.Range(0, s.Length).Where(i => s[i] > 0.05 * s.Max()).ToArray();
        var (lnS0, slope) = MathNet.Numerics.Fit.Line(positive.Select(i => b[i] / bScale).ToArray(), positive.Select(i => Math.Log(s[i])).ToArray());
        // Parameters: S₀ and D·bScale (order 1), so the minimiser works on comparable scales.
        Vector<double> Model(Vector<double> p, Vector<double> x) => Vector<double>.Build.Dense(x.Count, i => p[0] * Math.Exp(-p[1] * x[i]));
        Matrix<double> Jacobian(Vector<double> p, Vector<double> x) => Matrix<double>.Build.Dense(x.Count, 2, (i, j) =>
            j == 0 ? Math.Exp(-p[1] * x[i]) : -p[0] * x[i] * Math.Exp(-p[1] * x[i]));
        var xv = Vector<double>.Build.Dense(b.Select(v => v / bScale).ToArray());
        var objective = ObjectiveFunction.NonlinearModel(Model, Jacobian, xv, Vector<double>.Build.Dense(s));
        var result = new LevenbergMarquardtMinimizer(gradientTolerance: 1e-18, stepTolerance: 1e-15, functionTolerance: 1e-18, maximumIterations: 1000)
            .FindMinimum(objective, Vector<double>.Build.Dense([Math.Exp(lnS0), Math.Max(-slope, 1e-6)]));
        var p = result.MinimizingPoint;
        var fit = Model(p, xv);
        var residuals = s.Select((v, i) => v - fit[i]).ToArray();
        double sigma2 = residuals.Sum(r => r * r) / Math.Max(1, s.Length - 2);
        var j = Jacobian(p, xv);
        double[] se;
        try
        {
            var cov = j.TransposeThisAndMultiply(j).Inverse() * sigma2;
            se = [Math.Sqrt(Math.Max(0, cov[0, 0])), Math.Sqrt(Math.Max(0, cov[1, 1]))];
        }
        catch (ArgumentException)
        {
            se = [double.NaN, double.NaN];
        }
        double t = QuadraticT(b, s, bScale);
        var flags = Math.Abs(t) > 3 ? new[] { "non_monoexponential" } : [];
        return new DiffusionFit(p[1] / bScale, se[1] / bScale, p[0], se[0], b, residuals, t, flags);
    }

    // t-statistic of c₂ in ln S = c₀ + c₁·b + c₂·b² (points with S > 0).
    private static double QuadraticT(double[] b, double[] s, double bScale)
    {
        var idx = Enumerable.Range(0, s.Length).Where(i => s[i] > 0).ToArray();
        if (idx.Length < 4)
        {
            return 0;
        }
        // Stryker disable once Arithmetic : equivalent mutant: the t statistic of c₂ does not depend on the unit of b.
        var design = Matrix<double>.Build.Dense(idx.Length, 3, (r, c) => Math.Pow(b[idx[r]] / bScale, c));
        var y = Vector<double>.Build.Dense(idx.Length, r => Math.Log(s[idx[r]]));
        var coefficients = design.QR().Solve(y);
        var residual = y - design * coefficients;
        double sigma2 = residual.DotProduct(residual) / (idx.Length - 3);
        if (sigma2 == 0)
        {
            return 0;
        }
        var cov = design.TransposeThisAndMultiply(design).Inverse() * sigma2;
        return coefficients[2] / Math.Sqrt(cov[2, 2]);
    }
}
