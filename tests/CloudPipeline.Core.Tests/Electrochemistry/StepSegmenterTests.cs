using CloudPipeline.Core.Analysis.Electrochemistry;
using CloudPipeline.Core.Formats.Electrochemistry;
using Xunit;

namespace CloudPipeline.Core.Tests.Electrochemistry;

/// <summary>
/// Segmentation boundaries of electrochemistry spec §2 on small hand-made records whose steps are worked
/// out by hand from the spec's rules (one sample per second unless a test says otherwise).
/// </summary>
public sealed class StepSegmenterTests
{
    private static TimeSeries Record(double[] current, double[]? voltage = null, double[]? time = null) =>
        new("hand.csv", time ?? current.Select((_, k) => (double)k).ToArray(), voltage ?? current.Select(_ => 1.0).ToArray(), current, 0);

    private static double[] Repeat(params (double Value, int Count)[] runs) => runs.SelectMany(r => Enumerable.Repeat(r.Value, r.Count)).ToArray();

    private static (StepType, int, int) Span(Step s) => (s.Type, s.StartIndex, s.EndIndex);

    [Fact]
    public void A_single_sample_is_rejected_with_the_file_name()
    {
        var ex = Assert.Throws<ArgumentException>(() => StepSegmenter.Segment(Record([1e-3])));
        Assert.Contains("hand.csv", ex.Message, StringComparison.Ordinal);
        Assert.Contains("at least two samples", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Gap_count_takes_intervals_longer_than_three_medians_and_not_one_of_exactly_three()
    {
        // Intervals 1,1,1,3,1,3.5,1: median 1; only 3.5 exceeds 3 × 1. No interval reaches 10 × median, so one run.
        var s = Record(Repeat((1e-3, 8)), time: [0, 1, 2, 3, 6, 7, 10.5, 11.5]);
        var seg = StepSegmenter.Segment(s);
        Assert.Equal(1, seg.GapCount);
        Assert.Equal(1, seg.MedianIntervalS);
        var step = Assert.Single(seg.Steps);
        Assert.Equal((StepType.ConstantCurrent, 0, 7), Span(step));
        Assert.Equal((0, 11.5, 8, 11.5), (step.StartTimeS, step.EndTimeS, step.Count, step.DurationS));
        Assert.Equal(1e-3, step.Setpoint);
        Assert.Equal(StepEndReason.EndOfData, step.EndReason);
    }

    [Theory]
    [InlineData(10, 1)] // exactly 10 × median: same run
    [InlineData(11, 2)] // longer: a new run
    public void A_gap_longer_than_ten_median_intervals_starts_a_new_run(double gap, int steps)
    {
        double[] time = [0, 1, 2, 3, 4, 4 + gap, 5 + gap, 6 + gap, 7 + gap, 8 + gap];
        var seg = StepSegmenter.Segment(Record(Repeat((1e-3, 10)), time: time), new SegmentationParameters { CvSetpointV = 100 });
        Assert.Equal(steps, seg.Steps.Count);
        if (steps == 2)
        {
            Assert.Equal([(StepType.ConstantCurrent, 0, 4), (StepType.ConstantCurrent, 5, 9)], seg.Steps.Select(Span));
            Assert.Equal(StepEndReason.StepChange, seg.Steps[0].EndReason);
        }
    }

    [Fact]
    public void A_change_of_sign_without_rest_starts_a_new_step()
    {
        var seg = StepSegmenter.Segment(Record(Repeat((1e-3, 5), (-2e-3, 5))));
        Assert.Equal([(StepType.ConstantCurrent, 0, 4), (StepType.ConstantCurrent, 5, 9)], seg.Steps.Select(Span));
        Assert.Equal([1e-3, -2e-3], seg.Steps.Select(s => s.Setpoint));
        Assert.Equal([StepEndReason.StepChange, StepEndReason.EndOfData], seg.Steps.Select(s => s.EndReason));
    }

    [Fact]
    public void Default_ocv_threshold_is_a_thousandth_of_the_largest_current_inclusive()
    {
        // max|I| = 1 mA, so I_ocv = 1 µA; samples at exactly 1 µA are open circuit. Their median V is 0.5.
        var seg = StepSegmenter.Segment(Record(Repeat((1e-3, 5), (1e-6, 5)), voltage: Repeat((1.0, 5), (0.5, 5))));
        Assert.Equal([(StepType.ConstantCurrent, 0, 4), (StepType.Ocv, 5, 9)], seg.Steps.Select(Span));
        Assert.Equal([1e-3, 0.5], seg.Steps.Select(s => s.Setpoint));
    }

    [Fact]
    public void Default_ocv_threshold_never_falls_below_one_nanoampere()
    {
        // max|I| = 1 nA would give 1 pA; the floor of 1 nA makes every sample open circuit.
        var seg = StepSegmenter.Segment(Record(Repeat((0, 3), (1e-9, 5))));
        Assert.Equal((StepType.Ocv, 0, 7), Span(Assert.Single(seg.Steps)));
    }

    [Fact]
    public void A_manifest_ocv_threshold_replaces_the_default()
    {
        var seg = StepSegmenter.Segment(Record(Repeat((1e-3, 5), (1e-6, 5))), new SegmentationParameters { OcvCurrentA = 1e-3, CvSetpointV = 100 });
        Assert.Equal((StepType.Ocv, 0, 9), Span(Assert.Single(seg.Steps)));
    }

    [Fact]
    public void Cc_band_is_inclusive_of_the_tolerance_and_a_current_beyond_it_starts_a_new_cc_step()
    {
        // tolI = 0.25 (binary-exact): I_cc = 1 from the first ten samples; 1.25 is on the band edge, 1.5 is outside.
        // The CV level 100 V is never reached, so the 1.5 A samples start a new CC step at their own level.
        var p = new SegmentationParameters { CurrentTolerance = 0.25, CvSetpointV = 100 };
        var seg = StepSegmenter.Segment(Record(Repeat((1, 10), (1.25, 10), (1.5, 10))), p);
        Assert.Equal([(StepType.ConstantCurrent, 0, 19), (StepType.ConstantCurrent, 20, 29)], seg.Steps.Select(Span));
        Assert.Equal([1.125, 1.5], seg.Steps.Select(s => s.Setpoint)); // median of ten 1s and ten 1.25s
    }

    [Fact]
    public void Cc_level_is_the_median_of_the_first_ten_samples_only()
    {
        // First ten: nine 1s and one 2 → I_cc = 1; sample 10 onwards (2 A) leaves the band although 2 A is the
        // median of all twenty-nine samples.
        var p = new SegmentationParameters { CvSetpointV = 100 };
        var seg = StepSegmenter.Segment(Record(Repeat((1, 9), (2, 20))), p);
        Assert.Equal([(StepType.ConstantCurrent, 0, 8), (StepType.ConstantCurrent, 9, 28)], seg.Steps.Select(Span));
    }

    [Fact]
    public void Without_a_manifest_level_the_first_sample_outside_the_band_sets_the_cv_level()
    {
        // CC at 1 A while V rises 10 mV per sample to 3.19 V; then a CV hold at 3.2 V ± 4 mV with decaying I.
        var current = Repeat((1, 20)).Concat(Enumerable.Range(0, 10).Select(k => 0.9 - 0.05 * k)).ToArray();
        var voltage = Enumerable.Range(0, 20).Select(k => 3.0 + 0.01 * k).Concat([3.2, 3.204, 3.196, 3.2, 3.203, 3.197, 3.2, 3.2, 3.201, 3.199]).ToArray();
        var seg = StepSegmenter.Segment(Record(current, voltage));
        Assert.Equal([(StepType.ConstantCurrent, 0, 19), (StepType.ConstantVoltage, 20, 29)], seg.Steps.Select(Span));
        Assert.Equal(3.2, seg.Steps[1].Setpoint, 12);
        // V at the CC end is 3.19, 10 mV below the CV level and approached from below: not within tolV, not beyond.
        Assert.Equal(StepEndReason.StepChange, seg.Steps[0].EndReason);
    }

    [Theory]
    [InlineData(1.0, 4.196, 4.2, StepEndReason.VoltageLimit)] // charge, within tolV below the CV level
    [InlineData(1.0, 4.180, 4.2, StepEndReason.StepChange)] // charge, 20 mV short
    [InlineData(1.0, 4.250, 4.2, StepEndReason.VoltageLimit)] // charge, overshoot beyond the CV level
    [InlineData(-1.0, 2.950, 3.0, StepEndReason.VoltageLimit)] // discharge, beyond the CV level (below it)
    [InlineData(-1.0, 3.050, 3.0, StepEndReason.StepChange)] // discharge, 50 mV short (above it)
    public void A_cc_step_ends_on_the_voltage_limit_when_it_reaches_or_passes_the_next_cv_level(double sign, double vEnd, double vCv, StepEndReason expected)
    {
        // Twelve CC samples ending at vEnd, then ten CV samples at vCv whose current has dropped to 60 %.
        var current = Repeat((sign, 12), (0.6 * sign, 10));
        var voltage = Repeat((vEnd, 12), (vCv, 10));
        var seg = StepSegmenter.Segment(Record(current, voltage));
        Assert.Equal([(StepType.ConstantCurrent, 0, 11), (StepType.ConstantVoltage, 12, 21)], seg.Steps.Select(Span));
        Assert.Equal(sign, seg.Steps[0].Setpoint);
        Assert.Equal(vCv, seg.Steps[1].Setpoint);
        Assert.Equal(expected, seg.Steps[0].EndReason);
    }

    [Fact]
    public void The_manifest_cv_level_decides_the_end_reason()
    {
        // CC ends at 4.178 V; the hold sits at 4.184 V. Against the manifest level 4.18 V the CC end is 2 mV away
        // (a voltage limit); against the hold's own median 4.184 V it is 6 mV short (a step change).
        var current = Repeat((1, 12), (0.6, 10));
        var voltage = Repeat((4.178, 12), (4.184, 10));
        var manifest = StepSegmenter.Segment(Record(current, voltage), new SegmentationParameters { CvSetpointV = 4.18 });
        Assert.Equal([(StepType.ConstantCurrent, 0, 11), (StepType.ConstantVoltage, 12, 21)], manifest.Steps.Select(Span));
        Assert.Equal(StepEndReason.VoltageLimit, manifest.Steps[0].EndReason);
        var own = StepSegmenter.Segment(Record(current, voltage));
        Assert.Equal([(StepType.ConstantCurrent, 0, 11), (StepType.ConstantVoltage, 12, 21)], own.Steps.Select(Span));
        Assert.Equal(StepEndReason.StepChange, own.Steps[0].EndReason);
    }

    [Theory]
    [InlineData(2, 2)] // a two-sample CC blip is folded into the rest before it
    [InlineData(3, 3)] // three samples are a step of their own
    public void Segments_shorter_than_three_samples_are_folded_into_their_predecessor(int blip, int steps)
    {
        var seg = StepSegmenter.Segment(Record(Repeat((0, 5), (1e-3, blip), (0, 5))));
        Assert.Equal(steps, seg.Steps.Count);
        if (steps == 2)
        {
            Assert.Equal([(StepType.Ocv, 0, 6), (StepType.Ocv, 7, 11)], seg.Steps.Select(Span));
        }
        else
        {
            Assert.Equal([(StepType.Ocv, 0, 4), (StepType.ConstantCurrent, 5, 7), (StepType.Ocv, 8, 12)], seg.Steps.Select(Span));
            Assert.Equal(1e-3, seg.Steps[1].Setpoint);
        }
    }

    [Fact]
    public void A_short_first_segment_joins_its_successor()
    {
        // Two open-circuit samples, then twelve at 1 mA: one CC step from sample 0; median of {0, 0, 1 mA × 12} is 1 mA.
        var seg = StepSegmenter.Segment(Record(Repeat((0, 2), (1e-3, 12))));
        var step = Assert.Single(seg.Steps);
        Assert.Equal((StepType.ConstantCurrent, 0, 13), Span(step));
        Assert.Equal(1e-3, step.Setpoint);
    }

    [Fact]
    public void A_first_sample_outside_its_own_band_belongs_to_no_held_step_and_is_folded()
    {
        // 2 A then nine 1 A samples: I_cc = 1 excludes the first sample, which becomes a one-sample OTHER segment
        // and is then joined to the CC step that follows it.
        var seg = StepSegmenter.Segment(Record(Repeat((2, 1), (1, 12))), new SegmentationParameters { CvSetpointV = 100 });
        Assert.Equal((StepType.ConstantCurrent, 0, 12), Span(Assert.Single(seg.Steps)));
    }

    [Theory]
    [InlineData(9, 0.75, StepType.Other)] // fewer than 10 samples and V range 0.75 > 2·tolV = 0.5
    [InlineData(9, 0.5, StepType.ConstantCurrent)] // range exactly 2·tolV: voltage counts as held
    [InlineData(10, 0.75, StepType.ConstantCurrent)] // ten samples: current constant over 10 samples
    public void Short_cc_segments_with_an_unheld_voltage_are_other(int length, double range, StepType expected)
    {
        var p = new SegmentationParameters { VoltageTolerance = 0.25, CvSetpointV = 100 };
        var voltage = Repeat((1, 5)).Concat(Enumerable.Range(0, length).Select(k => 1 + range * k / (length - 1))).Concat(Repeat((1, 5))).ToArray();
        var seg = StepSegmenter.Segment(Record(Repeat((0, 5), (1, length), (0, 5)), voltage), p);
        Assert.Equal(3, seg.Steps.Count);
        Assert.Equal((expected, 5, 4 + length), Span(seg.Steps[1]));
        // OTHER reports the median voltage (the middle of the nine-sample ramp, 1 + range/2), CC the median current.
        Assert.Equal(expected == StepType.Other ? 1 + range / 2 : 1, seg.Steps[1].Setpoint, 12);
    }

    [Fact]
    public void Two_samples_are_enough_and_a_null_record_is_an_argument_error()
    {
        var seg = StepSegmenter.Segment(Record([1e-3, 1e-3], time: [0, 4]));
        Assert.Equal((4.0, 0), (seg.MedianIntervalS, seg.GapCount));
        Assert.Equal((StepType.ConstantCurrent, 0, 1), Span(Assert.Single(seg.Steps)));
        Assert.Throws<ArgumentNullException>(() => StepSegmenter.Segment(null!));
    }

    [Fact]
    public void A_later_step_counts_its_own_samples_and_duration()
    {
        var second = StepSegmenter.Segment(Record(Repeat((1e-3, 5), (-2e-3, 5)))).Steps[1];
        Assert.Equal((5, 4.0, 5.0, 9.0), (second.Count, second.DurationS, second.StartTimeS, second.EndTimeS));
    }

    [Fact]
    public void The_cv_level_for_the_end_reason_is_the_median_of_the_whole_cv_step()
    {
        // CV samples 4.200, 4.200, 4.205, 4.205 (all within 5 mV of the first): median 4.2025. The CC step ends at 4.197 V,
        // 5.5 mV below it: not a voltage limit (the first three alone would give 4.200, 3 mV).
        var seg = StepSegmenter.Segment(Record(Repeat((1, 12), (0.6, 4)), Repeat((4.197, 12)).Concat([4.2, 4.2, 4.205, 4.205]).ToArray()));
        Assert.Equal([(StepType.ConstantCurrent, 0, 11), (StepType.ConstantVoltage, 12, 15)], seg.Steps.Select(Span));
        Assert.Equal(StepEndReason.StepChange, seg.Steps[0].EndReason);
    }

    [Fact]
    public void A_first_sample_outside_its_band_does_not_start_a_cv_step_at_a_constant_voltage()
    {
        // 2 A then twelve 1 A samples at one voltage: the first sample belongs to no held step and joins the CC step after
        // it; it must not open a CV level that the constant voltage would then hold for the rest of the record.
        var seg = StepSegmenter.Segment(Record(Repeat((2, 1), (1, 12))));
        Assert.Equal((StepType.ConstantCurrent, 0, 12), Span(Assert.Single(seg.Steps)));
    }

    [Fact]
    public void The_cv_band_is_inclusive_of_the_voltage_tolerance()
    {
        // Manifest level 4.0 V, tolV 0.25 (binary-exact): after the CC band, samples at 4.25 and 3.75 are on the band edge.
        var p = new SegmentationParameters { CvSetpointV = 4.0, VoltageTolerance = 0.25 };
        var seg = StepSegmenter.Segment(Record(Repeat((1, 12), (0.5, 4)), Repeat((3.9, 12)).Concat([4.25, 4.0, 3.75, 4.25]).ToArray()), p);
        Assert.Equal([(StepType.ConstantCurrent, 0, 11), (StepType.ConstantVoltage, 12, 15)], seg.Steps.Select(Span));
        Assert.Equal(StepEndReason.VoltageLimit, seg.Steps[0].EndReason); // 3.9 V is within 0.25 V of 4.0 V
        // A CC step ending exactly 0.25 V short of the level has reached it.
        var edge = StepSegmenter.Segment(Record(Repeat((1, 12), (0.5, 4)), Repeat((3.75, 12)).Concat([4.0, 4.0, 4.0, 4.0]).ToArray()), p);
        Assert.Equal(StepEndReason.VoltageLimit, edge.Steps[0].EndReason);
    }

    [Fact]
    public void The_voltage_range_of_a_short_segment_includes_its_last_sample()
    {
        // Nine CC samples at 1 V except the last at 1.75 V: range 0.75 > 2·0.25, so OTHER.
        var p = new SegmentationParameters { VoltageTolerance = 0.25, CvSetpointV = 100 };
        var voltage = Repeat((1, 13)).Concat([1.75]).Concat(Repeat((1, 5))).ToArray();
        var seg = StepSegmenter.Segment(Record(Repeat((0, 5), (1, 9), (0, 5)), voltage), p);
        Assert.Equal((StepType.Other, 5, 13), Span(seg.Steps[1]));
    }
}
