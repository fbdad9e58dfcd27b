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

    /// <summary>SYN2's profile k: SYN1 with the plateau 60…195 tilted to 1000·(1 + 0.0005·k·(j − 127.5)/67.5).</summary>
    private static double[] Syn2Profile(int k)
    {
        var p = Syn1Profile();
        for (int j = 60; j <= 195; j++)
        {
            p[j] = 1000 * (1 + 0.0005 * k * (j - 127.5) / 67.5);
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
        var r = DriftVelocityAnalysis.Run(Series(Syn2Profile, 10), ConstantVoltage(300), new DriftVelocityParameters());
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

    /// <summary>A 300-sample record every 20.196 s whose voltage steps by 0.1 V at every 513 s profile boundary: 1.0 V during profile 0, 1.1 V during 1, ….</summary>
    private static TimeSeries SteppedVoltage(Func<double, bool>? keep = null)
    {
        var t = Enumerable.Range(0, 300).Select(i => i * 20.196).Where(x => keep?.Invoke(x) ?? true).ToArray();
        return new TimeSeries("syn-POL.txt", t, t.Select(x => 1.0 + 0.1 * Math.Floor(x / 513)).ToArray(), t.Select(_ => 2.8e-5).ToArray(), 0);
    }

    [Fact]
    public void Timestamp_windows_average_the_samples_of_each_profile_interval()
    {
        // §8: profile k averages the samples in [k·513, k·513 + 444] s, all at 1 + 0.1k V here. A uniform cell then
        // drifts at u·Vcell/L (SYN1), so v_k = −167.178·(1 + 0.1k)/1.5.
        var p = new DriftVelocityParameters { VoltageWindowMode = VoltageWindowMode.Timestamp };
        var r = DriftVelocityAnalysis.Run(Series(_ => Syn1Profile(), 10), SteppedVoltage(), p);
        Assert.Equal(10, r.ProfileCount);
        for (int k = 0; k < 10; k++)
        {
            Close(1 + 0.1 * k, r.CellVoltage[k], 1e-12);
            Assert.All(r.Velocity[k], v => Close(UniformVelocity * (1 + 0.1 * k) / 1.5, v, 1e-9));
        }
        Assert.DoesNotContain("VOLTAGE_WINDOW_EMPTY", r.Flags);
        // The published index rule on the same record: profile 0 takes rows 0…21 (all 1.0 V); profile 1 rows 22…44,
        // of which rows 22…25 (t < 513 s) are at 1.0 V and 19 at 1.1 V: 24.9/23.
        var indexed = DriftVelocityAnalysis.Run(Series(_ => Syn1Profile(), 10), SteppedVoltage(), new DriftVelocityParameters());
        Close(1.0, indexed.CellVoltage[0], 1e-12);
        Close(24.9 / 23, indexed.CellVoltage[1], 1e-12);
    }

    [Fact]
    public void Timestamp_window_without_samples_is_flagged_once_and_reuses_the_previous_voltage()
    {
        // No sample in the windows of profiles 3 ([1539, 1983] s) and 4 ([2052, 2496] s).
        var record = SteppedVoltage(t => !(t >= 1539 && t <= 1983) && !(t >= 2052 && t <= 2496));
        var r = DriftVelocityAnalysis.Run(Series(_ => Syn1Profile(), 10), record, new DriftVelocityParameters { VoltageWindowMode = VoltageWindowMode.Timestamp });
        Assert.Equal([1.0, 1.1, 1.2, 1.2, 1.2, 1.5], r.CellVoltage.Take(6).Select(v => Math.Round(v, 12)));
        Assert.Single(r.Flags, f => f == "VOLTAGE_WINDOW_EMPTY");
        Assert.Contains(r.Warnings, w => w.Contains("window of profile 3;", StringComparison.Ordinal));
        Assert.Contains(r.Warnings, w => w.Contains("window of profile 4;", StringComparison.Ordinal));
    }

    [Fact]
    public void Timestamp_mode_counts_the_profiles_the_record_covers_from_the_manifest_start()
    {
        // Covered = floor((t_last − t0 + 69)/513): the record ends at 299 × 20.196 = 6038.6 s, so t0 = 0 covers 11 ≥ 10
        // profiles and t0 = 2000 s covers floor(4107.6/513) = 8.
        var late = DriftVelocityAnalysis.Run(Series(_ => Syn1Profile(), 10), SteppedVoltage(), new DriftVelocityParameters { VoltageWindowMode = VoltageWindowMode.Timestamp, VoltageStartS = 2000 });
        Assert.Equal(8, late.ProfileCount);
        Assert.Contains(late.Warnings, w => w.StartsWith("PROFILES_UNUSED: 2 of 10 ", StringComparison.Ordinal));
        // Profile 0 then covers [2000, 2444] s, inside the 1.3 V interval [1539, 2052) and the 1.4 V one from 2052 s.
        var inWindow = Enumerable.Range(0, 300).Select(i => i * 20.196).Where(t => t >= 2000 && t <= 2444).ToArray();
        Close(inWindow.Average(t => 1.0 + 0.1 * Math.Floor(t / 513)), late.CellVoltage[0], 1e-12);
    }

    [Theory]
    [InlineData(0.01, null, null)] // ±1 % of a linear ramp holds three points: no plateau
    [InlineData(0.02, 126, 130)] // ±2 % holds five, enough for a cubic
    public void A_profile_without_a_plateau_is_an_error_naming_the_first_profile(double tolerance, int? r0, int? r1)
    {
        // p[j] = j: H = 127.5, i1 = 127, i2 = 127 (tie to the lower index), c0 = 128, M = mean(108…148) = 128.
        var series = Series(_ => Enumerable.Range(0, 256).Select(j => (double)j).ToArray(), 10);
        var p = new DriftVelocityParameters { RoiTolerance = tolerance };
        if (r0 is null)
        {
            var ex = Assert.Throws<AnalysisException>(() => DriftVelocityAnalysis.Run(series, ConstantVoltage(300), p));
            Assert.Equal("NO_PLATEAU", ex.Code);
            Assert.Contains("syn(005).txt", ex.Message, StringComparison.Ordinal);
            Assert.Contains("roiTolerance", ex.Message, StringComparison.Ordinal);
            return;
        }
        var r = DriftVelocityAnalysis.Run(series, ConstantVoltage(300), p);
        Assert.Equal((127, 127, 128), r.Centre);
        Assert.Equal(128, r.BulkLevel);
        Assert.Equal((r0!.Value, r1!.Value), (r.RoiStart, r.RoiEnd));
        Assert.Contains("ROI_SHORT", r.Flags);
        // Uniform in time, so SYN1's velocity scaled by its ROI length over this one: 2.109375 mm / 0.0625 mm.
        Assert.All(r.Velocity, row => Assert.All(row, v => Close(UniformVelocity * 2.109375 / 0.0625, v, 1e-9)));
    }

    [Theory]
    [InlineData(67, false)] // 2·67 + 1 = 135 ≤ 136 ROI points
    [InlineData(68, true)] // 137 > 136
    public void A_roi_shorter_than_the_plateau_window_is_flagged(int halfWidth, bool flagged)
    {
        var r = DriftVelocityAnalysis.Run(Series(_ => Syn1Profile(), 10), ConstantVoltage(300), new DriftVelocityParameters { PlateauHalfWidth = halfWidth });
        Assert.Equal((60, 195), (r.RoiStart, r.RoiEnd));
        Assert.Equal(flagged, r.Flags.Contains("ROI_SHORT"));
        if (flagged)
        {
            Assert.Contains("ROI_SHORT: the ROI has 136 points, fewer than 2·plateauHalfWidth+1 = 137.", r.Warnings);
        }
    }

    [Theory]
    [InlineData(27, false)] // 27 of 136 is not more than 20 % (27.2)
    [InlineData(28, true)]
    public void More_than_a_fifth_of_the_roi_outside_the_tolerance_is_flagged(int holes, bool flagged)
    {
        double[] Profile(int k)
        {
            var p = Syn1Profile();
            if (k == 0)
            {
                for (int j = 61; j < 61 + holes; j++)
                {
                    p[j] = 900;
                }
            }
            return p;
        }
        var r = DriftVelocityAnalysis.Run(Series(Profile, 10), ConstantVoltage(300), new DriftVelocityParameters());
        Assert.Equal((60, 195, 136 - holes), (r.RoiStart, r.RoiEnd, r.PointsInTolerance));
        Assert.Equal(flagged, r.Flags.Contains("ROI_HOLES"));
        if (flagged)
        {
            Assert.Contains($"ROI_HOLES: {holes} of 136 ROI points lie outside the tolerance band.", r.Warnings);
        }
    }

    [Fact]
    public void A_manifest_profile_count_is_used_and_more_than_the_files_is_an_error()
    {
        var five = DriftVelocityAnalysis.Run(Series(_ => Syn1Profile(), 10), ConstantVoltage(300), new DriftVelocityParameters { MaxProfiles = 5 });
        Assert.Equal(5, five.ProfileCount);
        Assert.Equal(10, five.FileCount);
        Assert.Equal(["syn(005).txt", "syn(006).txt", "syn(007).txt", "syn(008).txt", "syn(009).txt"], five.ProfileNames);
        Assert.Contains("PROFILES_UNUSED: 5 of 10 profiles lie beyond the voltage record and are not analysed (information).", five.Warnings);
        var all = DriftVelocityAnalysis.Run(Series(_ => Syn1Profile(), 10), ConstantVoltage(300), new DriftVelocityParameters());
        Assert.DoesNotContain(all.Warnings, w => w.StartsWith("PROFILES_UNUSED", StringComparison.Ordinal));

        var ex = Assert.Throws<AnalysisException>(() =>
            DriftVelocityAnalysis.Run(Series(_ => Syn1Profile(), 10), ConstantVoltage(300), new DriftVelocityParameters { MaxProfiles = 12 }));
        Assert.Equal("TOO_FEW_PROFILES", ex.Code);
        Assert.Contains("asks for 12 profiles but only 10", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fewer_profiles_than_the_time_polynomial_needs_is_an_error_naming_the_order()
    {
        // Order 3 needs 4 profiles; the manifest's 3 are too few, 4 are enough.
        var ex = Assert.Throws<AnalysisException>(() =>
            DriftVelocityAnalysis.Run(Series(_ => Syn1Profile(), 10), ConstantVoltage(300), new DriftVelocityParameters { MaxProfiles = 3 }));
        Assert.Equal("TOO_FEW_PROFILES", ex.Code);
        Assert.Contains("at least 4 are needed for a time polynomial of order 3", ex.Message, StringComparison.Ordinal);
        Assert.Equal(4, DriftVelocityAnalysis.Run(Series(_ => Syn1Profile(), 10), ConstantVoltage(300), new DriftVelocityParameters { MaxProfiles = 4 }).ProfileCount);
        // Order 1 needs 2.
        Assert.Equal(2, DriftVelocityAnalysis.Run(Series(_ => Syn1Profile(), 10), ConstantVoltage(300), new DriftVelocityParameters { MaxProfiles = 2, PolyOrderT = 1 }).ProfileCount);
    }

    [Fact]
    public void K_cc_is_the_first_profile_whose_window_reaches_the_cv_step()
    {
        // The current drops out of its CC band at row 100 while V stays 1.5 V: the CV step starts at row 100, and
        // 22·k ≥ 100 first for k = 5.
        var record = ConstantVoltage(300);
        var current = record.Current.Select((c, i) => i < 100 ? c : 2.0e-5).ToArray();
        var r = DriftVelocityAnalysis.Run(Series(_ => Syn1Profile(), 10), record with { Current = current }, new DriftVelocityParameters());
        Assert.Equal(5, r.Metrics.KCc);
        Assert.Equal(5, r.Metrics.AfterCc.ProfileIndex);
        Assert.DoesNotContain(r.Warnings, w => w.StartsWith("NO_CV_STEP", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_a_cv_step_k_cc_is_the_first_profile_at_the_final_voltage_or_the_last_one()
    {
        // No CV step: the first profile within 1 mV of the last profile's voltage (1.9 V from profile 9 only here).
        var stepped = DriftVelocityAnalysis.Run(Series(_ => Syn1Profile(), 10), SteppedVoltage(), new DriftVelocityParameters { VoltageWindowMode = VoltageWindowMode.Timestamp });
        Assert.Equal(9, stepped.Metrics.KCc);
        // A constant 1.5 V record reaches its final voltage at profile 1 already.
        var flat = DriftVelocityAnalysis.Run(Series(_ => Syn1Profile(), 10), ConstantVoltage(300), new DriftVelocityParameters());
        Assert.Equal(1, flat.Metrics.KCc);
        Assert.DoesNotContain(flat.Warnings, w => w.StartsWith("NO_CV_STEP", StringComparison.Ordinal));
        // A manifest CV level the record never reaches: the last profile stands in, with a warning.
        var never = DriftVelocityAnalysis.Run(Series(_ => Syn1Profile(), 10), ConstantVoltage(300), new DriftVelocityParameters { CvSetpointV = 5 });
        Assert.Equal(9, never.Metrics.KCc);
        Assert.Contains("NO_CV_STEP: no CC→CV switch found; the last profile stands in for k_CC.", never.Warnings);
    }

    [Fact]
    public void Syn2_summary_metrics_follow_from_its_edge_velocities()
    {
        // v[9][r0] = −166.921002 is the largest |v| (the plating edge of the last profile); the spatial difference is
        // 100·(166.921002 − 166.021658)/166.921002 = 0.5387842 %.
        var m = DriftVelocityAnalysis.Run(Series(Syn2Profile, 10), ConstantVoltage(300), new DriftVelocityParameters()).Metrics;
        Close(166.921002, m.VMaxAbs, 1e-6);
        Assert.Equal((9, 0.0), (m.VMaxProfileIndex, m.VMaxX1));
        Close(0.5387842, m.SpatialDiffPct, 1e-3);
        Assert.Equal((0, -166.437920, -166.437920), (m.First.ProfileIndex, Math.Round(m.First.AtPlating, 6), Math.Round(m.First.AtCounter, 6)));
        Assert.Equal((9, -166.921002, -166.021658), (m.Last.ProfileIndex, Math.Round(m.Last.AtPlating, 6), Math.Round(m.Last.AtCounter, 6)));
    }

    private static DriftVelocityResult Run(Func<int, double[]> profile, TimeSeries voltage, DriftVelocityParameters? p = null) =>
        DriftVelocityAnalysis.Run(Series(profile, 10), voltage, p ?? new DriftVelocityParameters());

    [Fact]
    public void Null_arguments_are_rejected()
    {
        Assert.Throws<ArgumentNullException>(() => DriftVelocityAnalysis.Run(null!, ConstantVoltage(300), new DriftVelocityParameters()));
        Assert.Throws<ArgumentNullException>(() => DriftVelocityAnalysis.Run(Series(_ => Syn1Profile(), 10), null!, new DriftVelocityParameters()));
        Assert.Throws<ArgumentNullException>(() => DriftVelocityAnalysis.Run(Series(_ => Syn1Profile(), 10), ConstantVoltage(300), null!));
    }

    [Fact]
    public void Syn1_positions_times_and_the_tie_rules_of_the_summary()
    {
        var r = Run(_ => Syn1Profile(), ConstantVoltage(300));
        // x1 runs 0 … 1 over the 136 ROI points; profile k sits at k·513 s.
        Assert.Equal((0.0, 1.0 / 135, 1.0), (r.X1[0], r.X1[1], r.X1[^1]));
        Assert.Equal([0.0, 513, 1026, 1539], r.TimesS.Take(4));
        // Equal edge concentrations raise no orientation warning.
        Assert.DoesNotContain("ORIENTATION_SUSPECT", r.Flags);
        Assert.Contains(r.Warnings, w => w.StartsWith("D_NEGATIVE_IN_RANGE: the D model is ≤ 0 at concentrations this cell reaches", StringComparison.Ordinal));
    }

    [Fact]
    public void A_tilt_towards_the_plating_side_raises_the_orientation_warning()
    {
        // SYN2 mirrored: salt accumulates at x1 = 0, which §7 says cannot happen at the plating electrode.
        var r = Run(k => Syn2Profile(k).Reverse().ToArray(), ConstantVoltage(300));
        Assert.Contains("ORIENTATION_SUSPECT", r.Flags);
        Assert.Contains(r.Warnings, w => w.StartsWith("ORIENTATION_SUSPECT: at the last profile c(x1=0) = ", StringComparison.Ordinal));
    }

    [Fact]
    public void Velocities_below_one_micrometre_per_hour_still_have_their_maximum()
    {
        // 1 mV instead of 1.5 V: v = −167.17830756·0.001/1.5 = −0.111452 µm/h everywhere.
        var r = Run(_ => Syn1Profile(), ConstantVoltage(300, 0.001));
        Close(167.17830756 * 0.001 / 1.5, r.Metrics.VMaxAbs, 1e-9);
    }

    [Fact]
    public void A_manifest_count_equal_to_the_files_or_to_the_covered_profiles_is_allowed()
    {
        Assert.Equal(10, Run(_ => Syn1Profile(), ConstantVoltage(300), new DriftVelocityParameters { MaxProfiles = 10 }).ProfileCount);
        Assert.Equal(4, Run(_ => Syn1Profile(), ConstantVoltage(89), new DriftVelocityParameters { MaxProfiles = 4 }).ProfileCount); // 88/22 = 4 covered
        // One more than covered names the record's length in hours: 88 × 20.196 s = 0.494 h.
        var ex = Assert.Throws<AnalysisException>(() => Run(_ => Syn1Profile(), ConstantVoltage(89), new DriftVelocityParameters { MaxProfiles = 5 }));
        Assert.Contains("syn-POL.txt ends after 89 samples (0.494 h), which covers 4 profiles", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_first_half_height_search_stops_at_size_over_2_minus_1()
    {
        // A ramp 0, 100, … at 123…132 puts exactly H = 500 at j = 128, outside [0, 127]: i1 is 127 (400, the closest inside);
        // i2's range [127, 255] starts at 127 and finds 500 at 128 first. c0 = (127 + 128)/2 + 1 = 128.
        double[] Profile(int k)
        {
            var p = new double[256];
            for (int j = 123; j <= 132; j++)
            {
                p[j] = 100 * (j - 123);
            }
            for (int j = 133; j <= 230; j++)
            {
                p[j] = 1000;
            }
            for (int j = 231; j <= 240; j++)
            {
                p[j] = 900 - 100 * (j - 231);
            }
            return p;
        }
        var r = Run(Profile, ConstantVoltage(300));
        Assert.Equal((127, 128, 128), r.Centre);
        // M = mean(p[108…148]) = (0 + 100 + … + 900 + 16 × 1000)/41 = 20500/41 = 500; strictly within ±5 % of it are only
        // the two points at exactly 500, j = 128 and 235.
        Assert.Equal(500, r.BulkLevel, 12);
        Assert.Equal((128, 235, 2), (r.RoiStart, r.RoiEnd, r.PointsInTolerance));
    }

    [Fact]
    public void A_plateau_window_wider_than_the_profile_is_cut_at_its_ends()
    {
        // plateauHalfWidth 200 around c0 = 128: M = mean of all 256 points = (4500 + 136000 + 4500)/256 = 566.40625, and
        // no point lies within ±5 % of it.
        var ex = Assert.Throws<AnalysisException>(() => Run(_ => Syn1Profile(), ConstantVoltage(300), new DriftVelocityParameters { PlateauHalfWidth = 200 }));
        Assert.Equal("NO_PLATEAU", ex.Code);
        Assert.Contains("bulk level 566.406", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_plateau_from_the_first_point_starts_the_roi_at_zero()
    {
        // 1000 from j = 0 to 195, then SYN1's falling ramp: i1 = 0 (every point of [0, 127] is 500 from H), i2 = 200,
        // c0 = 101, M = 1000, ROI 0…195.
        double[] Profile(int k)
        {
            var p = Syn1Profile();
            for (int j = 0; j < 60; j++)
            {
                p[j] = 1000;
            }
            return p;
        }
        var r = Run(Profile, ConstantVoltage(300));
        Assert.Equal((0, 200, 101), r.Centre);
        Assert.Equal((0, 195), (r.RoiStart, r.RoiEnd));
    }

    /// <summary>SYN1 with its plateau one point shorter (60…194, 135 points): 0.2·135 = 27 and 2·67 + 1 = 135 exactly.</summary>
    private static double[] Syn1Short(int k)
    {
        var p = Syn1Profile();
        p[195] = 900;
        return p;
    }

    [Fact]
    public void The_roi_flags_are_strict_at_their_exact_bounds()
    {
        // ROI 135 = 2·67 + 1: not shorter. 27 holes of 135 = exactly 20 %: not more.
        double[] WithHoles(int k)
        {
            var p = Syn1Short(k);
            if (k == 0)
            {
                for (int j = 61; j < 88; j++)
                {
                    p[j] = 900;
                }
            }
            return p;
        }
        var r = Run(WithHoles, ConstantVoltage(300), new DriftVelocityParameters { PlateauHalfWidth = 67 });
        Assert.Equal((60, 194, 108), (r.RoiStart, r.RoiEnd, r.PointsInTolerance));
        Assert.DoesNotContain("ROI_SHORT", r.Flags);
        Assert.DoesNotContain("ROI_HOLES", r.Flags);
    }

    [Theory]
    [InlineData(950, 135)] // exactly M(1 − 0.05): outside the strict band
    [InlineData(1050, 135)] // exactly M(1 + 0.05)
    [InlineData(951, 136)]
    public void The_tolerance_band_is_open_at_both_ends(double value, int inside)
    {
        double[] Profile(int k)
        {
            var p = Syn1Profile();
            if (k == 0)
            {
                p[100] = value;
            }
            return p;
        }
        Assert.Equal(inside, Run(Profile, ConstantVoltage(300)).PointsInTolerance);
    }

    [Fact]
    public void A_d_model_outside_its_validity_range_is_flagged()
    {
        // The EO:Li model at a reference ratio of 30 is evaluated at 30 everywhere, beyond its validity 5.80–25.06.
        var r = Run(_ => Syn1Profile(), ConstantVoltage(300), new DriftVelocityParameters { DModel = DiffusionModel.EoLiRatioCorrected with { ReferenceRatio = 30 } });
        Assert.Contains("D_OUTSIDE_VALIDITY", r.Flags);
        Assert.Contains("D_OUTSIDE_VALIDITY: the D model is evaluated outside its stated validity range.", r.Warnings);
        Assert.DoesNotContain("D_OUTSIDE_VALIDITY", Run(_ => Syn1Profile(), ConstantVoltage(300), new DriftVelocityParameters { DModel = DiffusionModel.EoLiRatioCorrected }).Flags);
    }

    [Fact]
    public void Published_index_windows_take_rows_0_to_pv_minus_1_then_pv_plus_1_rows_sharing_the_first()
    {
        // V_i = i mV: profile 0 averages rows 0…21 (10.5 mV), profile k rows 22k…22k + 22 (22k + 11 mV).
        var ramp = ConstantVoltage(300) with { Voltage = Enumerable.Range(0, 300).Select(i => 0.001 * i).ToArray() };
        var r = Run(_ => Syn1Profile(), ramp);
        Close(0.0105, r.CellVoltage[0], 1e-12);
        Close(0.033, r.CellVoltage[1], 1e-12);
        Close(0.209, r.CellVoltage[9], 1e-12); // rows 198…220
    }

    [Fact]
    public void Timestamp_windows_include_both_ends()
    {
        // Samples exactly at each window's start (k·513 s, V = 1 + k) and end (k·513 + 444 s, V = 3 + k): each profile
        // averages both, 2 + k. The record ends at 9·513 + 444 = 5061 s, which covers floor((5061 + 69)/513) = 10 profiles.
        var t = Enumerable.Range(0, 10).SelectMany(k => new[] { 513.0 * k, 513.0 * k + 444 }).ToArray();
        var v = Enumerable.Range(0, 10).SelectMany(k => new[] { 1.0 + k, 3.0 + k }).ToArray();
        var record = new TimeSeries("syn-POL.txt", t, v, t.Select(_ => 2.8e-5).ToArray(), 0);
        var r = Run(_ => Syn1Profile(), record, new DriftVelocityParameters { VoltageWindowMode = VoltageWindowMode.Timestamp });
        Assert.Equal(Enumerable.Range(0, 10).Select(k => 2.0 + k), r.CellVoltage);
    }

    [Fact]
    public void An_empty_first_timestamp_window_takes_the_first_sample()
    {
        // t0 = −1000 s: profile 0 covers [−1000, −556] s and profile 1 [−487, −43] s, before the record starts.
        var r = Run(_ => Syn1Profile(), SteppedVoltage(), new DriftVelocityParameters { VoltageWindowMode = VoltageWindowMode.Timestamp, VoltageStartS = -1000 });
        Assert.Equal([1.0, 1.0], r.CellVoltage.Take(2));
        Assert.Equal(2, r.Warnings.Count(w => w.StartsWith("VOLTAGE_WINDOW_EMPTY", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(110, 1.5, null, 5, false)] // the CV step starts at row 110 = 5·22: k_CC = 5
    [InlineData(250, 1.5, null, 1, false)] // it starts after the last window (row 198): the first profile at its voltage, 1
    [InlineData(250, 1.6, null, 9, true)] // its voltage 1.6 V is never a profile's: the last profile, with a warning
    [InlineData(100, 1.5, 5.0, 9, true)] // a manifest CV level of 5 V: no CV step is found at 1.5 V
    public void K_cc_follows_the_cv_step_of_the_record(int cvRow, double cvVolts, double? manifestCv, int kcc, bool warned)
    {
        var record = ConstantVoltage(300);
        record = record with
        {
            Current = record.Current.Select((c, i) => i < cvRow ? c : 2.0e-5).ToArray(),
            Voltage = record.Voltage.Select((v, i) => i < cvRow ? v : cvVolts).ToArray(),
        };
        var r = Run(_ => Syn1Profile(), record, new DriftVelocityParameters { CvSetpointV = manifestCv });
        Assert.Equal(kcc, r.Metrics.KCc);
        Assert.Equal(warned, r.Warnings.Any(w => w.StartsWith("NO_CV_STEP", StringComparison.Ordinal)));
    }
}
