using System.Globalization;
using System.Text;
using CloudPipeline.Core.Analysis.Cycler;
using Xunit;

namespace CloudPipeline.Core.Tests.Cycler;

/// <summary><c>ec-integrate</c> and <c>ec-cycle-summary</c> against the spec's oracles (electrochemistry §8.4–8.5) and a hand-calculated synthetic record.</summary>
public sealed class CycleSummaryTests
{
    internal static CyclerAnalysis Analyse(IEnumerable<Formats.Cycler.CyclerSample> rows, CycleSummaryParameters? p = null)
    {
        var builder = new CycleSummaryBuilder(p);
        foreach (var row in rows)
        {
            builder.Add(row);
        }
        return builder.Finish();
    }

    [Fact]
    public void Neware_half_cell_cycles_match_the_spec_table()
    {
        var a = Analyse(CyclerReaderTests.ReadReal("neware-csv/neware_uio.csv").Rows);
        Assert.Equal(CycleDirection.Discharge, a.FirstDirection); // an anode half cell starts with discharge
        // Electrochemistry spec §8.4 (tolerance 0.5 %): Q_dis, Q_chg (mAh), CE, mean voltages.
        (double QDis, double QChg, double Ce, double VDis, double VChg)[] expected =
        [
            (5.0862, 4.2494, 0.8355, 0.1700, 0.4079),
            (4.3684, 4.2467, 0.9721, 0.1955, 0.4066),
            (7.9740, 7.8347, 0.9825, 0.2004, 0.4270),
            (3.3151, 1.4380, 0.4338, 0.2139, 0.3166),
        ];
        Assert.Equal([1, 2, 3, 4], a.Cycles.Select(c => c.Cycle));
        for (int i = 0; i < 4; i++)
        {
            var c = a.Cycles[i];
            var e = expected[i];
            Assert.Equal(e.QDis, c.QInAh * 1e3, e.QDis * 0.005);
            Assert.Equal(e.QChg, c.QOutAh * 1e3, e.QChg * 0.005);
            Assert.Equal(e.Ce, c.CoulombicEfficiency!.Value, e.Ce * 0.005);
            Assert.Equal(e.VDis, c.MeanVoltageInV!.Value, e.VDis * 0.005);
            Assert.Equal(e.VChg, c.MeanVoltageOutV!.Value, e.VChg * 0.005);
        }
        Assert.Equal([false, false, false, true], a.Cycles.Select(c => c.Flags.Contains("INCOMPLETE_CYCLE")));

        // Every non-rest step's trapezoid charge matches the vendor's counter within 0.5 %; cycle 3 step 6 is the
        // largest difference, at 0.36 %.
        var moving = a.Steps.Where(s => s.Direction != CycleDirection.Rest).ToList();
        Assert.All(moving, s => Assert.True(Math.Abs(s.VendorDeviation!.Value) < 0.005, $"step {s.Cycle}/{s.Step}: {s.VendorDeviation:P3}"));
        var worst = moving.MaxBy(s => Math.Abs(s.VendorDeviation!.Value))!;
        Assert.Equal((3, 6), (worst.Cycle, worst.Step));
        Assert.Equal(0.0036, Math.Abs(worst.VendorDeviation!.Value), 0.0002);
        Assert.DoesNotContain(a.Cycles, c => c.Flags.Contains("VENDOR_MISMATCH"));
    }

    [Fact]
    public void Arbin_record_without_indices_integrates_to_the_vendor_increment()
    {
        var a = Analyse(CyclerReaderTests.ReadReal("arbin-csv/2017-05-09_test-TC-contact_CH33.csv").Rows);
        // Spec §8.5: ∫I⁺dt = 0.602952 Ah, charge energy 2.098146 Wh (both given to six digits).
        Assert.Equal(0.602952, a.ChargeAh, 0.0000005);
        Assert.Equal(2.098146, a.ChargeWh, 0.0000005);
        Assert.Equal(0, a.DischargeAh);
        // No cycle index: the direction rule (spec §2) makes the one charge segment cycle 1, which lacks a discharge.
        Assert.Contains("CYCLES_FROM_DIRECTION", a.Flags);
        var cycle = Assert.Single(a.Cycles);
        Assert.Equal((1, 0.0), (cycle.Cycle, cycle.QOutAh));
        Assert.Contains("INCOMPLETE_CYCLE", cycle.Flags);
        // One charge segment; the vendor's counter rose 0.608270 − 0.005178 = 0.603092 Ah: within 0.05 %.
        var step = Assert.Single(a.Steps);
        Assert.Equal(CycleDirection.Charge, step.Direction);
        Assert.Equal(0.603092, step.VendorAh!.Value, 0.000001);
        Assert.True(Math.Abs(step.VendorDeviation!.Value) < 0.0005);
    }

