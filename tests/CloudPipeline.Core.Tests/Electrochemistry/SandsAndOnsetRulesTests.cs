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
}
