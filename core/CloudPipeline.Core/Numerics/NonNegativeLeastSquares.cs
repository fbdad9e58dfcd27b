using MathNet.Numerics.LinearAlgebra;

namespace CloudPipeline.Core.Numerics;

/// <summary>
/// min ‖Ax − b‖ subject to x ≥ 0 by the Lawson–Hanson active-set method (1974): unconstrained least squares on
/// the passive set, stepping back to the boundary whenever a passive variable would turn negative. As in Bro and
/// de Jong's fast variant (1997), AᵀA and Aᵀb are formed once and each passive-set solve is a Cholesky
/// factorisation of a small block of AᵀA (on plain arrays, reused across iterations), so the cost no longer grows
/// with the number of rows.
/// </summary>
public static class NonNegativeLeastSquares
{
    /// <summary>
    /// Solves the problem given by its normal equations AᵀA and Aᵀb (see <see cref="Gram"/> and
    /// <see cref="TransposeTimes"/>); <paramref name="tolerance"/> is the threshold below which a gradient or value
    /// counts as 0. Converges in finitely many steps (capped at 3·columns outer iterations).
    /// </summary>
    public static double[] SolveNormal(double[,] ata, double[] atb, double tolerance)
    {
        int n = atb.Length;
        var x = new double[n];
        var s = new double[n];
        var w = new double[n];
        var passive = new bool[n];
        var workspace = new Workspace(n);
        Gradient(ata, atb, x, w);
        for (int outer = 0; outer < 3 * n; outer++)
        {
            int t = -1;
            double best = tolerance;
            for (int j = 0; j < n; j++)
            {
                if (!passive[j] && w[j] > best)
                {
                    best = w[j];
                    t = j;
                }
            }
            if (t < 0)
            {
                break;
            }
            passive[t] = true;
            while (true)
            {
                workspace.SolvePassive(ata, atb, passive, s);
                bool feasible = true;
                double alpha = double.PositiveInfinity;
                for (int j = 0; j < n; j++)
                {
                    if (passive[j] && s[j] <= 0)
                    {
                        feasible = false;
                        double denominator = x[j] - s[j];
                        if (denominator > 0)
                        {
                            alpha = Math.Min(alpha, x[j] / denominator);
                        }
                    }
                }
                if (feasible)
                {
                    Array.Copy(s, x, n);
                    break;
                }
                if (double.IsInfinity(alpha))
                {
                    alpha = 0;
                }
                for (int j = 0; j < n; j++)
                {
                    x[j] += alpha * (s[j] - x[j]);
                    if (passive[j] && x[j] <= tolerance)
                    {
                        passive[j] = false;
                        x[j] = 0;
                    }
                }
            }
            Gradient(ata, atb, x, w);
        }
        return x;
    }

    /// <summary>AᵀA of a column-major matrix (rows × columns), using SIMD dot products and symmetry.</summary>
    public static double[,] Gram(double[] columnMajor, int rows, int columns)
    {
        var gram = new double[columns, columns];
        for (int i = 0; i < columns; i++)
        {
            var ci = columnMajor.AsSpan(i * rows, rows);
            for (int j = 0; j <= i; j++)
            {
                double dot = Dot(ci, columnMajor.AsSpan(j * rows, rows));
                gram[i, j] = dot;
                gram[j, i] = dot;
            }
        }
        return gram;
    }

    /// <summary>Aᵀb of a column-major matrix.</summary>
    public static double[] TransposeTimes(double[] columnMajor, int rows, int columns, ReadOnlySpan<double> b)
    {
        var result = new double[columns];
        for (int i = 0; i < columns; i++)
        {
            result[i] = Dot(columnMajor.AsSpan(i * rows, rows), b);
        }
        return result;
    }

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        int width = System.Numerics.Vector<double>.Count, i = 0;
        var acc = System.Numerics.Vector<double>.Zero;
        for (; i <= a.Length - width; i += width)
        {
            acc += new System.Numerics.Vector<double>(a.Slice(i, width)) * new System.Numerics.Vector<double>(b.Slice(i, width));
        }
        double sum = System.Numerics.Vector.Sum(acc);
        for (; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }
        return sum;
    }

    /// <summary>w = Aᵀb − AᵀA·x.</summary>
    private static void Gradient(double[,] ata, double[] atb, double[] x, double[] w)
    {
        int n = atb.Length;
        for (int i = 0; i < n; i++)
        {
            double sum = atb[i];
            for (int j = 0; j < n; j++)
            {
                sum -= ata[i, j] * x[j];
            }
            w[i] = sum;
        }
    }

    /// <summary>Buffers for the passive-set solves, allocated once per problem.</summary>
    private sealed class Workspace(int n)
    {
        private readonly int[] _index = new int[n];
        private readonly double[] _l = new double[n * n];
        private readonly double[] _y = new double[n];

        /// <summary>s_P = (AᵀA)_PP⁻¹ (Aᵀb)_P by Cholesky, s_Z = 0; a rank-deficient block falls back to the SVD.</summary>
        public void SolvePassive(double[,] ata, double[] atb, bool[] passive, double[] s)
        {
            int m = 0;
            for (int j = 0; j < passive.Length; j++)
            {
                s[j] = 0;
                if (passive[j])
                {
                    _index[m++] = j;
                }
            }
            // Cholesky L·Lᵀ of the m×m block, row-major in _l.
            for (int r = 0; r < m; r++)
            {
                for (int c = 0; c <= r; c++)
                {
                    double sum = ata[_index[r], _index[c]];
                    for (int k = 0; k < c; k++)
                    {
                        sum -= _l[r * m + k] * _l[c * m + k];
                    }
                    if (r == c)
                    {
                        if (sum <= 1e-300)
                        {
                            SolveBySvd(ata, atb, m, s);
                            return;
                        }
                        _l[r * m + r] = Math.Sqrt(sum);
                    }
                    else
                    {
                        _l[r * m + c] = sum / _l[c * m + c];
                    }
                }
            }
            for (int r = 0; r < m; r++)
            {
                double sum = atb[_index[r]];
                for (int k = 0; k < r; k++)
                {
                    sum -= _l[r * m + k] * _y[k];
                }
                _y[r] = sum / _l[r * m + r];
            }
            for (int r = m - 1; r >= 0; r--)
            {
                double sum = _y[r];
                for (int k = r + 1; k < m; k++)
                {
                    sum -= _l[k * m + r] * s[_index[k]];
                }
                s[_index[r]] = sum / _l[r * m + r];
            }
        }

        private void SolveBySvd(double[,] ata, double[] atb, int m, double[] s)
        {
            var block = Matrix<double>.Build.Dense(m, m, (r, c) => ata[_index[r], _index[c]]);
            var solution = block.Svd().Solve(Vector<double>.Build.Dense(m, r => atb[_index[r]]));
            for (int k = 0; k < m; k++)
            {
                s[_index[k]] = solution[k];
            }
        }
    }
}