    [Fact]
    public void Synthetic_cycles_give_their_hand_calculated_capacities_exactly()
    {
        // Arbin layout, 10 s sampling. Each cycle: rest 60 s, charge +I_c for 3600 s with V rising linearly
        // 3.0 → 4.0 V, rest 60 s, discharge −I_d for 3600 s with V falling 4.0 → 3.0 V, rest 60 s.
        // Constant current and linear voltage make the trapezoid rule exact:
        //   Q = I·3600 s, E = I·3600 s·(mean V = 3.5 V).
        double[] charge = [1.0, 0.98, 0.96];
        double[] discharge = [0.9, 0.931, 0.95];
        string csv = SyntheticArbin(charge, discharge, resistances: null);
        var (_, rows, _) = CyclerReaderTests.Read(Encoding.UTF8.GetBytes(csv), "synthetic.csv");
        var a = Analyse(rows);
        Assert.Equal(CycleDirection.Charge, a.FirstDirection);
        Assert.Equal(3, a.Cycles.Count);
        for (int c = 0; c < 3; c++)
        {
            var s = a.Cycles[c];
            Assert.Equal(charge[c], s.QInAh, charge[c] * 1e-9);
            Assert.Equal(discharge[c], s.QOutAh, discharge[c] * 1e-9);
            Assert.Equal(charge[c] * 3.5, s.EInWh, charge[c] * 3.5 * 1e-9);
            Assert.Equal(discharge[c] * 3.5, s.EOutWh, discharge[c] * 3.5 * 1e-9);
            Assert.Equal(discharge[c] / charge[c], s.CoulombicEfficiency!.Value, 1e-9 * discharge[c] / charge[c]);
            Assert.Equal(3.5, s.MeanVoltageInV!.Value, 3.5e-9);
            Assert.Equal(discharge[c] / discharge[0], s.Retention!.Value, 1e-9);
            Assert.Equal(5, s.Steps);
            Assert.Empty(s.Flags);
        }
        // The 1 s joins between steps are kept apart: net charge of the file = Σ steps + inter-step charge.
        double net = a.ChargeAh - a.DischargeAh;
        Assert.Equal(net, a.Steps.Sum(s => s.ChargeAh) + a.InterStepChargeAh, 1e-12);
    }

    [Fact]
    public void Without_cycle_and_step_indices_cycles_start_where_charge_follows_discharge()
    {
        // The synthetic record above with its Step_Index and Cycle_Index left empty: spec §2's rule (a new cycle at a
        // step in the first direction that follows one of the opposite direction) finds the same three cycles, with the
        // same hand-calculated capacities. Steps are the current's direction runs, so a cycle's closing rest and the next
        // cycle's opening rest are one step: 5 steps in cycle 1, then 4.
        double[] charge = [1.0, 0.98, 0.96];
        double[] discharge = [0.9, 0.931, 0.95];
        var (_, rows, _) = CyclerReaderTests.Read(Encoding.UTF8.GetBytes(SyntheticArbin(charge, discharge, resistances: null, indices: false)), "no-indices.csv");
        var a = Analyse(rows);
        Assert.Contains("CYCLES_FROM_DIRECTION", a.Flags);
        Assert.Equal([1, 2, 3], a.Cycles.Select(c => c.Cycle));
        Assert.Equal([5, 4, 4], a.Cycles.Select(c => c.Steps));
        for (int c = 0; c < 3; c++)
        {
            Assert.Equal(charge[c], a.Cycles[c].QInAh, charge[c] * 1e-9);
            Assert.Equal(discharge[c], a.Cycles[c].QOutAh, discharge[c] * 1e-9);
            Assert.Equal(discharge[c] / charge[c], a.Cycles[c].CoulombicEfficiency!.Value, 1e-9 * discharge[c] / charge[c]);
            Assert.Empty(a.Cycles[c].Flags);
        }

        // An anode half cell that starts with discharge: cycles start at each discharge that follows a charge.
        var anode = Analyse(rows.Select(r => r with { CurrentA = -r.CurrentA }), new CycleSummaryParameters { FirstDirection = CycleDirection.Discharge });
        Assert.Equal(3, anode.Cycles.Count);
        Assert.Equal(charge[0], anode.Cycles[0].QInAh, charge[0] * 1e-9);
    }

