using CloudPipeline.Core.Numerics;
using MathNet.Numerics.LinearAlgebra;
using Xunit;

namespace CloudPipeline.Core.Tests.Numerics;

/// <summary>The one-factorisation GCV curve against its definition, evaluated with a fresh solve per λ.</summary>
public sealed class TikhonovGcvTests
{
    /// <summary>GCV(λ) = n‖b − Ax‖²/(n − tr H)², x = (AᵀA + λPᵀP)⁻¹Aᵀb, H = A(AᵀA + λPᵀP)⁻¹Aᵀ.</summary>
    private static double Definition(Matrix<double> a, Vector<double> b, Matrix<double> p, double lambda)
    {
        var normal = a.TransposeThisAndMultiply(a) + p.TransposeThisAndMultiply(p) * lambda;
        var x = normal.Solve(a.TransposeThisAndMultiply(b));
        double trace = (a * normal.Inverse() * a.Transpose()).Trace();
        double r = (b - a * x).L2Norm();
        return b.Count * r * r / ((b.Count - trace) * (b.Count - trace));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Matches_the_definition_at_every_lambda(int order)
    {
        // 40 rows, 8 columns; column 0 unpenalised (like R∞), the rest carry an order-0/1/2 stencil. Smooth, badly
        // conditioned columns (exponentials of neighbouring rates), as a DRT kernel has.
        var random = new Random(7);
        var a = Matrix<double>.Build.Dense(40, 8, (i, j) => j == 0 ? 1 : Math.Exp(-i * 0.05 * j) + 0.01 * random.NextDouble());
        var b = Vector<double>.Build.Dense(40, i => 2 + Math.Exp(-i * 0.12) + 0.02 * (random.NextDouble() - 0.5));
        double[] stencil = order switch { 0 => [1], 1 => [-1, 1], _ => [1, -2, 1] };
        var p = Matrix<double>.Build.Dense(7 - order, 8, (r, c) => c - 1 - r is var s && s >= 0 && s < stencil.Length ? stencil[s] : 0);
        var gcv = new TikhonovGcv(a, b, p);
        foreach (double lambda in new[] { 1e-6, 1e-4, 1e-2, 0.3, 1, 10 })
        {
            double expected = Definition(a, b, p, lambda);
            Assert.True(Math.Abs(gcv.At(lambda) - expected) <= 1e-6 * expected, $"order {order}, λ {lambda}: {gcv.At(lambda):R} vs {expected:R}");
        }
    }
}
