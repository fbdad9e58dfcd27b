using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace CloudPipeline.Core.Numerics;

/// <summary>
/// Replaces samples by their least-squares polynomial fit on a fixed abscissa. The abscissa is centred and
/// scaled to [−1, 1] and factorised once by a thin QR decomposition, so each fit is two small products
/// (fitted = Q·Qᵀ·y) and raw powers such as t³ ≈ 1e13 never reach the solver.
/// </summary>
public sealed class PolynomialSmoother
{
    private readonly double[] _q; // column-major n × p
    private readonly int _terms;

    /// <summary>Prepares fits of the given order on the abscissa.</summary>
    /// <exception cref="ArgumentException">Fewer samples than coefficients.</exception>
    public PolynomialSmoother(ReadOnlySpan<double> abscissa, int order)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(order);
        int n = abscissa.Length;
        if (n < order + 1)
        {
            throw new ArgumentException($"A polynomial of order {order} needs at least {order + 1} samples; got {n}.", nameof(abscissa));
        }
        double min = double.MaxValue, max = double.MinValue;
        foreach (var x in abscissa)
        {
            min = Math.Min(min, x);
            max = Math.Max(max, x);
        }
        double centre = 0.5 * (min + max);
        double half = max > min ? 0.5 * (max - min) : 1;
        var scaled = abscissa.ToArray().Select(x => (x - centre) / half).ToArray();
        var vandermonde = Matrix<double>.Build.Dense(n, order + 1, (i, j) => Math.Pow(scaled[i], j));
        _q = vandermonde.QR(QRMethod.Thin).Q.ToColumnMajorArray();
        _terms = order + 1;
        Length = n;
    }

    /// <summary>The number of samples each fit takes.</summary>
    public int Length { get; }

    /// <summary>Writes the fitted values of <paramref name="values"/> into <paramref name="fitted"/> (may be the same span).</summary>
    public void Smooth(ReadOnlySpan<double> values, Span<double> fitted)
    {
        if (values.Length != Length || fitted.Length != Length)
        {
            throw new ArgumentException($"Expected {Length} samples.", nameof(values));
        }
        int p = _terms;
        int n = Length;
        Span<double> coefficients = stackalloc double[p];
        for (int c = 0; c < p; c++)
        {
            var column = _q.AsSpan(c * n, n);
            double sum = 0;
            for (int i = 0; i < n; i++)
            {
                sum += column[i] * values[i];
            }
            coefficients[c] = sum;
        }
        for (int i = 0; i < n; i++)
        {
            double sum = 0;
            for (int c = 0; c < p; c++)
            {
                sum += _q[c * n + i] * coefficients[c];
            }
            fitted[i] = sum;
        }
    }
}
