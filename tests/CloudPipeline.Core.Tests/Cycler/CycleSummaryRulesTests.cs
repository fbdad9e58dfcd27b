using CloudPipeline.Core.Analysis;
using CloudPipeline.Core.Analysis.Cycler;
using CloudPipeline.Core.Formats.Cycler;
using Xunit;

namespace CloudPipeline.Core.Tests.Cycler;

/// <summary>
/// The rules of ec-integrate and ec-cycle-summary (electrochemistry.md §3, §6) on a few hand-made rows whose trapezoid
/// integrals are worked out by hand: the rest threshold, backwards time, the vendor cross-check, the retention
/// reference, step bounds and the first direction.
/// </summary>
public sealed class CycleSummaryRulesTests
{
    private static CyclerSample Row(int row, double t, double i, double v = 3, int cycle = -1, int step = -1, double vendorCharge = double.NaN, double vendorDischarge = double.NaN) =>
        new(row, t, v, i, cycle, step, null, double.NaN, vendorCharge, vendorDischarge, double.NaN, double.NaN, double.NaN);

    /// <summary>Vendor cycles of 1 Ah in (1 A for an hour), <paramref name="outAh"/> out (that current for an hour), each closed by a rest.</summary>
    private static List<CyclerSample> Cycles(double[] outAh)
    {
        var rows = new List<CyclerSample>();
        int row = 2;
        double t = 0;
        for (int c = 1; c <= outAh.Length; c++)
        {
            rows.Add(Row(row++, t, 1, cycle: c, step: 1));
            rows.Add(Row(row++, t += 3600, 1, cycle: c, step: 1));
            rows.Add(Row(row++, t += 1, -outAh[c - 1], cycle: c, step: 2));
            rows.Add(Row(row++, t += 3600, -outAh[c - 1], cycle: c, step: 2));
            rows.Add(Row(row++, t += 1, 0, cycle: c, step: 3));
            rows.Add(Row(row++, t += 10, 0, cycle: c, step: 3));
            t += 1;
        }
        return rows;
    }

    [Fact]
    public void An_empty_record_is_an_error()
    {
        Assert.Equal("NO_ROWS", Assert.Throws<AnalysisException>(() => new CycleSummaryBuilder().Finish()).Code);
    }

    [Fact]
    public void Time_running_backwards_adds_nothing_and_is_flagged_once()
    {
        // 1 A at t = 0, 10, 5, 15, 12: the forward intervals 10 s and 10 s count, the two backward ones 0 → 20 As.
        var a = CycleSummaryTests.Analyse([Row(2, 0, 1), Row(3, 10, 1), Row(4, 5, 1), Row(5, 15, 1), Row(6, 12, 1)]);
        Assert.Equal(20.0 / 3600, a.ChargeAh, 1e-15);
        Assert.Equal(["TIME_NOT_INCREASING", "CYCLES_FROM_DIRECTION"], a.Flags);
        Assert.Equal(5, a.Samples);
        Assert.Equal(12, a.DurationS);
    }

    [Theory]
    [InlineData(1.004, 0.005, false)] // |1/1.004 − 1| = 0.40 % ≤ 0.5 %
    [InlineData(1.006, 0.005, true)] // 0.60 % > 0.5 %
    [InlineData(1.006, 0.01, false)] // within a 1 % tolerance
    public void A_step_whose_charge_differs_from_the_vendor_counter_beyond_the_tolerance_is_flagged(double vendorAh, double tolerance, bool flagged)
    {
        // 1 A for 3600 s is 1 Ah; the vendor's charge counter rises from 0.5 to 0.5 + vendorAh.
        var a = CycleSummaryTests.Analyse([Row(2, 0, 1, cycle: 1, step: 1, vendorCharge: 0.5), Row(3, 3600, 1, cycle: 1, step: 1, vendorCharge: 0.5 + vendorAh)],
            new CycleSummaryParameters { VendorTolerance = tolerance });
        var step = Assert.Single(a.Steps);
        Assert.Equal(vendorAh, step.VendorAh!.Value, 1e-12);
        Assert.Equal(1 / vendorAh - 1, step.VendorDeviation!.Value, 1e-12);
        Assert.Equal(flagged, step.Flags.Contains("VENDOR_MISMATCH"));
        Assert.Equal(flagged, Assert.Single(a.Cycles).Flags.Contains("VENDOR_MISMATCH"));
    }

