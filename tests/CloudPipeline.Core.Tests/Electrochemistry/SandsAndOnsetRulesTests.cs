using CloudPipeline.Core.Analysis.Electrochemistry;
using CloudPipeline.Core.Formats.Electrochemistry;
using Xunit;

namespace CloudPipeline.Core.Tests.Electrochemistry;

/// <summary>The argument rules of Sand's time (electrochemistry.md §8.2) and of the onset detector.</summary>
public sealed class SandsAndOnsetRulesTests
{
    [Fact]
    public void A_transport_number_of_one_is_allowed_and_scales_the_time_by_its_square()
    {
        // τ ∝ 1/t_a²: 6221.8415 s at t_a = 0.9 (spec §8.2) is 6221.8415·0.81 = 5039.6916 s at t_a = 1.
        Assert.Equal(5039.6916, SandsTime.Compute(2.53e-13, DiffusionCoefficientKind.Ambipolar, 9.94e23, 0.1, 1), 5039.6916 * 1e-6);
        // τ ∝ D and ∝ 1/i²: double D, double the time; double i, a quarter.
        Assert.Equal(2 * 6221.8415, SandsTime.Compute(5.06e-13, DiffusionCoefficientKind.Ambipolar, 9.94e23, 0.1, 0.9), 6221.8415 * 2e-6);
        Assert.Equal(6221.8415 / 4, SandsTime.Compute(2.53e-13, DiffusionCoefficientKind.Ambipolar, 9.94e23, 0.2, 0.9), 6221.8415 * 1e-6);
    }

