using CloudPipeline.Core.Formats.Nmr;

namespace CloudPipeline.Core.Analysis.Nmr;

/// <summary>A picked peak.</summary>
/// <param name="Index">Index of the local maximum.</param>
/// <param name="Ppm">Position refined by a parabola through the top three points.</param>
/// <param name="Height">Height of the maximum (real part).</param>
public sealed record NmrPeak(int Index, double Ppm, double Height);

/// <summary>Noise, peak picking, integrals and centres of gravity (spec §3).</summary>
public static class Peaks
{
    /// <summary>Robust noise σ: 1.4826·MAD of the first differences / √2.</summary>
    public static double Noise(IReadOnlyList<double> real)
    {
        ArgumentNullException.ThrowIfNull(real);
        if (real.Count < 3)
        {
            return 0;
        }
        var d = new double[real.Count - 1];
        for (int i = 0; i < d.Length; i++)
        {
            d[i] = real[i + 1] - real[i];
        }
        double median = MathNet.Numerics.Statistics.ArrayStatistics.MedianInplace(d);
        for (int i = 0; i < d.Length; i++)
        {
            d[i] = Math.Abs(d[i] - median);
        }
        return 1.4826 * MathNet.Numerics.Statistics.ArrayStatistics.MedianInplace(d) / Math.Sqrt(2);
    }

    /// <summary>Local maxima above max(5σ, <paramref name="relativeThreshold"/>·max), at least <paramref name="minSeparationPpm"/> apart (the higher wins), highest first.</summary>
    public static IReadOnlyList<NmrPeak> Pick(NmrSpectrum spectrum, double minSeparationPpm, double relativeThreshold = 0.02, double? fromPpm = null, double? toPpm = null)
    {
        ArgumentNullException.ThrowIfNull(spectrum);
        var y = spectrum.Real;
        double max = y.Max();
        double threshold = Math.Max(5 * Noise(y), relativeThreshold * max);
        double lo = Math.Min(fromPpm ?? double.NegativeInfinity, toPpm ?? double.PositiveInfinity);
        double hi = Math.Max(fromPpm ?? double.NegativeInfinity, toPpm ?? double.PositiveInfinity);
        var candidates = new List<NmrPeak>();
        for (int i = 1; i + 1 < y.Length; i++)
        {
            if (y[i] > threshold && y[i] >= y[i - 1] && y[i] > y[i + 1])
            {
                double ppm = Refine(spectrum, i);
                if (fromPpm is null || ppm >= lo && ppm <= hi)
                {
                    candidates.Add(new NmrPeak(i, ppm, y[i]));
                }
            }
        }
        var kept = new List<NmrPeak>();
        foreach (var p in candidates.OrderByDescending(p => p.Height))
        {
            if (kept.All(k => Math.Abs(k.Ppm - p.Ppm) >= minSeparationPpm))
            {
                kept.Add(p);
            }
        }
        return kept;
    }

    /// <summary>The parabolic position of the maximum at index <paramref name="i"/> (ppm).</summary>
    public static double Refine(NmrSpectrum spectrum, int i)
    {
        ArgumentNullException.ThrowIfNull(spectrum);
        var y = spectrum.Real;
        if (i <= 0 || i + 1 >= y.Length)
        {
            return spectrum.Ppm(i);
        }
        double denominator = y[i - 1] - 2 * y[i] + y[i + 1];
        double offset = denominator == 0 ? 0 : 0.5 * (y[i - 1] - y[i + 1]) / denominator;
        return spectrum.Ppm(i + offset);
    }

    /// <summary>Rectangle-rule integral Σ yᵢ·|Δδ| over [from, to] ppm (either order).</summary>
    public static double Integral(NmrSpectrum spectrum, double fromPpm, double toPpm)
    {
        ArgumentNullException.ThrowIfNull(spectrum);
        var (a, b) = Window(spectrum, fromPpm, toPpm);
        double sum = 0;
        for (int k = a; k <= b; k++)
        {
            sum += spectrum.Real[k];
        }
        return sum * spectrum.StepPpm;
    }

    /// <summary>Centre of gravity Σδᵢyᵢ / Σyᵢ over [from, to] ppm.</summary>
    public static double CentreOfGravity(NmrSpectrum spectrum, double fromPpm, double toPpm)
    {
        ArgumentNullException.ThrowIfNull(spectrum);
        var (a, b) = Window(spectrum, fromPpm, toPpm);
        double sw = 0, s = 0;
        for (int k = a; k <= b; k++)
        {
            sw += spectrum.Ppm(k) * spectrum.Real[k];
            s += spectrum.Real[k];
        }
        return sw / s;
    }

    /// <summary>The index range [a, b] of the points inside [from, to] ppm.</summary>
    public static (int From, int To) Window(NmrSpectrum spectrum, double fromPpm, double toPpm)
    {
        ArgumentNullException.ThrowIfNull(spectrum);
        double hi = Math.Max(fromPpm, toPpm), lo = Math.Min(fromPpm, toPpm);
        int a = Math.Max(0, (int)Math.Ceiling(spectrum.IndexOf(hi) - 1e-9));
        int b = Math.Min(spectrum.Count - 1, (int)Math.Floor(spectrum.IndexOf(lo) + 1e-9));
        return (a, b);
    }
}
