using MathNet.Numerics.LinearAlgebra;

namespace CloudPipeline.Core.Numerics;

/// <summary>
/// min ‖Ax − b‖ subject to x ≥ 0 by the Lawson–Hanson active-set method (1974): unconstrained least squares on
/// the passive set, stepping back to the boundary whenever a passive variable would turn negative.
/// </summary>
public static class NonNegativeLeastSquares
{
    /// <summary>Solves the problem; converges in finitely many steps (capped at 3·columns outer iterations).</summary>
    public static Vector<double> Solve(Matrix<double> a, Vector<double> b)
    {
        int n = a.ColumnCount;
        var x = Vector<double>.Build.Dense(n);
        var passive = new bool[n];
        double tolerance = 10 * double.Epsilon * a.L1Norm() * Math.Max(a.RowCount, n);
        tolerance = Math.Max(tolerance, 1e-14 * a.L1Norm());
        var w = a.TransposeThisAndMultiply(b - a * x);
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
                var s = SolvePassive(a, b, passive);
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
            w = a.TransposeThisAndMultiply(b - a * x);
        }
        return x;
    }

    private static Vector<double> SolvePassive(Matrix<double> a, Vector<double> b, bool[] passive)
    {
        var columns = Enumerable.Range(0, passive.Length).Where(j => passive[j]).ToArray();
        var sub = Matrix<double>.Build.Dense(a.RowCount, columns.Length, (i, k) => a[i, columns[k]]);
        var solution = sub.QR().Solve(b);
        var s = Vector<double>.Build.Dense(passive.Length);
        for (int k = 0; k < columns.Length; k++)
        {
            s[columns[k]] = solution[k];
        }
        return s;
    }
}
