using CloudPipeline.Core.Formats.Electrochemistry;

namespace CloudPipeline.Core.Analysis.Electrochemistry;

/// <summary>The kind of a step.</summary>
public enum StepType
{
    /// <summary>Open circuit: |I| below the OCV threshold.</summary>
    Ocv,

    /// <summary>Constant current.</summary>
    ConstantCurrent,

    /// <summary>Constant voltage.</summary>
    ConstantVoltage,

    /// <summary>Neither current nor voltage held.</summary>
    Other,
}

/// <summary>Why a step ended.</summary>
public enum StepEndReason
{
    /// <summary>A CC step that reached (or passed) the following CV level or the cut-off voltage.</summary>
    VoltageLimit,

    /// <summary>The record ends in this step.</summary>
    EndOfData,

    /// <summary>The next step started for another reason (time or current limit not stated in the data).</summary>
    StepChange,
}

/// <summary>One step of a segmented record.</summary>
/// <param name="Type">OCV, CC, CV or other.</param>
/// <param name="StartIndex">First sample (inclusive).</param>
/// <param name="EndIndex">Last sample (inclusive).</param>
/// <param name="StartTimeS">Time of the first sample (s).</param>
/// <param name="EndTimeS">Time of the last sample (s).</param>
/// <param name="Setpoint">Median I (A) for CC, median V (V) for CV, median V for OCV and other steps.</param>
/// <param name="EndReason">Why it ended.</param>
public sealed record Step(StepType Type, int StartIndex, int EndIndex, double StartTimeS, double EndTimeS, double Setpoint, StepEndReason EndReason)
{
    /// <summary>Samples in the step.</summary>
    public int Count => EndIndex - StartIndex + 1;

    /// <summary>Duration (s).</summary>
    public double DurationS => EndTimeS - StartTimeS;
}

/// <summary>Parameters of <see cref="StepSegmenter"/> (electrochemistry spec §2), with the spec's defaults.</summary>
public sealed record SegmentationParameters
{
    /// <summary>OCV threshold |I| (A); null means max(1e-3·max|I|, 1e-9 A).</summary>
    public double? OcvCurrentA { get; init; }

    /// <summary>Relative CC band tolerance. Default 0.02.</summary>
    public double CurrentTolerance { get; init; } = 0.02;

    /// <summary>CV band tolerance (V). Default 0.005.</summary>
    public double VoltageTolerance { get; init; } = 0.005;

    /// <summary>CV setpoint from the manifest (V); null: the voltage of the first sample after the CC band.</summary>
    public double? CvSetpointV { get; init; }

    /// <summary>A gap longer than this many median intervals starts a new run. Default 10.</summary>
    public double RunGapFactor { get; init; } = 10;

    /// <summary>An interval longer than this many median intervals is counted as a gap. Default 3.</summary>
    public double GapFactor { get; init; } = 3;

    /// <summary>Segments shorter than this are folded into their predecessor. Default 3.</summary>
    public int MinimumSamples { get; init; } = 3;
}

/// <summary>The result of segmenting a record.</summary>
/// <param name="Steps">The steps in order.</param>
/// <param name="MedianIntervalS">The median sampling interval (s).</param>
/// <param name="GapCount">Intervals longer than GapFactor × median (e.g. EIS pauses).</param>
public sealed record Segmentation(IReadOnlyList<Step> Steps, double MedianIntervalS, int GapCount)
{
    /// <summary>The version recorded with results.</summary>
    public const string AlgorithmVersion = "ec-segment@1.0.0";
}

