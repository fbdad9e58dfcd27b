namespace CloudPipeline.Core.Numerics;

/// <summary>Differences and integrals on sampled data, with the conventions of numpy/MATLAB <c>gradient</c> and <c>trapz</c>.</summary>
public static class FiniteDifferences
{
    /// <summary>The derivative at each sample on uniform spacing: central differences inside, one-sided at the ends.</summary>
    public static void Gradient(ReadOnlySpan<double> f, double spacing, Span<double> result)
    {
        int n = f.Length;
        if (n < 2)
        {
            throw new ArgumentException("A gradient needs at least two samples.", nameof(f));
        }
        result[0] = (f[1] - f[0]) / spacing;
        result[n - 1] = (f[n - 1] - f[n - 2]) / spacing;
        for (int i = 1; i < n - 1; i++)
        {
            result[i] = (f[i + 1] - f[i - 1]) / (2 * spacing);
        }
    }

    /// <summary>The derivative on non-uniform coordinates (second-order inside, one-sided at the ends).</summary>
    public static void Gradient(ReadOnlySpan<double> f, ReadOnlySpan<double> coordinates, Span<double> result)
    {
        int n = f.Length;
        if (n < 2 || coordinates.Length != n)
        {
            throw new ArgumentException("A gradient needs at least two samples and one coordinate per sample.", nameof(f));
        }
        result[0] = (f[1] - f[0]) / (coordinates[1] - coordinates[0]);
        result[n - 1] = (f[n - 1] - f[n - 2]) / (coordinates[n - 1] - coordinates[n - 2]);
        for (int i = 1; i < n - 1; i++)
        {
            double hm = coordinates[i] - coordinates[i - 1];
            double hp = coordinates[i + 1] - coordinates[i];
            result[i] = (hm * hm * f[i + 1] - hp * hp * f[i - 1] + (hp * hp - hm * hm) * f[i]) / (hp * hm * (hp + hm));
        }
    }

    /// <summary>The trapezoid integral over uniformly spaced samples.</summary>
    public static double Trapezoid(ReadOnlySpan<double> f, double spacing)
    {
        double sum = 0;
        for (int i = 0; i + 1 < f.Length; i++)
        {
            sum += 0.5 * (f[i] + f[i + 1]);
        }
        return sum * spacing;
    }

    /// <summary>The running trapezoid integral, 0 at the first sample.</summary>
    public static void CumulativeTrapezoid(ReadOnlySpan<double> f, double spacing, Span<double> result)
    {
        result[0] = 0;
        for (int i = 1; i < f.Length; i++)
        {
            result[i] = result[i - 1] + 0.5 * (f[i - 1] + f[i]) * spacing;
        }
    }
}