    [Fact]
    public void A_discharge_step_is_checked_against_the_discharge_counter()
    {
        var a = CycleSummaryTests.Analyse([Row(2, 0, -2, cycle: 1, step: 1, vendorCharge: 7, vendorDischarge: 1), Row(3, 1800, -2, cycle: 1, step: 1, vendorCharge: 7, vendorDischarge: 2)]);
        var step = Assert.Single(a.Steps);
        Assert.Equal((CycleDirection.Discharge, -1.0, 1.0), (step.Direction, step.ChargeAh, step.VendorAh!.Value));
        Assert.Equal(0, step.VendorDeviation!.Value, 12);
        // No counter in the file: no cross-check.
        Assert.Null(CycleSummaryTests.Analyse([Row(2, 0, 1), Row(3, 10, 1)]).Steps[0].VendorAh);
    }

    [Theory]
    [InlineData(1e-9, CycleDirection.Rest)] // 0.5 nA is at or below the default 1 nA: rest
    [InlineData(1e-10, CycleDirection.Charge)]
    public void Currents_at_or_below_the_rest_threshold_are_rest(double threshold, CycleDirection expected)
    {
        var a = CycleSummaryTests.Analyse([Row(2, 0, 5e-10), Row(3, 10, 5e-10), Row(4, 20, 1e-9)], new CycleSummaryParameters { RestCurrentA = threshold });
        Assert.Equal(expected, a.Steps[0].Direction);
    }

    [Fact]
    public void Steps_know_their_rows_times_and_samples_relative_to_the_first_row()
    {
        // Rest 2 rows from t = 100 s, charge 3 rows, discharge 2 rows (no vendor indices: direction runs).
        var a = CycleSummaryTests.Analyse([Row(10, 100, 0), Row(11, 110, 0), Row(12, 120, 1), Row(13, 130, 1), Row(14, 140, 1), Row(15, 150, -1), Row(16, 160, -1)]);
        Assert.Equal([CycleDirection.Rest, CycleDirection.Charge, CycleDirection.Discharge], a.Steps.Select(s => s.Direction));
        Assert.Equal([(10, 11, 2, 0.0, 10.0), (12, 14, 3, 20.0, 40.0), (15, 16, 2, 50.0, 60.0)], a.Steps.Select(s => (s.FirstRow, s.LastRow, s.Samples, s.StartS, s.EndS)));
        // Within steps: charge 1 A × 20 s, discharge −1 A × 10 s; the joins (110→120: ½·1·10, 140→150: 0) are inter-step.
        Assert.Equal(0, a.Steps[0].ChargeAh);
        Assert.Equal(20.0 / 3600, a.Steps[1].ChargeAh, 1e-15);
        Assert.Equal(-10.0 / 3600, a.Steps[2].ChargeAh, 1e-15);
        Assert.Equal(5.0 / 3600, a.InterStepChargeAh, 1e-15);
        // The first non-rest step decides the first direction; the record stops inside its first cycle.
        Assert.Equal(CycleDirection.Charge, a.FirstDirection);
        Assert.Contains("INCOMPLETE_CYCLE", Assert.Single(a.Cycles).Flags);
    }

