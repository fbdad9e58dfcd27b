using CloudPipeline.Core.Analysis;
using CloudPipeline.Core.Analysis.Mri;
using CloudPipeline.Core.Formats.Electrochemistry;
using CloudPipeline.Core.Formats.Mri;
using Xunit;

namespace CloudPipeline.Core.Tests.Mri;

/// <summary>The synthetic cases SYN1, SYN2, SYN4 and SYN5 of mri-drift-velocity.md §9.5 (no files needed).</summary>
public sealed class DriftVelocitySyntheticTests
{
    private const double UniformVelocity = -167.17830756;

    /// <summary>SYN1's profile: 0, a ramp 0…900 at 50…59, 1000 at 60…195, 900…0 at 196…205, 0 after.</summary>
    internal static double[] Syn1Profile()
    {
        var p = new double[256];
        for (int j = 50; j <= 59; j++)
        {
            p[j] = 100 * (j - 50);
        }
        for (int j = 60; j <= 195; j++)
        {
            p[j] = 1000;
        }
        for (int j = 196; j <= 205; j++)
        {
            p[j] = 900 - 100 * (j - 196);
        }
        return p;
    }

    internal static ProfileSeries Series(Func<int, double[]> profile, int count) =>
        ProfileSeries.Create(Enumerable.Range(0, count).Select(k =>
            new TopSpinProfile($"syn({k + 5:D3}).txt", "syn", k + 5, 1, 0, 1, profile(k))));

    internal static TimeSeries ConstantVoltage(int rows, double volts = 1.5) =>
        new("syn-POL.txt", Enumerable.Range(0, rows).Select(i => i * 20.196).ToArray(), Enumerable.Repeat(volts, rows).ToArray(),
            Enumerable.Repeat(2.8e-5, rows).ToArray(), 0);

    private static void Close(double expected, double actual, double relative) =>
        Assert.True(Math.Abs(actual - expected) <= relative * Math.Abs(expected), $"expected {expected:R}, got {actual:R}");

    [Fact]
    public void Syn1_uniform_cell_has_the_analytic_velocity_everywhere()
    {
        var r = DriftVelocityAnalysis.Run(Series(_ => Syn1Profile(), 10), ConstantVoltage(300), new DriftVelocityParameters());
        Assert.Equal(10, r.ProfileCount);
        Assert.Equal((55, 200, 128), r.Centre);
        Assert.Equal(1000, r.BulkLevel);
        Assert.Equal((60, 195), (r.RoiStart, r.RoiEnd));
        Close(2.109375, r.PositionsMm[^1] - r.PositionsMm[0], 1e-12);
        Assert.All(r.Concentration, row => Assert.All(row, c => Close(1.666, c, 1e-12)));
        Assert.All(r.Diffusion, row => Assert.All(row, d => Close(-1.762240848787e-12, d, 1e-10)));
        Assert.All(r.Mobility, row => Assert.All(row, u => Close(-6.5304026390834e-5, u, 1e-10)));
        Assert.All(r.EffectiveFlux, row => Assert.All(row, j => Assert.True(Math.Abs(j) < 1e-20)));
        Assert.All(r.FieldIntegral, u => Assert.True(Math.Abs(u) < 1e-12));
        Assert.All(r.Velocity, row => Assert.All(row, v => Close(UniformVelocity, v, 1e-9)));
        Assert.Contains("D_NEGATIVE_IN_RANGE", r.Flags);
    }

    [Fact]
    public void Syn2_mass_conserving_tilt()
    {
        double[] Tilted(int k)
        {
            var p = Syn1Profile();
            for (int j = 60; j <= 195; j++)
            {
                p[j] = 1000 * (1 + 0.0005 * k * (j - 127.5) / 67.5);
            }
            return p;
        }
        var r = DriftVelocityAnalysis.Run(Series(Tilted, 10), ConstantVoltage(300), new DriftVelocityParameters());
        const double tol = 1e-6;
        Close(1.6615, r.Concentration[9][0], tol);
        Close(1.6705, r.Concentration[9][^1], tol);
        Close(-166.437920, r.Velocity[0][0], tol);
        Close(-166.437920, r.Velocity[0][^1], tol);
        Close(-166.921002, r.Velocity[9][0], tol);
        Close(-166.021658, r.Velocity[9][^1], tol);
        Close(6.497319e-3, r.FieldIntegral[9], tol);
    }

    [Fact]
    public void Syn4_the_voltage_record_length_decides_the_profile_count()
    {
        var ok = DriftVelocityAnalysis.Run(Series(_ => Syn1Profile(), 10), ConstantVoltage(89), new DriftVelocityParameters());
        Assert.Equal(4, ok.ProfileCount);
        Assert.All(ok.Velocity, row => Assert.All(row, v => Close(UniformVelocity, v, 1e-9)));

        var ex = Assert.Throws<AnalysisException>(() => DriftVelocityAnalysis.Run(Series(_ => Syn1Profile(), 10), ConstantVoltage(88), new DriftVelocityParameters()));
        Assert.Equal("TOO_FEW_PROFILES", ex.Code);
        Assert.Contains("syn-POL.txt", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Syn5_roi_keeps_interior_points_outside_the_tolerance()
    {
        double[] WithHole(int k)
        {
            var p = Syn1Profile();
            if (k == 0)
            {
                p[100] = 900;
            }
            return p;
        }
        var r = DriftVelocityAnalysis.Run(Series(WithHole, 10), ConstantVoltage(300), new DriftVelocityParameters());
        Assert.Equal((60, 195), (r.RoiStart, r.RoiEnd));
        Assert.Equal(135, r.PointsInTolerance);
    }

    [Fact]
    public void A_manifest_profile_count_beyond_the_voltage_record_names_the_record_and_the_profile()
    {
        var ex = Assert.Throws<AnalysisException>(() =>
            DriftVelocityAnalysis.Run(Series(_ => Syn1Profile(), 10), ConstantVoltage(89), new DriftVelocityParameters { MaxProfiles = 8 }));
        Assert.Equal("VOLTAGE_RECORD_TOO_SHORT", ex.Code);
        Assert.Contains("syn-POL.txt", ex.Message, StringComparison.Ordinal);
        Assert.Contains("syn(012).txt", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Profiles_of_different_size_are_rejected_naming_the_file()
    {
        var ex = Assert.Throws<Formats.InstrumentFileException>(() => Series(k => k == 3 ? new double[128] : Syn1Profile(), 10));
        Assert.Equal("SIZE_DIFFERS", ex.Code);
        Assert.Contains("syn(008).txt", ex.Message, StringComparison.Ordinal);
    }
}