    [Fact]
    public void Capacity_fade_is_the_line_through_the_complete_cycles_and_resistance_the_mean_of_the_readings()
    {
        // Discharge 0.95, 0.94, 0.93, 0.92 Ah: a straight line of −0.01 Ah per cycle, −0.01/0.95 per cycle of the
        // reference (cycle 1), R² = 1. A fifth cycle that stops inside its discharge is incomplete and left out.
        // Resistance: one reading per discharge step, 50 + cycle mΩ; every other row 0 (not measured).
        double[] charge = [1.0, 1.0, 1.0, 1.0, 1.0];
        double[] discharge = [0.95, 0.94, 0.93, 0.92, 0.5];
        string csv = SyntheticArbin(charge, discharge, resistances: [0.051, 0.052, 0.053, 0.054, 0.055], cutLastDischargeAt: 0.5);
        var (_, rows, _) = CyclerReaderTests.Read(Encoding.UTF8.GetBytes(csv), "fade.csv");
        var a = Analyse(rows);
        Assert.Equal([false, false, false, false, true], a.Cycles.Select(c => c.Flags.Contains("INCOMPLETE_CYCLE")));
        var fade = a.Fade!;
        Assert.Equal(4, fade.Cycles);
        Assert.Equal(-0.01, fade.SlopeAhPerCycle, 1e-12);
        Assert.Equal(-0.01 / 0.95, fade.RelativePerCycle, 1e-12);
        Assert.Equal(1, fade.RSquared, 1e-12);
        Assert.Equal([0.051, 0.052, 0.053, 0.054, 0.055], a.Cycles.Select(c => Math.Round(c.InternalResistanceOhm!.Value, 12)));

        // Without readings there is no resistance, and one complete cycle gives no fade line.
        var single = Analyse(CyclerReaderTests.Read(Encoding.UTF8.GetBytes(SyntheticArbin([1.0], [0.9], resistances: null)), "one.csv").Rows);
        Assert.Null(single.Fade);
        Assert.Null(Assert.Single(single.Cycles).InternalResistanceOhm);
    }

    /// <summary>
    /// An Arbin-layout record, 10 s sampling: per cycle rest 60 s, charge +I_c for 3600 s (V 3.0 → 4.0 V), rest 60 s,
    /// discharge −I_d for 3600 s (V 4.0 → 3.0 V; only <paramref name="cutLastDischargeAt"/> of it in the last cycle when
    /// given), rest 60 s; 1 s between a step's last row and the next step's first; step and cycle indices left empty
    /// unless <paramref name="indices"/>. With <paramref name="resistances"/>,
    /// the first row of each discharge step carries that cycle's Internal_Resistance, every other row 0.
    /// </summary>
    private static string SyntheticArbin(double[] charge, double[] discharge, double[]? resistances, double? cutLastDischargeAt = null, bool indices = true)
    {
        var csv = new StringBuilder("Data_Point,Test_Time,DateTime,Step_Time,Step_Index,Cycle_Index,Current,Voltage,Charge_Capacity,Discharge_Capacity,Charge_Energy,Discharge_Energy,Internal_Resistance\n");
        int point = 0;
        double t = 0;
        for (int c = 0; c < charge.Length; c++)
        {
            bool last = c == charge.Length - 1;
            void Block(int step, double current, double seconds, double v0, double v1, double? resistance = null, double fraction = 1)
            {
                for (double s = 0; s <= seconds * fraction; s += 10)
                {
                    double r = s == 0 && resistance is { } value ? value : 0;
                    csv.Append(CultureInfo.InvariantCulture, $"{point++},{t:R},{1.7e9 + t:R},0,{(indices ? step : "")},{(indices ? c + 1 : "")},{current:R},{v0 + (v1 - v0) * s / seconds:R},,,,,{r:R}\n");
                    t += s < seconds * fraction ? 10 : 1;
                }
            }
            Block(1, 0, 60, 3.0, 3.0);
            Block(2, charge[c], 3600, 3.0, 4.0);
            Block(3, 0, 60, 4.0, 4.0);
            bool cut = last && cutLastDischargeAt is not null;
            Block(4, cut ? -discharge[c] / cutLastDischargeAt!.Value : -discharge[c], 3600, 4.0, 3.0, resistances?[c], cut ? cutLastDischargeAt!.Value : 1);
            if (!cut)
            {
                Block(5, 0, 60, 3.0, 3.0);
            }
        }
        return csv.ToString();
    }
}