    [Fact]
    public void Retention_refers_to_the_manifest_cycle_when_it_names_one()
    {
        // Three vendor cycles, each 1 Ah in and 0.8, 0.5, 0.4 Ah out, each closed by a rest.
        double[] outAh = [0.8, 0.5, 0.4];
        var rows = Cycles(outAh);
        var first = CycleSummaryTests.Analyse(rows);
        Assert.Equal([1.0, 0.625, 0.5], first.Cycles.Select(c => Math.Round(c.Retention!.Value, 12)));
        // Each cycle lasts from its first row to its rest's last: 3600 + 1 + 3600 + 1 + 10 s. At 3 V, the first cycle's
        // charge step stores 1 A · 3 V · 3600 s = 3 Wh and its discharge step −0.8 A · 3 V · 3600 s = −2.4 Wh.
        Assert.All(first.Cycles, c => Assert.Equal(7212, c.DurationS));
        Assert.Equal([3.0, -2.4, 0.0], first.Steps.Take(3).Select(s => Math.Round(s.EnergyWh, 12)));
        Assert.Equal((3.0, 2.4), (Math.Round(first.Cycles[0].EInWh, 12), Math.Round(first.Cycles[0].EOutWh, 12)));
        var second = CycleSummaryTests.Analyse(rows, new CycleSummaryParameters { ReferenceCycle = 2 });
        Assert.Equal([1.6, 1.0, 0.8], second.Cycles.Select(c => Math.Round(c.Retention!.Value, 12)));
        Assert.All(second.Cycles, c => Assert.Empty(c.Flags));
        Assert.Null(CycleSummaryTests.Analyse(rows, new CycleSummaryParameters { ReferenceCycle = 9 }).Cycles[0].Retention); // no such cycle
    }

    [Fact]
    public void Record_wide_integrals_split_charge_and_discharge_energy_and_time_counts_from_the_first_row()
    {
        // From t = 100 s: 2 A at 4 V for 10 s, then −1 A at 3 V for 20 s, with a 1 s join between them. The record-wide
        // integrals split each trapezoid by the sign of its ends, so the join adds its positive half to charge and its
        // negative half to discharge.
        var a = CycleSummaryTests.Analyse([Row(2, 100, 2, 4), Row(3, 110, 2, 4), Row(4, 111, -1, 3), Row(5, 131, -1, 3)]);
        Assert.Equal(31, a.DurationS);
        Assert.Equal((20 + 1.0) / 3600, a.ChargeAh, 1e-15); // the join's +2 A half contributes ½·2·1 = 1 As
        Assert.Equal((20 + 0.5) / 3600, a.DischargeAh, 1e-15); // and its −1 A half ½·1·1 = 0.5 As
        Assert.Equal((80 + 4.0) / 3600, a.ChargeWh, 1e-15); // ½·(2·4)·1 = 4 Ws
        Assert.Equal((60 + 1.5) / 3600, a.DischargeWh, 1e-15); // ½·(1·3)·1 = 1.5 Ws
    }

