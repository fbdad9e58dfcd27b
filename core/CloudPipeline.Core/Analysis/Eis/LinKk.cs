using Complex = System.Numerics.Complex;
using CloudPipeline.Core.Formats.Eis;
using MathNet.Numerics.LinearAlgebra;

namespace CloudPipeline.Core.Analysis.Eis;

/// <summary>Which part of the spectrum the Lin-KK resistances are fitted to.</summary>
public enum LinKkFit
{
    /// <summary>Real part (default), then L (and 1/C) on the imaginary residual.</summary>
    Real,

    /// <summary>Imaginary part, then R0 as the weighted mean real residual.</summary>
    Imaginary,

    /// <summary>Both parts at once (stacked normal equations).</summary>
    Complex,
}

/// <summary>Parameters of the Lin-KK test (eis spec §3), with its defaults.</summary>
public sealed record LinKkParameters
{
    /// <summary>μ threshold; the loop adds RC elements while μ &gt; c. Null: a fixed M = <see cref="MaxM"/>. Default 0.85.</summary>
    public double? C { get; init; } = 0.85;

    /// <summary>The largest number of RC elements. Default 50.</summary>
    public int MaxM { get; init; } = 50;

    /// <summary>Which part to fit. Default real.</summary>
    public LinKkFit Fit { get; init; } = LinKkFit.Real;

    /// <summary>Add a series capacitance. Default false.</summary>
    public bool AddCapacitance { get; init; }

    /// <summary>QC gate: the spectrum passes if every relative residual is below this. Default 0.03 (3 %).</summary>
    public double Gate { get; init; } = 0.03;
}

/// <summary>The Lin-KK result.</summary>
/// <param name="M">RC elements used.</param>
/// <param name="Mu">The μ criterion at M.</param>
/// <param name="Fitted">The KK-compliant model Ẑ at each point.</param>
/// <param name="ResidualReal">(Zre − Ẑre)/|Z|.</param>
/// <param name="ResidualImag">(Zim − Ẑim)/|Z|.</param>
/// <param name="Passed">True if max(|Δre|, |Δim|) &lt; the gate; otherwise the spectrum is flagged <c>KK_FAIL</c>.</param>
/// <param name="Parameters">The parameters used.</param>
public sealed record LinKkResult(int M, double Mu, Complex[] Fitted, double[] ResidualReal, double[] ResidualImag, bool Passed, LinKkParameters Parameters)
{
    /// <summary>The version recorded with results.</summary>
    public const string AlgorithmVersion = "eis-linkk@1.0.0";

    /// <summary>max |Δre|.</summary>
    public double MaxResidualReal => ResidualReal.Max(Math.Abs);

    /// <summary>max |Δim|.</summary>
    public double MaxResidualImag => ResidualImag.Max(Math.Abs);
}

/// <summary>
/// The Kramers–Kronig test of Schönleber et al. (2014): fit a KK-compliant chain of M RC elements with fixed,
/// log-spaced time constants by linear least squares, adding elements until over-fitting shows (μ ≤ c).
/// </summary>
public static class LinKk
{
    /// <summary>Runs the test.</summary>
    /// <exception cref="ArgumentException">Fewer than 3 points, or a non-positive frequency.</exception>
    public static LinKkResult Run(Spectrum spectrum, LinKkParameters? parameters = null)
    {
        var p = parameters ?? new LinKkParameters();
        EisValidation.RequireUsable(spectrum, minimumPoints: 3);
        int m = p.C is null ? p.MaxM : 1;
        // What does not depend on M is computed once for the whole M loop.
        var omega = spectrum.Frequency.Select(f => 2 * Math.PI * f).ToArray();
        var modulus = Enumerable.Range(0, spectrum.Count).Select(spectrum.Modulus).ToArray();
        while (true)
        {
            var (fitted, rc) = Fit(spectrum, omega, modulus, m, p);
            double mu = Mu(rc);
            if (p.C is null || mu <= p.C || m >= p.MaxM)
            {
                int n = spectrum.Count;
                var dre = new double[n];
                var dim = new double[n];
                for (int i = 0; i < n; i++)
                {
                    double mod = spectrum.Modulus(i);
                    dre[i] = (spectrum.ZReal[i] - fitted[i].Real) / mod;
                    dim[i] = (spectrum.ZImag[i] - fitted[i].Imaginary) / mod;
                }
                bool passed = Math.Max(dre.Max(Math.Abs), dim.Max(Math.Abs)) < p.Gate;
                return new LinKkResult(m, mu, fitted, dre, dim, passed, p);
            }
            m++;
        }
    }

