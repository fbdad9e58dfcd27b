using CloudPipeline.Core.Formats.Cycler;
using CloudPipeline.Testing;
using Xunit;

namespace CloudPipeline.Core.Tests.Cycler;

/// <summary>
/// Every quantity of a row, for a charge, a discharge and a rest row of each vendor's real export: the raw line is
/// quoted above its expectation, which converts it by hand (times to seconds, mA and mA·h to A and A·h, Maccor's
/// state and the per-step counters of the step-capacity vendors to signs and charge or discharge). A value the
/// vendor's layout does not map is NaN, an index it lacks −1.
/// </summary>
public sealed class CyclerRowsByHandTests
{
    private const double NaN = double.NaN;

    private static readonly Dictionary<(string File, int Line), CyclerSample> Expected = new()
    {
        // 723,1,2,CC DChg,00:00:00,12:00:00,-0.00024865,2.8684,0.00000002,0.01,0.00000000,0.00,0.00000002,0.01,0.00000006,0.03,
        //   0.00000000,0.00,0.00000006,0.03,2022-05-19 04:27:50,… (Chg. Cap. at field 11, DChg. Cap. 13, Chg. Energy 17, DChg. Energy 19)
        [("neware-csv/neware_uio.csv", 724)] = new(724, 12 * 3600, 2.8684, -0.00024865, 1, 2, "CC DChg", NaN, 0, 0.00000002, 0, 0.00000006, NaN),
        // 2417,1,8,CC Chg,00:00:37,36:54:34,0.00024858,0.0958,0.0000026,1.25,0.00000260,1.25,0.00000000,0.00,0.00000024,0.12,0.00000024,0.12,0.00000000,…
        [("neware-csv/neware_uio.csv", 2418)] = new(2418, 36 * 3600 + 54 * 60 + 34, 0.0958, 0.00024858, 1, 8, "CC Chg", NaN, 0.0000026, 0, 0.00000024, 0, NaN),

        // Under cycle row 1 and step row ",2,2,CC Chg,…": ,,13,00:00:30,00:00:50,0.47417,4.4530,0.003952875,0.01751,2026-03-06 12:38:15,2.11148,0.0000,26.61,…
        // Capacity(Ah) and Energy(Wh) count from the start of the step, so a charging row's are charge counters.
        [("neware-csv/nw_regular_export_ife_example.csv", 18)] = new(18, 50, 4.4530, 0.47417, 1, 2, "CC Chg", 26.61, 0.003952875, NaN, 0.01751, NaN, NaN),
        // Under step row ",4,4,CC DChg,…": ,,176,00:00:30,00:08:41,-0.47417,4.2521,0.003952853,0.01690,2026-03-06 12:46:06,-2.01619,0.0000,26.61,…
        [("neware-csv/nw_regular_export_ife_example.csv", 183)] = new(183, 8 * 60 + 41, 4.2521, -0.47417, 1, 4, "CC DChg", 26.61, NaN, 0.003952853, NaN, 0.01690, NaN),

        // 47,190.3335,1494377443.5035,,,,0.00015544891357421875,3.474365711212158,0.3539769649505615,4.410742257543454e-11,
        //   1.2523819208145142,1.5867789027179668e-10,-0.04393291473388672,0.0,27.34432029724121 (DateTime is Unix seconds, UTC)
        [("arbin-csv/2017-05-09_test-TC-contact_CH33.csv", 49)] = new(49, 190.3335, 3.474365711212158, 0.00015544891357421875, -1, -1, null, 27.34432029724121,
            0.3539769649505615, 4.410742257543454e-11, 1.2523819208145142, 1.5867789027179668e-10, 1494377443.5035, 0.0),

        // 249791 37 44 769267.2400 14.2500 0.0191579754 0.0744874270 -4.8400091554 3.86823835 D 1 10/21/2019 23:59:59 3 2 0 0 0.00000 0.00000 … (tabs)
        [("maccor-txt/PredictionDiagnostics_000151_test.052", 3)] = new(3, 769267.24, 3.86823835, -4.8400091554, 37, 44, "D", NaN, NaN, 0.0191579754, NaN, 0.0744874270, NaN, 0.0),
        // 362 0 2 10800.0300 0.0300 0.0000396054 0.0001433940 4.8455024033 3.62478065 C 0 12/16/2019 17:03:25 0 0 0 0 0.00000 0.00000 …
        [("maccor-txt/PreDiag_000229_000229_truncated.034", 364)] = new(364, 10800.03, 3.62478065, 4.8455024033, 0, 2, "C", NaN, 0.0000396054, NaN, 0.0001433940, NaN, NaN, 0.0),
        // 1 0 1 0.0000 0.0000 0.0000000000 0.0000000000 0.0000000000 3.45922026 R 0 12/16/2019 14:03:25 …: at rest the step counters are neither.
        [("maccor-txt/PreDiag_000229_000229_truncated.034", 3)] = new(3, 0, 3.45922026, 0, 0, 1, "R", NaN, NaN, NaN, NaN, NaN, NaN, 0.0),

        // 363 1 1 4 360.003333 0.003333 0.00000001 0.00000000 0.00016037 0.1946 C 5 5/11/2021 9:40:24 PM … (TestTime in minutes, current unsigned)
        [("maccor-txt/maccor_002.txt", 378)] = new(378, 360.003333 * 60, 0.1946, 0.00016037, 1, 4, "C", NaN, 0.00000001, NaN, 0, NaN, NaN),
        // 2291 1 1 5 1273.585167 0.174000 0.00000046 0.00000175 0.00016037 3.7716 D 5 5/12/2021 12:53:59 PM …
        [("maccor-txt/maccor_002.txt", 2306)] = new(2306, 1273.585167 * 60, 3.7716, -0.00016037, 1, 5, "D", NaN, NaN, 0.00000046, NaN, 0.00000175, NaN),

        // "2022-04-11 11:00:07 AM,1,7,0.0334972,0.0000361,0.0539010466,0.18537487,0.0000019464,39.04941940,23.349,0.0000003608,0.0000000,0.0000000,2,0"
        // (Run Time in hours; Temperature (°C) is the cell's, Circuit Temperature the next column)
        [("novonix-csv/test_Nova_Form-CH01-01_short.csv", 178)] = new(178, 0.0334972 * 3600, 0.18537487, 0.0539010466, 1, 2, "7", 39.04941940, 0.0000019464, NaN, 0.0000003608, NaN, NaN),
        // "2022-04-12 2:00:12 AM,1,1,15.0347000,0.0000000,0.0000000000,1.49993004,0.0006692536,39.22911835,23.337,0.0009771833,…,3,1": no current, no direction
        [("novonix-csv/test_Nova_Form-CH01-01_short.csv", 1124)] = new(1124, 15.0347 * 3600, 1.49993004, 0, 1, 3, "1", 39.22911835, NaN, NaN, NaN, NaN, NaN),

        // 25205,1,ACT4,014,1,345626_9356111_33_6,0,Idle,0,00:15:30.000,00:00:00.000,930,…,01/08/2026 18:00:38,01/08/2026 17:45:08,3.682542,-1E-06,0,0,0,0.001,…
        [("pec-csv/Test25205.csv", 141)] = new(141, 15 * 60 + 30, 3.682542, -1E-06, 0, 0, "Idle", NaN, NaN, NaN, NaN, NaN, NaN),

        // Ns 2, time/s 3.000019924211665E+001, Ewe/V 2.3260789E+000, I/mA -6.4980278E+001, Energy charge/W.h 6.477992485275269E-004,
        //   Energy discharge/W.h 4.200774777670966E-004, Q discharge/mA.h 1.805086487871806E-001, Q charge/mA.h 0, cycle number 0 (tabs)
        [("eclab/mb.issue_95.mpt", 126)] = new(126, 30.00019924211665, 2.3260789, -64.980278e-3, 0, 2, null, NaN, 0, 0.1805086487871806e-3, 6.477992485275269E-004, 4.200774777670966E-004, NaN),
        // Ns 1, time/s 1.999979949476256E+001, Ewe/V 2.3327432E+000, I/mA 1.0001924E+002, Energy charge/W.h 6.477816428400676E-004, Q charge/mA.h 2.778127945187886E-001
        [("eclab/mb.issue_95.mpt", 115)] = new(115, 19.99979949476256, 2.3327432, 100.01924e-3, 0, 1, null, NaN, 0.2778127945187886e-3, 0, 6.477816428400676E-004, 0, NaN),
    };