    [Theory]
    [InlineData(0, 9.94e23, 0.1, 0.9)]
    [InlineData(-1e-13, 9.94e23, 0.1, 0.9)]
    [InlineData(2.53e-13, 0, 0.1, 0.9)]
    [InlineData(2.53e-13, 9.94e23, 0, 0.9)]
    [InlineData(2.53e-13, 9.94e23, 0.1, 0)]
    [InlineData(2.53e-13, 9.94e23, 0.1, 1.0001)]
    public void Non_positive_inputs_or_a_transport_number_outside_0_to_1_are_rejected(double d, double c0, double i, double ta)
    {
        var ex = Assert.Throws<ArgumentException>(() => SandsTime.Compute(d, DiffusionCoefficientKind.Ambipolar, c0, i, ta));
        Assert.Contains("0 < t_a <= 1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Particles_per_litre_is_avogadros_number_per_mole()
    {
        Assert.Equal(6.02214076e23, SandsTime.ParticlesPerLitre(1), 1e8);
        Assert.Equal(1.65 * 6.02214076e23, SandsTime.ParticlesPerLitre(1.65), 1e8);
    }

    [Fact]
    public void The_onset_detector_needs_a_cc_step_longer_than_the_settle_time()
    {
        var t = Enumerable.Range(0, 100).Select(k => 10.0 * k).ToArray();
        var series = new TimeSeries("pol.txt", t, t.Select(_ => 1.0).ToArray(), t.Select(_ => 1e-3).ToArray(), 0);
        var ocv = new Step(StepType.Ocv, 0, 99, 0, 990, 1, StepEndReason.EndOfData);
        var notCc = Assert.Throws<ArgumentException>(() => MassTransportOnsetDetector.Detect(series, ocv));
        Assert.Contains("pol.txt: the onset detector needs a CC step; got Ocv", notCc.Message, StringComparison.Ordinal);
        // 50 samples 10 s apart last 490 s, less than the 600 s settle time.
        var shortStep = new Step(StepType.ConstantCurrent, 0, 49, 0, 490, 1e-3, StepEndReason.EndOfData);
        var tooShort = Assert.Throws<ArgumentException>(() => MassTransportOnsetDetector.Detect(series, shortStep));
        Assert.Contains("lasts 490 s, shorter than the settle time 600 s", tooShort.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Eleven samples 100 s apart, after two rest samples so that step times start at the step, not the record. With a
    /// 200 s window the neighbours exactly 100 s away belong to it, so each inner rate is the three-point slope
    /// (v[i+1] − v[i−1])/200 s and each end's is the two-point one. The settle time (500 s) and the end of the
    /// reference span (700 s) fall on samples, which both count: r_ref is the median of the rates at 500, 600 and
    /// 700 s, and the steepest rise is looked for from 500 s on, although the transient before it is steeper.
    /// </summary>
    [Fact]
    public void Window_settle_and_reference_span_include_samples_exactly_on_their_bounds()
    {
        double[] v = [0, 5, 5.2, 5.5, 6.2, 6.4, 6.6, 6.7, 6.72, 6.73, 6.74];
        double[] time = [.. new[] { 0.0, 50 }, .. Enumerable.Range(0, 11).Select(k => 100 + 100.0 * k)];
        double[] voltage = [.. new[] { 3.0, 3 }, .. v];
        var series = new TimeSeries("pol.txt", time, voltage, time.Select(_ => 1e-3).ToArray(), 0);
        var step = new Step(StepType.ConstantCurrent, 2, 12, 100, 1100, 1e-3, StepEndReason.EndOfData);
        var p = new OnsetParameters { RateWindowS = 200, SettleS = 500, RefSpanS = 200, KneeFactor = 1, Persist = 2 };
        var r = MassTransportOnsetDetector.Detect(series, step, p);
        double Rate(int i) => (v[i + 1] - v[i - 1]) / 200 * 3600; // V/h
        Assert.Equal(500, r.OnsetS);
        Assert.Equal(7, r.OnsetIndex); // sample 5 of the step, 2 + 5 in the record
        Assert.Equal(Rate(5), r.MaxRateVPerH, 1e-9); // 0.4 V / 200 s = 7.2 V/h
        Assert.Equal(Rate(6), r.ReferenceRateVPerH, 1e-9); // median of 7.2, 5.4 and 2.16 V/h
        // Knee at factor 1, two in a row: 7.2 and then 5.4 V/h, the latter exactly r_ref, which counts (≥).
        Assert.Equal(500, r.KneeS);
        Assert.Equal(7, r.KneeIndex);
        Assert.False(r.Censored);
        Assert.Equal((1000.0, StepEndReason.EndOfData), (r.StepEndS, r.StepEndReason));
        // Three in a row never happens after the settle time.
        var three = MassTransportOnsetDetector.Detect(series, step, p with { Persist = 3 });
        Assert.Null(three.KneeS);
        Assert.Null(three.KneeIndex);
    }

    [Fact]
    public void The_steepest_rise_on_the_last_sample_of_a_step_ended_by_the_voltage_limit_is_censored()
    {
        // A rise that keeps steepening: the last rate, (v[10] − v[9])/100 s, is the largest.
        double[] time = [.. Enumerable.Range(0, 11).Select(k => 100.0 * k)];
        double[] voltage = [.. Enumerable.Range(0, 11).Select(k => 3 + 0.001 * k * k * k)];
        var series = new TimeSeries("pol.txt", time, voltage, time.Select(_ => 1e-3).ToArray(), 0);
        var p = new OnsetParameters { RateWindowS = 200, SettleS = 500, RefSpanS = 200 };
        var limited = MassTransportOnsetDetector.Detect(series, new Step(StepType.ConstantCurrent, 0, 10, 0, 1000, 1e-3, StepEndReason.VoltageLimit), p);
        Assert.Equal(1000, limited.OnsetS);
        Assert.Equal((1.0 - 0.729) / 100 * 3600, limited.MaxRateVPerH, 1e-9);
        Assert.True(limited.Censored);
        Assert.False(MassTransportOnsetDetector.Detect(series, new Step(StepType.ConstantCurrent, 0, 10, 0, 1000, 1e-3, StepEndReason.EndOfData), p).Censored);
        Assert.Throws<ArgumentNullException>(() => MassTransportOnsetDetector.Detect(null!, new Step(StepType.ConstantCurrent, 0, 10, 0, 1000, 1e-3, StepEndReason.EndOfData)));
        Assert.Throws<ArgumentNullException>(() => MassTransportOnsetDetector.Detect(series, null!));
    }
}
