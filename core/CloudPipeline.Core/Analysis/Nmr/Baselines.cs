using MathNet.Numerics.LinearAlgebra;

namespace CloudPipeline.Core.Analysis.Nmr;

/// <summary>Baseline estimates (spec §2 step 8). Each returns the baseline; the caller subtracts it.</summary>
public static class Baselines
{
    /// <summary>Points IModPoly iterates on; longer spectra are block-averaged to this.</summary>
    public const int BaselinePoints = 4096;

    /// <summary>Least-squares polynomial (abscissa scaled to [−1, 1] along the index) through the points <paramref name="signalFree"/> marks.</summary>
    /// <exception cref="ArgumentException">Fewer signal-free points than coefficients, or a degree outside 0–5.</exception>
    public static double[] RegionPolynomial(IReadOnlyList<double> y, IReadOnlyList<bool> signalFree, int degree = 3)
    {
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(signalFree);
        var indices = Enumerable.Range(0, y.Count).Where(i => signalFree[i]).ToArray();
        var coefficients = FitPolynomial(y, indices, degree);
        return Evaluate(coefficients, y.Count);
    }

    /// <summary>
    /// IModPoly: fit a polynomial to all points, σ = std of the residual, clip the data to fit + σ, refit; stop when σ
    /// changes by less than 0.1 % (at most 200 iterations).
    /// </summary>
    public static double[] IModPoly(IReadOnlyList<double> y, int degree = 3, int maxIterations = 200)
    {
        ArgumentNullException.ThrowIfNull(y);
        int n = y.Count;
        // A polynomial of degree ≤ 5 is smooth on the scale of blocks of n/4096 points: above 4096 points the iteration
        // runs on block means (each at its block's centre) and the polynomial is evaluated at every point.
        int block = Math.Max(1, n / BaselinePoints);
        int m = n / block;
        var centres = new double[m];
        var work = new double[m];
        for (int j = 0; j < m; j++)
        {
            double sum = 0;
            for (int i = 0; i < block; i++)
            {
                sum += y[j * block + i];
            }
            work[j] = sum / block;
            centres[j] = n == 1 ? 0 : 2.0 * (j * block + (block - 1) / 2.0) / (n - 1) - 1;
        }
        // The abscissa is fixed, so the fit is factorised once (the shared PolynomialSmoother): each iteration is two passes.
        var smoother = new Numerics.PolynomialSmoother(centres, degree);
        var fit = new double[m];
        double previous = double.NaN;
        for (int iteration = 0; iteration < maxIterations; iteration++)
        {
            smoother.Smooth(work, fit);
            double residualSum = 0, residualSum2 = 0;
            for (int i = 0; i < m; i++)
            {
                double r = work[i] - fit[i];
                residualSum += r;
                residualSum2 += r * r;
            }
            double sigma = Math.Sqrt(Math.Max(0, residualSum2 / m - (residualSum / m) * (residualSum / m)));
            if (Math.Abs(sigma - previous) < 1e-3 * Math.Abs(previous))
            {
                break;
            }
            previous = sigma;
            for (int i = 0; i < m; i++)
            {
                work[i] = Math.Min(work[i], fit[i] + sigma);
            }
        }
        // The fitted values are a polynomial of the degree: its coefficients, to evaluate it at every point.
        var coefficients = Design(centres, degree).QR().Solve(Vector<double>.Build.Dense(fit)).ToArray();
        return Evaluate(coefficients, n);
    }