    public static TheoryData<string, int> Rows()
    {
        var rows = new TheoryData<string, int>();
        foreach (var (file, line) in Expected.Keys)
        {
            rows.Add(file, line);
        }
        return rows;
    }

    [RealDataTheory]
    [MemberData(nameof(Rows))]
    public void A_row_reads_to_every_quantity_its_line_states(string file, int line)
    {
        var (_, rows, _) = CyclerReaderTests.ReadReal(file);
        var expected = Expected[(file, line)];
        var actual = rows.Single(r => r.Row == line);
        // Field by field, so a failure names the quantity; times and scaled values to the last bits of their arithmetic.
        Assert.Equal(expected.TimeS, actual.TimeS, Math.Abs(expected.TimeS) * 1e-15);
        Assert.Equal((expected.VoltageV, expected.Cycle, expected.Step, expected.StepType), (actual.VoltageV, actual.Cycle, actual.Step, actual.StepType));
        Assert.Equal(expected.CurrentA, actual.CurrentA, Math.Abs(expected.CurrentA) * 1e-15);
        Assert.Equal(expected.TemperatureC, actual.TemperatureC);
        Assert.Equal((expected.VendorChargeAh, expected.VendorDischargeAh), (actual.VendorChargeAh, actual.VendorDischargeAh));
        Assert.Equal((expected.VendorChargeWh, expected.VendorDischargeWh), (actual.VendorChargeWh, actual.VendorDischargeWh));
        Assert.Equal((expected.UnixTimeS, expected.ResistanceOhm), (actual.UnixTimeS, actual.ResistanceOhm));
    }

    [RealDataTheory]
    [InlineData("neware-csv/neware_uio.csv", true, true, true)]
    [InlineData("neware-csv/nw_regular_export_ife_example.csv", true, true, true)]
    [InlineData("arbin-csv/2017-05-09_test-TC-contact_CH33.csv", true, true, false)]
    [InlineData("maccor-txt/PredictionDiagnostics_000151_test.052", true, true, true)]
    [InlineData("maccor-txt/maccor_002.txt", true, true, true)]
    [InlineData("novonix-csv/test_Nova_Form-CH01-01_short.csv", true, true, true)]
    [InlineData("pec-csv/Test25205.csv", true, true, true)]
    [InlineData("eclab/mb.issue_95.mpt", true, true, false)]
    [InlineData("eclab/lsv.mpt", false, false, false)]
    public void A_file_says_which_indices_it_has(string file, bool cycles, bool steps, bool stepTypes)
    {
        var (info, _, _) = CyclerReaderTests.ReadReal(file);
        Assert.Equal((cycles, steps, stepTypes), (info.HasCycles, info.HasSteps, info.HasStepTypes));
    }
}