    /// <summary>μ = 1 − Σ|R_k &lt; 0| / Σ|R_k ≥ 0| over the RC resistances; −∞ if none is ≥ 0.</summary>
    public static double Mu(IReadOnlyList<double> resistances)
    {
        double negative = resistances.Where(r => r < 0).Sum(Math.Abs);
        double positive = resistances.Where(r => r >= 0).Sum(Math.Abs);
        return positive == 0 ? double.NegativeInfinity : 1 - negative / positive;
    }

    /// <summary>The M time constants, log-spaced from 1/(2π f_max) to 1/(2π f_min) (M = 1: τ_max).</summary>
    public static double[] TimeConstants(IReadOnlyList<double> frequencies, int m)
    {
        double tauMin = 1 / (2 * Math.PI * frequencies.Max());
        double tauMax = 1 / (2 * Math.PI * frequencies.Min());
        if (m == 1)
        {
            return [tauMax];
        }
        var tau = new double[m];
        for (int k = 0; k < m; k++)
        {
            tau[k] = Math.Pow(10, Math.Log10(tauMin) + k / (double)(m - 1) * Math.Log10(tauMax / tauMin));
        }
        return tau;
    }

    private static (Complex[] Fitted, double[] Rc) Fit(Spectrum s, double[] omega, double[] modulus, int m, LinKkParameters p)
    {
        int n = s.Count;
        var tau = TimeConstants(s.Frequency, m);
        // Kernel of each RC element, 1/(1 + jωτ) = (1 − jωτ)/(1 + ω²τ²), once per M.
        var kre = new double[n, m];
        var kim = new double[n, m];
        for (int i = 0; i < n; i++)
        {
            for (int k = 0; k < m; k++)
            {
                double x = omega[i] * tau[k], d = 1 / (1 + x * x);
                kre[i, k] = d;
                kim[i, k] = -x * d;
            }
        }
        int extra = p.AddCapacitance ? 2 : 1; // L, and 1/C
        double r0, l, invC = 0;
        double[] rc;

        // Columns: [R0, R_1..R_M, L, (1/C)] on rows weighted by 1/|Z|; a block holds the columns a fit uses.
        Matrix<double> Real(int first, int count) => Matrix<double>.Build.Dense(n, count, (i, c) => (c + first) switch
        {
            0 => 1 / modulus[i],
            var col when col <= m => kre[i, col - 1] / modulus[i],
            _ => 0,
        });
        Matrix<double> Imaginary(int first, int count) => Matrix<double>.Build.Dense(n, count, (i, c) => (c + first) switch
        {
            0 => 0,
            var col when col <= m => kim[i, col - 1] / modulus[i],
            var col when col == m + 1 => omega[i] / modulus[i],
            _ => -1 / (omega[i] * modulus[i]),
        });
        var bre = Vector<double>.Build.Dense(n, i => s.ZReal[i] / modulus[i]);
        var bim = Vector<double>.Build.Dense(n, i => s.ZImag[i] / modulus[i]);

        switch (p.Fit)
        {
            case LinKkFit.Real:
            {
                var x = LeastSquaresMinimumNorm(Real(0, 1 + m), bre);
                r0 = x[0];
                rc = x.SubVector(1, m).ToArray();
                var residual = Vector<double>.Build.Dense(n, i =>
                {
                    double sum = 0;
                    for (int k = 0; k < m; k++)
                    {
                        sum += rc[k] * kim[i, k];
                    }
                    return (s.ZImag[i] - sum) / modulus[i];
                });
                var y = LeastSquaresMinimumNorm(Imaginary(1 + m, extra), residual);
                l = y[0];
                invC = p.AddCapacitance ? y[1] : 0;
                break;
            }
            case LinKkFit.Imaginary:
            {
                var x = LeastSquaresMinimumNorm(Imaginary(1, m + extra), bim);
                rc = x.SubVector(0, m).ToArray();
                l = x[m];
                invC = p.AddCapacitance ? x[m + 1] : 0;
                double weights = 0, sum = 0;
                for (int i = 0; i < n; i++)
                {
                    double w = 1 / (modulus[i] * modulus[i]), fittedRc = 0;
                    for (int k = 0; k < m; k++)
                    {
                        fittedRc += rc[k] * kre[i, k];
                    }
                    weights += w;
                    sum += w * (s.ZReal[i] - fittedRc);
                }
                r0 = sum / weights;
                break;
            }
            default:
            {
                var are = Real(0, 1 + m + extra);
                var aim = Imaginary(0, 1 + m + extra);
                var x = LeastSquaresMinimumNorm(are.TransposeThisAndMultiply(are) + aim.TransposeThisAndMultiply(aim), are.TransposeThisAndMultiply(bre) + aim.TransposeThisAndMultiply(bim));
                r0 = x[0];
                rc = x.SubVector(1, m).ToArray();
                l = x[m + 1];
                invC = p.AddCapacitance ? x[m + 2] : 0;
                break;
            }
        }

        var fitted = new Complex[n];
        for (int i = 0; i < n; i++)
        {
            double re = r0, im = omega[i] * l - invC / omega[i];
            for (int k = 0; k < m; k++)
            {
                re += rc[k] * kre[i, k];
                im += rc[k] * kim[i, k];
            }
            fitted[i] = new Complex(re, im);
        }
        return (fitted, rc);
    }

