using MathNet.Numerics.LinearAlgebra;

namespace CloudPipeline.Core.Numerics;

/// <summary>
/// GCV(λ) = n·‖(I − H)b‖²/(n − tr H)² with H = A(AᵀA + λPᵀP)⁻¹Aᵀ of the unconstrained problem, for any number of λ
/// from one factorisation. With LLᵀ = AᵀA + PᵀP (positive definite when A determines every
/// direction that P leaves free) and the eigendecomposition L⁻¹AᵀAL⁻ᵀ = U·diag(s)·Uᵀ (0 ≤ s ≤ 1), L⁻¹PᵀPL⁻ᵀ = U·diag(1 − s)·Uᵀ, so
/// AᵀA + λPᵀP = LU·diag(d)·UᵀLᵀ with d = s + λ(1 − s). With g = UᵀL⁻¹Aᵀb, tr H = Σ s/d and
/// ‖b − Ax‖² = ‖b‖² − Σ g²(2/d − s/d²): each λ costs O(columns) instead of a factorisation.
/// </summary>
public sealed class TikhonovGcv
{
    private readonly double[] _s;
    private readonly double[] _g2;
    private readonly double _bb;
    private readonly int _n;

    /// <summary>Factorises once for the design <paramref name="a"/>, data <paramref name="b"/> and penalty <paramref name="penalty"/> (AᵀA + PᵀP must be positive definite).</summary>
    public TikhonovGcv(Matrix<double> a, Vector<double> b, Matrix<double> penalty)
    {
        var gram = a.TransposeThisAndMultiply(a);
        var lowerInverse = (gram + penalty.TransposeThisAndMultiply(penalty)).Cholesky().Factor.Inverse();
        var k = lowerInverse * gram.TransposeAndMultiply(lowerInverse);
        var evd = ((k + k.Transpose()) * 0.5).Evd(Symmetricity.Symmetric);
        var g = evd.EigenVectors.TransposeThisAndMultiply(lowerInverse * a.TransposeThisAndMultiply(b));
        _s = evd.EigenValues.Select(e => Math.Clamp(e.Real, 0, 1)).ToArray();
        _g2 = g.Select(v => v * v).ToArray();
        _bb = b.DotProduct(b);
        _n = b.Count;
    }

    /// <summary>GCV at one λ.</summary>
    public double At(double lambda)
    {
        double trace = 0, residual = _bb;
        for (int i = 0; i < _s.Length; i++)
        {
            double d = _s[i] + lambda * (1 - _s[i]);
            trace += _s[i] / d;
            residual -= _g2[i] * (2 / d - _s[i] / (d * d));
        }
        return _n * Math.Max(residual, 0) / ((_n - trace) * (_n - trace));
    }

    /// <summary>The λ of the grid with the smallest GCV.</summary>
    public double Minimum(IEnumerable<double> grid) => grid.MinBy(At);
}
