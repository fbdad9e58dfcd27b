using CloudPipeline.Core.Formats.Electrochemistry;

namespace CloudPipeline.Core.Analysis.Electrochemistry;

/// <summary>Parameters of the mass-transport-limitation onset detector (electrochemistry spec §4).</summary>
/// <remarks>Part of experiment.json: settable, not init-only, because compile-time JSON metadata (which the ahead-of-time CLI reads with) sets an init-only property that the JSON leaves out to zero or null instead of its default (dotnet/runtime#84484).</remarks>
public sealed record OnsetParameters
{
    /// <summary>Width of the centred window for the local slope (s). Default 300.</summary>
    public double RateWindowS { get; set; } = 300;

    /// <summary>Initial polarisation transient ignored (s). Default 600.</summary>
    public double SettleS { get; set; } = 600;

    /// <summary>Span after the settle time for the baseline rate (s). Default 1200.</summary>
    public double RefSpanS { get; set; } = 1200;

    /// <summary>Knee threshold as a multiple of the baseline rate. Default 10.</summary>
    public double KneeFactor { get; set; } = 10;

    /// <summary>Consecutive samples above the threshold for a knee. Default 3.</summary>
    public int Persist { get; set; } = 3;
}

/// <summary>The detector's findings for one CC step; times are from the step's first sample.</summary>
/// <param name="OnsetS">t_onset = t_steep: time of the steepest voltage rise after the settle time (s).</param>
/// <param name="OnsetIndex">The sample index of the onset in the whole record.</param>
/// <param name="MaxRateVPerH">The rate at the onset (V/h).</param>
/// <param name="ReferenceRateVPerH">The baseline rate r_ref (V/h).</param>
/// <param name="KneeS">The early-warning knee time (s), or null.</param>
/// <param name="KneeIndex">The knee's sample index, or null.</param>
/// <param name="Censored">True when the steepest rise is the last CC sample of a step ended by the voltage limit: the true inflection is at or after the onset.</param>
/// <param name="StepEndS">The last CC sample's time (s).</param>
/// <param name="StepEndReason">Why the CC step ended.</param>
public sealed record OnsetResult(double OnsetS, int OnsetIndex, double MaxRateVPerH, double ReferenceRateVPerH, double? KneeS, int? KneeIndex, bool Censored, double StepEndS, StepEndReason StepEndReason)
{
    /// <summary>The version recorded with results.</summary>
    public const string AlgorithmVersion = "ec-mtl-onset@1.0.0";
}

/// <summary>Finds the onset of mass-transport limitation in a constant-current step: the sudden voltage rise.</summary>
public static class MassTransportOnsetDetector
{
    /// <summary>Runs the detector on one CC step of a record.</summary>
    /// <exception cref="ArgumentException">The step is not CC, or it is shorter than the settle time.</exception>
    public static OnsetResult Detect(TimeSeries series, Step step, OnsetParameters? parameters = null)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(step);
        var p = parameters ?? new OnsetParameters();
        if (step.Type != StepType.ConstantCurrent)
        {
            throw new ArgumentException($"{series.SourceName}: the onset detector needs a CC step; got {step.Type}.", nameof(step));
        }
        int n = step.Count;
        var t = new double[n];
        var v = new double[n];
        for (int i = 0; i < n; i++)
        {
            t[i] = series.Time[step.StartIndex + i] - series.Time[step.StartIndex];
            v[i] = series.Voltage[step.StartIndex + i];
        }
        if (t[^1] < p.SettleS)
        {
            throw new ArgumentException($"{series.SourceName}: the CC step lasts {t[^1]:0} s, shorter than the settle time {p.SettleS:0} s.", nameof(step));
        }

        var rate = new double[n];
        double half = p.RateWindowS / 2;
        int lo = 0, hi = 0;
        for (int i = 0; i < n; i++)
        {
            while (t[i] - t[lo] > half)
            {
                lo++;
            }
            while (hi + 1 < n && t[hi + 1] - t[i] <= half)
            {
                hi++;
            }
            rate[i] = Slope(t, v, lo, hi) * 3600;
        }

        var reference = new List<double>();
        int steepest = -1;
        for (int i = 0; i < n; i++)
        {
            if (t[i] >= p.SettleS && t[i] <= p.SettleS + p.RefSpanS)
            {
                reference.Add(rate[i]);
            }
            if (t[i] >= p.SettleS && (steepest < 0 || rate[i] > rate[steepest]))
            {
                steepest = i;
            }
        }
        double rRef = reference.Count > 0 ? StepSegmenter.Median(reference.ToArray()) : double.NaN;

        int? knee = null;
        int run = 0;
        for (int i = 0; i < n; i++)
        {
            run = t[i] >= p.SettleS && rate[i] >= p.KneeFactor * rRef ? run + 1 : 0;
            if (run == p.Persist)
            {
                knee = i - p.Persist + 1;
                break;
            }
        }

        bool censored = steepest == n - 1 && step.EndReason == StepEndReason.VoltageLimit;
        return new OnsetResult(t[steepest], step.StartIndex + steepest, rate[steepest], rRef,
            knee is { } k ? t[k] : null, knee is { } k2 ? step.StartIndex + k2 : null, censored, t[^1], step.EndReason);
    }

    private static double Slope(double[] x, double[] y, int lo, int hi)
    {
        int count = hi - lo + 1;
        if (count < 2)
        {
            return 0;
        }
        double mx = 0;
        for (int i = lo; i <= hi; i++)
        {
            mx += x[i];
        }
        mx /= count;
        // Σ(x − x̄)(y − ȳ) = Σ(x − x̄)·y, since Σ(x − x̄) = 0: ȳ is not needed.
        double sxy = 0, sxx = 0;
        for (int i = lo; i <= hi; i++)
        {
            double dx = x[i] - mx;
            sxy += dx * y[i];
            sxx += dx * dx;
        }
        return sxx > 0 ? sxy / sxx : 0;
    }
}