    /// <summary>
    /// Asymmetric least squares (Whittaker smoother): minimise Σ wᵢ(yᵢ − zᵢ)² + λ·Σ(Δ²zᵢ)², wᵢ = p above the baseline and
    /// 1 − p below, 15 reweighting passes, each a pentadiagonal solve of (W + λDᵀD)z = Wy.
    /// </summary>
    public static double[] AsymmetricLeastSquares(IReadOnlyList<double> y, double lambda = 1e6, double p = 0.001, int passes = 15)
    {
        ArgumentNullException.ThrowIfNull(y);
        int n = y.Count;
        var w = Enumerable.Repeat(1.0, n).ToArray();
        var z = new double[n];
        // DᵀD of the second difference: a symmetric pentadiagonal matrix with bands d0, d1, d2.
        var d0 = new double[n];
        var d1 = new double[n];
        var d2 = new double[n];
        for (int i = 0; i + 2 < n; i++)
        {
            // Row i of D is (1, −2, 1) at columns i, i+1, i+2.
            int[] c = [i, i + 1, i + 2];
            double[] v = [1, -2, 1];
            for (int a = 0; a < 3; a++)
            {
                for (int b = a; b < 3; b++)
                {
                    double product = lambda * v[a] * v[b];
                    switch (b - a)
                    {
                        case 0: d0[c[a]] += product; break;
                        case 1: d1[c[a]] += product; break;
                        default: d2[c[a]] += product; break;
                    }
                }
            }
        }
        var diag = new double[n];
        var rhs = new double[n];
        for (int pass = 0; pass < passes; pass++)
        {
            for (int i = 0; i < n; i++)
            {
                diag[i] = d0[i] + w[i];
                rhs[i] = w[i] * y[i];
            }
            SolvePentadiagonal(diag, d1, d2, rhs, z);
            for (int i = 0; i < n; i++)
            {
                w[i] = y[i] > z[i] ? p : 1 - p;
            }
        }
        return z;
    }

    // LDLᵀ of a symmetric positive-definite pentadiagonal matrix (diagonal a, first off-diagonal b, second c).
    private static void SolvePentadiagonal(double[] a, double[] b, double[] c, double[] rhs, double[] x)
    {
        int n = a.Length;
        var d = new double[n];
        var l1 = new double[n];
        var l2 = new double[n];
        for (int i = 0; i < n; i++)
        {
            // L[i, i−1] = l1[i], L[i, i−2] = l2[i]
            double li2 = i >= 2 ? c[i - 2] / d[i - 2] : 0;
            double li1 = i >= 1 ? (b[i - 1] - (i >= 2 ? li2 * d[i - 2] * l1[i - 1] : 0)) / d[i - 1] : 0;
            l2[i] = li2;
            l1[i] = li1;
            d[i] = a[i] - (i >= 1 ? li1 * li1 * d[i - 1] : 0) - (i >= 2 ? li2 * li2 * d[i - 2] : 0);
        }
        for (int i = 0; i < n; i++)
        {
            x[i] = rhs[i] - (i >= 1 ? l1[i] * x[i - 1] : 0) - (i >= 2 ? l2[i] * x[i - 2] : 0);
        }
        for (int i = 0; i < n; i++)
        {
            x[i] /= d[i];
        }
        for (int i = n - 1; i >= 0; i--)
        {
            x[i] -= (i + 1 < n ? l1[i + 1] * x[i + 1] : 0) + (i + 2 < n ? l2[i + 2] * x[i + 2] : 0);
        }
    }

    private static double Scaled(int i, int n) => n == 1 ? 0 : 2.0 * i / (n - 1) - 1;

    private static double[] FitPolynomial(IReadOnlyList<double> y, int[] indices, int degree)
    {
        if (degree is < 0 or > 5)
        {
            throw new ArgumentException($"The baseline degree must be 0–5, not {degree}.", nameof(degree));
        }
        if (indices.Length <= degree)
        {
            throw new ArgumentException($"A degree-{degree} baseline needs more than {degree} signal-free points; {indices.Length} given.", nameof(indices));
        }
        var design = Design(indices.Select(i => Scaled(i, y.Count)).ToArray(), degree);
        var values = Vector<double>.Build.Dense(indices.Length, r => y[indices[r]]);
        return design.QR().Solve(values).ToArray();
    }

    private static Matrix<double> Design(double[] abscissae, int degree)
    {
        var design = Matrix<double>.Build.Dense(abscissae.Length, degree + 1);
        for (int r = 0; r < abscissae.Length; r++)
        {
            double u = abscissae[r], power = 1;
            for (int c = 0; c <= degree; c++)
            {
                design[r, c] = power;
                power *= u;
            }
        }
        return design;
    }

    private static double[] Evaluate(double[] coefficients, int n)
    {
        var result = new double[n];
        for (int i = 0; i < n; i++)
        {
            double u = Scaled(i, n), v = 0;
            for (int c = coefficients.Length - 1; c >= 0; c--)
            {
                v = v * u + coefficients[c];
            }
            result[i] = v;
        }
        return result;
    }
}
