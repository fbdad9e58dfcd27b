using MathNet.Numerics.LinearAlgebra;

namespace CloudPipeline.Core.Tests.Numerics;

/// <summary>
/// Residuals that leave a least-squares optimum where it is: any vector minus its projection on the columns of the
/// Jacobian, r = v − J(JᵀJ)⁻¹Jᵀv, so Jᵀr = 0 and the exact parameters stay the minimum of |model + r − model(p)|².
/// With them a fit's standard errors follow by hand: σ² = |r|²/(n − p), covariance σ²·(JᵀJ)⁻¹.
/// </summary>
internal static class OrthogonalResiduals
{
    /// <summary>The residuals <paramref name="scale"/>·(v − J(JᵀJ)⁻¹Jᵀv) and the matrix (JᵀJ)⁻¹.</summary>
    public static (Vector<double> Residuals, Matrix<double> JtJInverse) To(Matrix<double> jacobian, double[] any, double scale)
    {
        var v = Vector<double>.Build.DenseOfArray(any);
        var jtjInverse = jacobian.TransposeThisAndMultiply(jacobian).Inverse();
        return ((v - jacobian * (jtjInverse * jacobian.TransposeThisAndMultiply(v))) * scale, jtjInverse);
    }

    /// <summary>The standard error √(σ²·[(JᵀJ)⁻¹]ᵢᵢ) of parameter <paramref name="i"/>, σ² = |r|²/(n − p).</summary>
    public static double StandardError(Vector<double> residuals, Matrix<double> jtjInverse, int i) =>
        Math.Sqrt(residuals.DotProduct(residuals) / (residuals.Count - jtjInverse.RowCount) * jtjInverse[i, i]);
}