    /// <summary>
    /// The minimum-norm least-squares solution with numpy's pinv cut-off (singular values below 1e-15 · s_max
    /// dropped). A tall system goes through a thin QR first (A = QR): where R is clearly of full rank (its smallest
    /// diagonal element above 1e-10 of its largest, so no singular value comes near the cut-off), the solution is
    /// unique and the QR gives it; otherwise the SVD of the small R (A's singular values and right vectors, without
    /// A's n×n left vectors) drops what pinv drops. A square or wide system goes to the SVD directly.
    /// </summary>
    internal static Vector<double> LeastSquaresMinimumNorm(Matrix<double> a, Vector<double> b)
    {
        var (small, rhs) = (a, b);
        if (a.RowCount > a.ColumnCount)
        {
            var qr = a.QR(MathNet.Numerics.LinearAlgebra.Factorization.QRMethod.Thin);
            if (FullRank(qr.R))
            {
                return qr.Solve(b);
            }
            (small, rhs) = (qr.R, qr.Q.TransposeThisAndMultiply(b));
        }
        var svd = small.Svd(computeVectors: true);
        var s = svd.S;
        double cutoff = 1e-15 * s.Maximum();
        var utb = svd.U.TransposeThisAndMultiply(rhs);
        var x = Vector<double>.Build.Dense(a.ColumnCount);
        for (int i = 0; i < s.Count; i++)
        {
            if (s[i] > cutoff)
            {
                x += svd.VT.Row(i) * (utb[i] / s[i]);
            }
        }
        return x;
    }

    /// <summary>True for an upper-triangular <paramref name="r"/> whose diagonal spans less than ten decades.</summary>
    private static bool FullRank(Matrix<double> r)
    {
        double largest = 0, smallest = double.PositiveInfinity;
        for (int i = 0; i < r.RowCount; i++)
        {
            double d = Math.Abs(r[i, i]);
            largest = Math.Max(largest, d);
            smallest = Math.Min(smallest, d);
        }
        return largest > 0 && smallest > 1e-10 * largest;
    }
}