    [Fact]
    public void Equal_times_are_not_backwards_and_a_vendor_cycle_0_counts_as_a_cycle_index()
    {
        var a = CycleSummaryTests.Analyse([Row(2, 0, 1, cycle: 0, step: 1), Row(3, 0, 1, cycle: 0, step: 1), Row(4, 10, 1, cycle: 0, step: 1)]);
        Assert.Empty(a.Flags); // neither TIME_NOT_INCREASING nor CYCLES_FROM_DIRECTION
        Assert.Equal(0, Assert.Single(a.Cycles).Cycle);
        Assert.Contains("the record has no rows", Assert.Throws<AnalysisException>(() => new CycleSummaryBuilder().Finish()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_manifest_first_direction_wins_over_the_records_first_step()
    {
        var a = CycleSummaryTests.Analyse([Row(2, 0, 1), Row(3, 10, 1), Row(4, 20, -1), Row(5, 30, -1)], new CycleSummaryParameters { FirstDirection = CycleDirection.Discharge });
        Assert.Equal(CycleDirection.Discharge, a.FirstDirection);
        // The charge step comes first but is Q_out of a discharge-first cycle; the discharge that follows starts cycle 2.
        Assert.Equal([1, 2], a.Cycles.Select(c => c.Cycle));
        Assert.Equal(10.0 / 3600, a.Cycles[0].QOutAh, 1e-15);
    }

    [Fact]
    public void Resistance_readings_average_per_step_and_weight_by_count_per_cycle_ignoring_missing_zero_and_negative()
    {
        static CyclerSample R(int row, double t, double i, int step, double ohm) =>
            new(row, t, 3, i, 1, step, null, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, ohm);
        // Step 1 reads 2, NaN, 0 (a vendor's "not measured"), 4 and +∞: mean 3 of 2 readings. Step 2 reads 10 and −5: 10 of 1.
        var a = CycleSummaryTests.Analyse([R(2, 0, 1, 1, 2), R(3, 1, 1, 1, double.NaN), R(4, 2, 1, 1, 0), R(5, 3, 1, 1, 4), R(6, 4, 1, 1, double.PositiveInfinity),
            R(7, 5, -1, 2, 10), R(8, 6, -1, 2, -5)]);
        Assert.Equal((3.0, 2), (a.Steps[0].ResistanceOhm!.Value, a.Steps[0].ResistanceReadings));
        Assert.Equal((10.0, 1), (a.Steps[1].ResistanceOhm!.Value, a.Steps[1].ResistanceReadings));
        Assert.Equal((2 * 3 + 10) / 3.0, Assert.Single(a.Cycles).InternalResistanceOhm!.Value, 1e-12);
        // A first row without a reading starts the count at 0; a step without any has none.
        var none = CycleSummaryTests.Analyse([R(2, 0, 1, 1, double.NaN), R(3, 1, 1, 1, 6), R(4, 2, -1, 2, 0)]);
        Assert.Equal((6.0, 1), (none.Steps[0].ResistanceOhm!.Value, none.Steps[0].ResistanceReadings));
        Assert.Equal((null, 0), (none.Steps[1].ResistanceOhm, none.Steps[1].ResistanceReadings));
        Assert.Equal(6.0, Assert.Single(none.Cycles).InternalResistanceOhm!.Value, 1e-12);
        Assert.Null(CycleSummaryTests.Analyse([Row(2, 0, 1), Row(3, 1, 1)]).Cycles[0].InternalResistanceOhm);
    }

    [Theory]
    [InlineData(1.0, CycleDirection.Charge)]
    [InlineData(-1.0, CycleDirection.Discharge)]
    public void A_step_whose_charge_nets_to_zero_keeps_the_direction_of_its_first_moving_row(double firstCurrent, CycleDirection expected)
    {
        // A rest row, then ±1 A and ∓1 A one second apart: ½(0 ± 1)·1 + ½(±1 ∓ 1)·1 = ±0.5, then back to zero with
        // a closing row at 0 A: ½(∓1 + 0)·1 = ∓0.5. The step moved but its charge is exactly 0.
        var a = CycleSummaryTests.Analyse([Row(2, 0, 0, step: 1, cycle: 1), Row(3, 1, firstCurrent, step: 1, cycle: 1), Row(4, 2, -firstCurrent, step: 1, cycle: 1), Row(5, 3, 0, step: 1, cycle: 1)]);
        var step = Assert.Single(a.Steps);
        Assert.Equal(0.0, step.ChargeAh);
        Assert.Equal(expected, step.Direction);
        // Rows that never move are a rest step.
        Assert.Equal(CycleDirection.Rest, Assert.Single(CycleSummaryTests.Analyse([Row(2, 0, 0, step: 1, cycle: 1), Row(3, 1, 0, step: 1, cycle: 1)]).Steps).Direction);
    }

    [Fact]
    public void Fade_relative_to_the_reference_cycle_divides_the_slope_by_its_discharge()
    {
        // Q_out of 0.8, 0.5, 0.4 Ah over cycles 1–3: the least-squares slope is (0.4 − 0.8)/2 = −0.2 Ah per cycle, and
        // with mean 0.5667 the fitted line leaves residuals 0.0333, −0.0667, 0.0333: R² = 1 − 0.00667/0.08667 = 0.923077.
        double[] outAh = [0.8, 0.5, 0.4];
        var rows = Cycles(outAh);
        var first = CycleSummaryTests.Analyse(rows).Fade!;
        Assert.Equal(3, first.Cycles);
        Assert.Equal(-0.2, first.SlopeAhPerCycle, 1e-12);
        Assert.Equal(-0.2 / 0.8, first.RelativePerCycle, 1e-12);
        Assert.Equal(1 - 0.02 / 3 / (0.26 / 3), first.RSquared, 1e-9);
        var second = CycleSummaryTests.Analyse(rows, new CycleSummaryParameters { ReferenceCycle = 2 }).Fade!;
        Assert.Equal(-0.2 / 0.5, second.RelativePerCycle, 1e-12);
        // One complete cycle is not a trend.
        Assert.Null(CycleSummaryTests.Analyse(rows.Take(6)).Fade);
    }
}