/// <summary>Splits a DC record without vendor step labels into OCV, CC and CV steps (electrochemistry spec §2).</summary>
public static class StepSegmenter
{
    /// <summary>Segments the series.</summary>
    public static Segmentation Segment(TimeSeries series, SegmentationParameters? parameters = null)
    {
        ArgumentNullException.ThrowIfNull(series);
        var p = parameters ?? new SegmentationParameters();
        int n = series.Count;
        var t = series.Time;
        var v = series.Voltage;
        var current = series.Current;
        if (n < 2)
        {
            throw new ArgumentException($"{series.SourceName}: a record needs at least two samples to be segmented.", nameof(series));
        }

        var intervals = new double[n - 1];
        for (int i = 0; i < n - 1; i++)
        {
            intervals[i] = t[i + 1] - t[i];
        }
        double median = Median(intervals);
        int gaps = intervals.Count(d => d > p.GapFactor * median);
        double maxAbs = current.Max(Math.Abs);
        double ocv = p.OcvCurrentA ?? Math.Max(1e-3 * maxAbs, 1e-9);

        var raw = new List<(StepType Type, int Start, int End)>();
        int k = 0;
        while (k < n)
        {
            if (Math.Abs(current[k]) <= ocv)
            {
                int start = k;
                while (k < n && Math.Abs(current[k]) <= ocv)
                {
                    k++;
                }
                raw.Add((StepType.Ocv, start, k - 1));
                continue;
            }
            int runEnd = k + 1;
            while (runEnd < n && Math.Abs(current[runEnd]) > ocv && Math.Sign(current[runEnd]) == Math.Sign(current[k]) && t[runEnd] - t[runEnd - 1] <= p.RunGapFactor * median)
            {
                runEnd++;
            }
            ScanRun(k, runEnd, current, v, p, raw);
            k = runEnd;
        }

        var folded = new List<(StepType Type, int Start, int End)>();
        foreach (var segment in raw)
        {
            if (segment.End - segment.Start + 1 < p.MinimumSamples && folded.Count > 0)
            {
                folded[^1] = (folded[^1].Type, folded[^1].Start, segment.End);
            }
            // Stryker disable once Arithmetic : equivalent mutant: only the first segment can still be short here (later short ones were folded above), and it starts at index 0, so End − Start equals End + Start.
            else if (folded.Count > 0 && folded[^1].End - folded[^1].Start + 1 < p.MinimumSamples)
            {
                folded[^1] = (segment.Type, folded[^1].Start, segment.End); // a short first segment joins its successor
            }
            else
            {
                folded.Add(segment);
            }
        }

        var steps = new List<Step>(folded.Count);
        for (int s = 0; s < folded.Count; s++)
        {
            var (type, start, end) = folded[s];
            if (type == StepType.ConstantCurrent && end - start + 1 < 10 && Range(v, start, end) > 2 * p.VoltageTolerance)
            {
                type = StepType.Other; // current not constant over 10 samples, voltage not held
            }
            double setpoint = type == StepType.ConstantCurrent ? Median(current.AsSpan(start, end - start + 1).ToArray()) : Median(v.AsSpan(start, end - start + 1).ToArray());
            var reason = s == folded.Count - 1 ? StepEndReason.EndOfData : StepEndReason.StepChange;
            if (type == StepType.ConstantCurrent && s + 1 < folded.Count && folded[s + 1].Type == StepType.ConstantVoltage)
            {
                var next = folded[s + 1];
                double vcv = p.CvSetpointV ?? Median(v.AsSpan(next.Start, next.End - next.Start + 1).ToArray());
                double direction = Math.Sign(setpoint);
                bool reached = Math.Abs(v[end] - vcv) <= p.VoltageTolerance;
                // Stryker disable once Equality,Arithmetic : equivalent mutants: direction is ±1 (a CC setpoint is never 0), so direction·Δ and direction/Δ have one sign, and Δ = 0 is already reached.
                bool passed = direction * (v[end] - vcv) > 0;
                if (reached || passed)
                {
                    reason = StepEndReason.VoltageLimit;
                }
            }
            steps.Add(new Step(type, start, end, t[start], t[end], setpoint, reason));
        }
        return new Segmentation(steps, median, gaps);
    }

    private static void ScanRun(int start, int end, double[] current, double[] v, SegmentationParameters p, List<(StepType, int, int)> output)
    {
        int k = start;
        while (k < end)
        {
            int window = Math.Min(10, end - k);
            double icc = Median(current.AsSpan(k, window).ToArray());
            int ccStart = k;
            while (k < end && Math.Abs(current[k] - icc) <= p.CurrentTolerance * Math.Abs(icc))
            {
                k++;
            }
            if (k == ccStart)
            {
                // The first sample is outside its own window's band: it belongs to no held step.
                output.Add((StepType.Other, k, k));
                k++;
                continue;
            }
            output.Add((StepType.ConstantCurrent, ccStart, k - 1));
            if (k >= end)
            {
                break;
            }
            double vcv = p.CvSetpointV ?? v[k];
            if (Math.Abs(v[k] - vcv) <= p.VoltageTolerance)
            {
                int cvStart = k;
                while (k < end && Math.Abs(v[k] - vcv) <= p.VoltageTolerance)
                {
                    k++;
                }
                output.Add((StepType.ConstantVoltage, cvStart, k - 1));
            }
        }
    }

    private static double Range(double[] values, int start, int end)
    {
        double min = double.MaxValue, max = double.MinValue;
        for (int i = start; i <= end; i++)
        {
            min = Math.Min(min, values[i]);
            max = Math.Max(max, values[i]);
        }
        return max - min;
    }

    internal static double Median(double[] values)
    {
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        int m = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[m] : 0.5 * (sorted[m - 1] + sorted[m]);
    }
}
