using MathNet.Numerics.LinearAlgebra;

namespace CloudPipeline.Core.Numerics;

/// <summary>
/// min ‖Ax − b‖ subject to x ≥ 0 by the Lawson–Hanson active-set method (1974): unconstrained least squares on
/// the passive set, stepping back to the boundary whenever a passive variable would turn negative. As in Bro and
/// de Jong's fast variant (1997), AᵀA and Aᵀb are formed once and each passive-set solve is a Cholesky
/// factorisation of a small block of AᵀA, so the cost no longer grows with the number of rows.
/// </summary>
public static class NonNegativeLeastSquares
{
    /// <summary>Solves the problem; converges in finitely many steps (capped at 3·columns outer iterations).</summary>
    public static Vector<double> Solve(Matrix<double> a, Vector<double> b)
    {
        int n = a.ColumnCount;
        var ata = a.TransposeThisAndMultiply(a);
        var atb = a.TransposeThisAndMultiply(b);
        var x = Vector<double>.Build.Dense(n);
        var passive = new bool[n];
        double tolerance = 1e-14 * a.L1Norm();
        var w = atb - ata * x;
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
                var s = SolvePassive(ata, atb, passive);
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
                    x = s;
                    break;
                }
                if (double.IsInfinity(alpha))
                {
                    alpha = 0;
                }
                x += alpha * (s - x);
                for (int j = 0; j < n; j++)
                {
                    if (passive[j] && x[j] <= tolerance)
                    {
                        passive[j] = false;
                        x[j] = 0;
                    }
                }
            }
            w = atb - ata * x;
        }
        return x;
    }

    private static Vector<double> SolvePassive(Matrix<double> ata, Vector<double> atb, bool[] passive)
    {
        var columns = Enumerable.Range(0, passive.Length).Where(j => passive[j]).ToArray();
        var block = Matrix<double>.Build.Dense(columns.Length, columns.Length, (r, c) => ata[columns[r], columns[c]]);
        var rhs = Vector<double>.Build.Dense(columns.Length, r => atb[columns[r]]);
        Vector<double> solution;
        try
        {
            solution = block.Cholesky().Solve(rhs);
        }
        catch (ArgumentException)
        {
            solution = block.Svd().Solve(rhs); // a rank-deficient passive set: fall back to the SVD
        }
        var s = Vector<double>.Build.Dense(passive.Length);
        for (int k = 0; k < columns.Length; k++)
        {
            s[columns[k]] = solution[k];
        }
        return s;
    }
}
