using System.Globalization;
using System.Text;
using CloudPipeline.Core.Analysis.Cycler;
using CloudPipeline.Core.Formats;
using CloudPipeline.Core.Formats.Cycler;
using CloudPipeline.Testing;
using Xunit;

namespace CloudPipeline.Core.Tests.Cycler;

/// <summary>The cycler readers against the facts SOURCES.md states about the real files (§2).</summary>
public sealed class CyclerReaderTests
{
    internal static (CyclerFileInfo Info, List<CyclerSample> Rows, bool Incomplete) Read(byte[] content, string name)
    {
        using var record = CyclerFormats.Open(new MemoryStream(content), name);
        var rows = record.Samples.ToList();
        return (record.Info, rows, record.IncompleteLastRow);
    }

    internal static (CyclerFileInfo Info, List<CyclerSample> Rows, bool Incomplete) ReadReal(string relative) =>
        Read(File.ReadAllBytes(SharedData.RealFile(relative.Split('/'))), Path.GetFileName(relative));

    [Fact]
    public void Neware_flat_csv_reads_its_9065_rows_with_hours_above_24()
    {
        var (info, rows, incomplete) = ReadReal("neware-csv/neware_uio.csv");
        Assert.Equal("neware-csv", info.FormatId);
        Assert.Equal(26, info.Columns.Count);
        Assert.Equal(9065, rows.Count);
        Assert.False(incomplete); // the export ends without a line break, and its last row is whole
        Assert.Equal(new DateTime(2022, 5, 18, 16, 27, 52), info.Start);
        Assert.Equal((0.0, 2.9170, 0.0, 1, 1, "Rest"), (rows[0].TimeS, rows[0].VoltageV, rows[0].CurrentA, rows[0].Cycle, rows[0].Step, rows[0].StepType));
        var last = rows[^1];
        // Cumulative Time 144:02:18 = 518,538 s.
        Assert.Equal((518538.0, 0.4251, 0.00099171, 4, 13, "CC Chg"), (last.TimeS, last.VoltageV, last.CurrentA, last.Cycle, last.Step, last.StepType));
        Assert.Equal([1, 2, 3, 4], rows.Select(r => r.Cycle).Distinct());
        Assert.True(rows.First(r => r.StepType == "CC DChg").CurrentA < 0); // discharge is negative (charge-positive convention)
    }

    [Fact]
    public void Neware_hierarchical_csv_gives_records_their_cycle_and_step_and_matches_the_vendors_cycle_rows()
    {
        string path = SharedData.RealFile("neware-csv", "nw_regular_export_ife_example.csv");
        var (info, rows, _) = ReadReal("neware-csv/nw_regular_export_ife_example.csv");
        Assert.Equal("neware-csv-hierarchical", info.FormatId);
        Assert.True(info.HasCycles && info.HasSteps && info.HasStepTypes);
        Assert.Equal(9295, rows.Count); // SOURCES.md: 9295 record rows
        Assert.Equal(new DateTime(2026, 3, 6, 12, 37, 25), info.Start);
        Assert.Equal(Enumerable.Range(1, 20), rows.Select(r => r.Cycle).Distinct());
        Assert.Equal((1, 1, "Rest"), (rows[0].Cycle, rows[0].Step, rows[0].StepType)); // from the cycle row's joined step row
        // The vendor's own cycle rows (Chg. Cap.(Ah), DChg. Cap.(Ah)) against the trapezoid integrals, within 0.5 %.
        var vendor = File.ReadLines(path).Skip(3).Where(l => l.Length > 0 && char.IsAsciiDigit(l[0]))
            .Select(l => l.Split(',')).ToDictionary(f => int.Parse(f[0], CultureInfo.InvariantCulture),
                f => (Charge: double.Parse(f[1], CultureInfo.InvariantCulture), Discharge: double.Parse(f[2], CultureInfo.InvariantCulture)));
        var builder = new CloudPipeline.Core.Analysis.Cycler.CycleSummaryBuilder();
        rows.ForEach(r => builder.Add(r));
        var a = builder.Finish();
        Assert.Equal(81, a.Steps.Count); // 20 cycle rows (the first with its step joined) and 80 step rows
        Assert.Equal(20, a.Cycles.Count);
        foreach (var c in a.Cycles)
        {
            Assert.Equal(vendor[c.Cycle].Charge, c.QInAh, vendor[c.Cycle].Charge * 0.005 + 1e-5);
            Assert.Equal(vendor[c.Cycle].Discharge, c.QOutAh, vendor[c.Cycle].Discharge * 0.005 + 1e-5);
        }
    }

    [Fact]
    public void Arbin_csv_reads_its_rows_and_keeps_empty_indices_empty()
    {
        var (info, rows, _) = ReadReal("arbin-csv/2017-05-09_test-TC-contact_CH33.csv");
        Assert.Equal("arbin-csv", info.FormatId);
        Assert.Equal(15, info.Columns.Count);
        Assert.Equal(287, rows.Count);
        Assert.Equal((0.0, 6.600444793701172, 3.298668384552002), (rows[0].TimeS, rows[0].CurrentA, rows[0].VoltageV));
        Assert.Equal((1022.8913, 3.4119858741760254, 0.6082700490951538), (rows[^1].TimeS, rows[^1].VoltageV, rows[^1].VendorChargeAh));
        Assert.All(rows, r => Assert.Equal((-1, -1), (r.Cycle, r.Step)));
        Assert.Equal(1494377253.17, rows[0].UnixTimeS);

        var (_, rest, _) = ReadReal("arbin-csv/FastCharge_000025_CH8.csv");
        Assert.Equal(248, rest.Count);
        Assert.Equal((10.0024, 1800.0104), (rest[0].TimeS, rest[^1].TimeS));
        Assert.Equal((3.3011441, 3.3009677), (rest[0].VoltageV, rest[^1].VoltageV));
        Assert.All(rest, r => Assert.Equal((0.0, 0), (r.CurrentA, r.Cycle)));
    }

    [Fact]
    public void Maccor_text_reads_rows_metadata_and_the_state_sign()
    {
        var (info, rows, _) = ReadReal("maccor-txt/PredictionDiagnostics_000151_test.052");
        Assert.Equal("maccor-text", info.FormatId);
        Assert.Equal(38, info.Columns.Count);
        Assert.Equal(333, rows.Count);
        Assert.All(rows, r => Assert.Equal((37, 44, "D"), (r.Cycle, r.Step, r.StepType)));
        Assert.Equal((-4.8400091554, 3.86823835), (rows[0].CurrentA, rows[0].VoltageV));
        Assert.Equal(3.86251621, rows[^1].VoltageV);
        Assert.Equal("00001E", info.Metadata["Comment/Barcode"]);
        Assert.Equal("PredictionDiagnostics_000151.000", info.Metadata["Procedure"]);

        // The paused run: one record removed, the wall clock jumps two hours, the test clock does not.
        var (_, paused, _) = ReadReal("maccor-txt/PredictionDiagnostics_000151_paused.052");
        Assert.Equal(332, paused.Count);
        Assert.True(paused.Zip(paused.Skip(1)).All(p => p.Second.TimeS > p.First.TimeS));

        var (prediag, diag, _) = ReadReal("maccor-txt/PreDiag_000229_000229_truncated.034");
        Assert.Equal(4061, diag.Count);
        Assert.Equal([0, 1], diag.Select(r => r.Cycle).Distinct());
        Assert.Equal((82621.28, -0.6981002518, 4.18020905), (diag[^1].TimeS, diag[^1].CurrentA, diag[^1].VoltageV));
        Assert.Equal(new DateTime(2019, 12, 16, 14, 3, 25), prediag.Start);
    }

    [Fact]
    public void Maccor_text_with_key_value_header_lines_reads_its_7446_rows_despite_a_0xFF_byte()
    {
        var (info, rows, _) = ReadReal("maccor-txt/maccor_002.txt");
        Assert.Equal("maccor-text-keyed", info.FormatId);
        Assert.Equal(28, info.Columns.Count(c => c.Length > 0));
        Assert.Equal(7446, rows.Count);
        Assert.Equal([1, 2], rows.Select(r => r.Cycle).Distinct());
        Assert.Equal(new DateTime(2021, 5, 11, 15, 40, 24), info.Start);
        Assert.Equal(("53", "Maccor #4", "CW_MZ_SIMBA_CT.000"), (info.Metadata["Channel"], info.Metadata["Tester"], info.Metadata["Procedure"]));
        // Last row: Rec 7446, TestTime 3809.841833 (minutes: the rows are a minute apart on the DPT Time clock), 1.3000 V, Md D.
        var last = rows[^1];
        Assert.Equal((3809.841833 * 60, 1.3, "D"), (last.TimeS, last.VoltageV, last.StepType));
        Assert.True(last.CurrentA < 0); // unsigned in the file, D gives the sign
    }

    [Fact]
    public void A_native_arbin_file_is_rejected_saying_what_to_upload_instead()
    {
        string full = SharedData.RealFile("arbin-res", "20160805_test001_45_cc_01.res");
        var ex = Assert.Throws<InstrumentFileException>(() => FormatRegistry.Default.Identify(Path.GetFileName(full), File.ReadAllBytes(full)));
        Assert.Equal("EXPORT_NEEDED", ex.Code);
        Assert.Contains("Export the test to CSV with Arbin", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_neware_ndax_archive_reads_with_the_step_plan_start_time_and_capacity_counters_of_its_other_parts()
    {
        // No project asserts values for this archive (SOURCES.md §2c), so the checks are between its independent parts.
        const string name = "20260302_IFE_BTS85_2_9_8_1.ndax";
        var (info, rows, _) = ReadReal($"neware-ndax/{name}");
        Assert.Equal(CyclerFormats.NewareNdaxFormatId, info.FormatId);
        Assert.Equal("LNMO-C_Formation_1Ah feb 2026.xml", info.Metadata["StepName"]); // TestInfo.xml
        // Step.xml's program: steps 1-5 of types 21, 1, 3, 1, 1 (Control, CC Chg, CV Chg, CC Chg, CC Chg); the test was
        // copied during step 5, so steps 6 onwards have no records.
        var steps = rows.GroupBy(r => r.Step).Select(g => (g.Key, g.First().StepType)).ToList();
        Assert.Equal([(1, "Control"), (2, "CC Chg"), (3, "CV Chg"), (4, "CC Chg"), (5, "CC Chg")], steps);
        // TestInfo.xml's StartTime is local time (Norway, UTC+1 in February): 2026-02-27 11:17:33 = Unix 1772187453; the
        // first record is stamped within 2 s of it.
        Assert.Equal(new DateTime(2026, 2, 27, 11, 17, 33), info.Start);
        Assert.InRange(rows[0].UnixTimeS - 1772187453, 0, 2);
        Assert.Equal(0, rows[0].TimeS);
        // Time is stored for some records only and interpolated between them: with the cycler's 1 s sampling, every
        // record is 1 s after the one before within a step.
        Assert.All(rows.Zip(rows.Skip(1)).Where(p => p.First.Step == p.Second.Step && p.First.Row > 2), p => Assert.Equal(1.0, p.Second.TimeS - p.First.TimeS, 1e-3));
        Assert.Equal("50", info.Metadata["untimed records"]); // after the last stored time: not used

        // The integral of the current over each charge step equals the archive's own capacity counter (data_runInfo.ndc),
        // within 1e-4: time base, current units and step boundaries are right. (Step 3 is two records, 14 nAh.)
        var analysis = new CycleSummaryBuilder();
        rows.ForEach(r => analysis.Add(r));
        var summary = analysis.Finish();
        foreach (var step in summary.Steps.Where(s => s.Step is 2 or 4 or 5))
        {
            Assert.Equal(CycleDirection.Charge, step.Direction);
            Assert.True(Math.Abs(step.VendorDeviation!.Value) < 1e-4, $"step {step.Step}: {step.VendorDeviation:E2}");
        }
        Assert.Equal(1.39055, summary.Steps.Single(s => s.Step == 5).VendorAh!.Value, 1e-5);

        // The upload is identified as a cycler record; a cut archive is a clear error.
        byte[] bytes = File.ReadAllBytes(SharedData.RealFile("neware-ndax", name));
        Assert.Equal("cycler", FormatRegistry.Default.Identify(name, bytes).Technique);
        var cut = Assert.Throws<InstrumentFileException>(() => Read(bytes[..(bytes.Length / 2)], name));
        Assert.Equal("NDAX_CORRUPT", cut.Code);
        Assert.Contains(name, cut.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Novonix_csv_reads_its_quoted_rows_in_step_type_order_0_7_8_1()
    {
        var (info, rows, _) = ReadReal("novonix-csv/test_Nova_Form-CH01-01_short.csv");
        Assert.Equal("novonix-csv", info.FormatId);
        Assert.Equal(15, info.Columns.Count);
        Assert.Equal(3942, rows.Count);
        Assert.Equal(["0", "7", "8", "1"], rows.Select(r => r.StepType).Distinct());
        Assert.True(rows.Zip(rows.Skip(1)).All(p => p.Second.TimeS >= p.First.TimeS));
        Assert.Equal(new DateTime(2022, 4, 11, 10, 58, 7), info.Start);
    }

    [Fact]
    public void Pec_csv_reads_after_its_45_metadata_lines()
    {
        var (info, rows, _) = ReadReal("pec-csv/Test25205.csv");
        Assert.Equal("pec-csv", info.FormatId);
        Assert.Equal(37, info.Columns.Count);
        Assert.Equal(489, rows.Count);
        Assert.Equal(("25205", "839"), (info.Metadata["Test"], info.Metadata["LotID"]));
        Assert.Equal(new DateTime(2026, 1, 8, 17, 45, 8), info.Start); // the first row's Real Time, 01/08/2026 17:45:08
        var (other, few, _) = ReadReal("pec-csv/Test25195.csv");
        Assert.Equal(19, few.Count);
        Assert.Equal(("25195", "839"), (other.Metadata["Test"], other.Metadata["LotID"]));
    }

    [Fact]
    public void A_copy_cut_inside_its_last_row_is_read_without_that_row_and_says_so()
    {
        byte[] whole = File.ReadAllBytes(SharedData.RealFile("arbin-csv", "2017-05-09_test-TC-contact_CH33.csv"));
        foreach (int cut in new[] { 2, 10, 40 })
        {
            var (_, rows, incomplete) = Read(whole[..^cut], "CH33.csv");
            Assert.True(incomplete);
            Assert.Equal(286, rows.Count);
            Assert.Equal(1019.8181, rows[^1].TimeS); // the row before the last (Data_Point 285), whole
        }

        // Neware ends without a line break when complete: only a last row with fewer fields than the header is cut.
        byte[] neware = File.ReadAllBytes(SharedData.RealFile("neware-csv", "neware_uio.csv"));
        var (_, cutRows, cutIncomplete) = Read(neware[..^30], "neware_uio.csv");
        Assert.True(cutIncomplete);
        Assert.Equal(9064, cutRows.Count);
    }

    [Fact]
    public void A_bad_number_is_rejected_naming_its_line_and_column()
    {
        string csv = "Data_Point,Test_Time,DateTime,Step_Time,Step_Index,Cycle_Index,Current,Voltage\n0,0,1,0,1,1,0.5,3.1\n1,1O,2,1,1,1,0.5,3.2\n";
        using var record = CyclerFormats.Open(new MemoryStream(Encoding.UTF8.GetBytes(csv)), "bad.csv");
        var ex = Assert.Throws<InstrumentFileException>(() => record.Samples.ToList());
        Assert.Equal(3, ex.Line);
        Assert.Equal("Test_Time", ex.Field);
        Assert.Contains("'1O'", ex.Message, StringComparison.Ordinal);

        var missing = Assert.Throws<InstrumentFileException>(() => CyclerFormats.Open(new MemoryStream(Encoding.UTF8.GetBytes("Data_Point,Test_Time,DateTime,Current\n0,0,0,1\n")), "m.csv"));
        Assert.Equal("Voltage", missing.Field);
        Assert.Equal("MISSING_COLUMN", missing.Code);
    }

    [Fact]
    public void BioLogic_dc_exports_read_to_their_row_counts_and_values_in_si_units()
    {
        // SOURCES.md §1a: rows and first/last values of each DC technique's .mpt (current in mA there, A here).
        var (cpInfo, cp, cpCut) = ReadReal("eclab/cp.mpt");
        Assert.Equal("biologic-mpt-dc", cpInfo.FormatId);
        Assert.Equal(28, cpInfo.Columns.Count(c => c.Length > 0));
        Assert.False(cpCut);
        Assert.Equal(121, cp.Count);
        Assert.Equal((328.3641917048226, -3.2463198), (cp[0].TimeS, cp[0].VoltageV));
        Milliamperes(-99.888, cp[0].CurrentA);
        Assert.Equal((447.3645886986196, -3.5944343), (cp[^1].TimeS, cp[^1].VoltageV));
        Milliamperes(-99.918549, cp[^1].CurrentA);

        var (_, ca, _) = ReadReal("eclab/ca.mpt");
        Assert.Equal(721, ca.Count);
        Assert.Equal((108874.2284907824, 0.1464316), (ca[0].TimeS, ca[0].VoltageV));
        Milliamperes(1.8604061e-2, ca[0].CurrentA);
        Assert.Equal((152074.2269261391, 0.29859304), (ca[^1].TimeS, ca[^1].VoltageV));
        Milliamperes(2.765074e-6, ca[^1].CurrentA);

        var (_, cv, _) = ReadReal("eclab/cv.mpt");
        Assert.Equal(5103, cv.Count);
        Assert.Equal((1, 2), (cv[0].Cycle, cv[^1].Cycle));
        var (_, lsv, _) = ReadReal("eclab/lsv.mpt");
        Assert.Equal(1186, lsv.Count);
        Assert.Equal(-4.0008063, lsv[^1].VoltageV);
        Milliamperes(-1.195750350952148e2, lsv[^1].CurrentA); // <I>/mA
        var (_, ocv, _) = ReadReal("eclab/ocv.mpt");
        Assert.Equal(602, ocv.Count); // no current column: an open-circuit record, I = 0
        Assert.All(ocv, r => Assert.Equal(0, r.CurrentA));
        Assert.Equal((35999.99995540908, 0.44194466), (ocv[^1].TimeS, ocv[^1].VoltageV));
        Assert.Equal(13, ReadReal("eclab/vsp_ocv_with.mpt").Rows.Count); // a minimal 3-line header
        Assert.Equal(15, ReadReal("eclab/gcpl.issue_226.CxN.mpt").Rows.Count);

        // Decimal comma (de_DE export).
        var (_, gcpl, _) = ReadReal("eclab/gcpl.issue_149.mpt");
        Assert.Equal(132, gcpl.Count);
        Assert.Equal((30.15299923827115, 3.4228721), (gcpl[0].TimeS, gcpl[0].VoltageV));
        Assert.Equal((659.9857963771647, 3.4320145, 2, 3), (gcpl[^1].TimeS, gcpl[^1].VoltageV, gcpl[^1].Step, gcpl[^1].Cycle));
    }

    [Fact]
    public void A_decimal_comma_export_reads_identically_to_its_twin()
    {
        var (_, en, _) = ReadReal("eclab/mb.issue_95.mpt");
        var (_, de, _) = ReadReal("eclab/mb.issue_95.de.mpt");
        Assert.Equal(33, en.Count);
        // The German export has one header line more; the rows are the same values.
        Assert.Equal(en.Select(r => r with { Row = 0 }), de.Select(r => r with { Row = 0 }));
        Assert.Equal((30.00019924211665, 2.3260789), (en[^1].TimeS, en[^1].VoltageV));
        Milliamperes(-64.980278, en[^1].CurrentA);
    }

    [Fact]
    public void An_ec_lab_copy_cut_inside_its_last_number_is_read_without_that_row()
    {
        // EC-Lab never ends its exports with a line break, so the cut is seen in the last value's shape.
        byte[] whole = File.ReadAllBytes(SharedData.RealFile("eclab", "cp.mpt"));
        foreach (int cut in new[] { 1, 3, 5, 12 })
        {
            var (_, rows, incomplete) = Read(whole[..^cut], "cp.mpt");
            Assert.True(incomplete, $"cut {cut}");
            Assert.Equal(120, rows.Count);
        }
        var (_, all, flagged) = Read(whole, "cp.mpt");
        Assert.False(flagged);
        Assert.Equal(121, all.Count);
    }

    [Theory]
    [InlineData("ca", 721)]
    [InlineData("cp", 121)]
    [InlineData("cv", 5103)]
    [InlineData("lsv", 1186)]
    [InlineData("gcpl.issue_149", 132)]
    [InlineData("gcpl.issue_226.CxN", 15)]
    [InlineData("mb.issue_95", 33)]
    [InlineData("ocv", 602)]
    [InlineData("vsp_ocv_with", 13)]
    [InlineData("wait", 0)]
    public void A_dc_mpr_reads_to_the_same_samples_as_its_text_export(string name, int points)
    {
        // yadg's consistency rule (SOURCES.md §1a): the binary file and its export agree within rtol 1e-5. GCPL stores no
        // current (the export's <I>/mA is dq/Δt) and CA, CP, GCPL and MB no cycle number (the export's is ⌊half cycle/2⌋).
        var (binaryInfo, binary, _) = ReadReal($"eclab/{name}.mpr");
        var (textInfo, text, _) = ReadReal($"eclab/{name}.mpt");
        Assert.Equal(CyclerFormats.BioLogicMprFormatId, binaryInfo.FormatId);
        // The binary file has the same kinds of index as its export (the derived ones named as the export names them).
        Assert.Equal((textInfo.HasCycles, textInfo.HasSteps, false), (binaryInfo.HasCycles, binaryInfo.HasSteps, binaryInfo.HasStepTypes));
        Assert.Equal(textInfo.Columns.Contains("<I>/mA") && !textInfo.Columns.Contains("I/mA"), binaryInfo.Columns.Contains("<I>/mA"));
        Assert.Equal(textInfo.Columns.Contains("cycle number"), binaryInfo.Columns.Contains("cycle number"));
        Assert.Equal(points, binary.Count);
        Assert.Equal(points, text.Count);
        for (int i = 0; i < points; i++)
        {
            var (b, t) = (binary[i], text[i]);
            Assert.Equal(t.TimeS, b.TimeS, Math.Abs(t.TimeS) * 1e-5);
            Assert.Equal(t.VoltageV, b.VoltageV, Math.Abs(t.VoltageV) * 1e-5 + 1e-12);
            Assert.Equal(t.CurrentA, b.CurrentA, Math.Abs(t.CurrentA) * 1e-5 + 1e-15);
            Assert.Equal((t.Cycle, t.Step), (b.Cycle, b.Step));
            // The vendor counters where the binary file stores them (the energies; the export derives Q charge and Q discharge).
            foreach (var (tv, bv, what) in new[] { (t.VendorChargeAh, b.VendorChargeAh, "Q charge/mA.h"), (t.VendorDischargeAh, b.VendorDischargeAh, "Q discharge/mA.h"),
                (t.VendorChargeWh, b.VendorChargeWh, "Energy charge/W.h"), (t.VendorDischargeWh, b.VendorDischargeWh, "Energy discharge/W.h") })
            {
                Assert.Equal(binaryInfo.Columns.Contains(what), !double.IsNaN(bv));
                Assert.True(double.IsNaN(bv) || Math.Abs(tv - bv) <= Math.Abs(tv) * 1e-5 + 1e-15, $"{name} row {i + 1} {what}: mpt {tv}, mpr {bv}");
            }
        }
        if (points > 0)
        {
            // Upload identification sends it to the cycler chain.
            var identified = FormatRegistry.Default.Identify($"{name}.mpr", File.ReadAllBytes(SharedData.RealFile("eclab", $"{name}.mpr")));
            Assert.Equal((CyclerFormats.BioLogicMprFormatId, "cycler", points), (identified.FormatId, identified.Technique, identified.Points));
        }
    }

    [Fact]
    public void A_dc_mpr_record_that_is_not_a_number_is_an_error_naming_the_record()
    {
        // ocv.mpr (data module version 3): records start 406 bytes into the module, each a flags byte, time/s (float64)
        // and Ewe/V (float32). The first record's Ewe becomes NaN.
        byte[] bytes = File.ReadAllBytes(SharedData.RealFile("eclab", "ocv.mpr"));
        int count = bytes.AsSpan().IndexOf(new byte[] { 4, 1, 0, 3, 0, 4, 0, 6, 0 }); // the column count and ids
        int firstRecord = count - 4 + 406;
        Assert.Equal(0.25594452, BitConverter.ToSingle(bytes, firstRecord + 9), 1e-7); // SOURCES.md: the first Ewe/V
        BitConverter.GetBytes(float.NaN).CopyTo(bytes, firstRecord + 9);
        var ex = Assert.Throws<InstrumentFileException>(() => Read(bytes, "ocv.mpr"));
        Assert.Equal("INVALID_VALUE", ex.Code);
        Assert.Contains("record 1 has NaN for voltage", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_impedance_mpr_is_not_read_as_a_cycler_record()
    {
        var ex = Assert.Throws<InstrumentFileException>(() => ReadReal("eclab/peis.mpr"));
        Assert.Equal("NOT_CYCLER", ex.Code);
        Assert.Contains("peis.mpr", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>A current the file states in mA, read in A (to the last bit but one of the scaling).</summary>
    private static void Milliamperes(double expectedMilliamperes, double actualAmperes) =>
        Assert.Equal(expectedMilliamperes * 1e-3, actualAmperes, Math.Abs(expectedMilliamperes) * 1e-18);

    [Fact]
    public void Text_no_cycler_layout_knows_is_an_error_listing_the_known_formats()
    {
        var ex = Assert.Throws<InstrumentFileException>(() => CyclerFormats.Open(new MemoryStream(Encoding.UTF8.GetBytes("time,volts\n0,3.1\n")), "log.csv"));
        Assert.Equal("UNKNOWN_FORMAT", ex.Code);
        Assert.Contains("log.csv", ex.Message, StringComparison.Ordinal);
        Assert.Contains("not a cycler export this reader knows", ex.Message, StringComparison.Ordinal);
        Assert.All(CyclerFormats.FormatIds, id => Assert.Contains(id, ex.Expected!, StringComparison.Ordinal));
    }

    private static string NewareRow(string cycle, string time, string volts) =>
        "DataPoint,Cycle Index,Step Index,Step Type,Cumulative Time,Voltage(V),Current(A)\n1,0,1,Rest,0:00:00,3.5,0\n" + $"2,{cycle},1,Rest,{time},{volts},0\n";

    /// <summary>Edge values of the flat Neware export's cells, read by hand: hours above 24, decimal seconds, the largest cycle index.</summary>
    [Theory]
    [InlineData("25:00:01", 90001.0, "2147483647", 2147483647)]
    [InlineData("0:00:01.5", 1.5, "7", 7)]
    [InlineData("1:59:59", 7199.0, "0", 0)]
    public void Neware_cells_at_their_limits_read_by_hand(string time, double seconds, string cycle, int index)
    {
        var (_, rows, _) = Read(Encoding.UTF8.GetBytes(NewareRow(cycle, time, "3.25")), "nw.csv");
        Assert.Equal((seconds, index, 3.25), (rows[1].TimeS, rows[1].Cycle, rows[1].VoltageV));
    }

    [Theory]
    [InlineData("1", "0:60:00", "3.5", "Cumulative Time", "'0:60:00' cannot be read", "a time h:mm:ss (hours may exceed 24)")]
    [InlineData("1", "0:00:60", "3.5", "Cumulative Time", "'0:00:60' cannot be read", "a time h:mm:ss (hours may exceed 24)")]
    [InlineData("1", "0:01", "3.5", "Cumulative Time", "'0:01' cannot be read", "a time h:mm:ss (hours may exceed 24)")]
    [InlineData("1", ":00:01", "3.5", "Cumulative Time", "':00:01' cannot be read", "a time h:mm:ss (hours may exceed 24)")]
    [InlineData("1", "1::01", "3.5", "Cumulative Time", "'1::01' cannot be read", "a time h:mm:ss (hours may exceed 24)")]
    [InlineData("-1", "0:00:01", "3.5", "Cycle Index", "'-1' cannot be read", "a whole number ≥ 0")]
    [InlineData("2.5", "0:00:01", "3.5", "Cycle Index", "'2.5' cannot be read", "a whole number ≥ 0")]
    [InlineData("2147483648", "0:00:01", "3.5", "Cycle Index", "'2147483648' cannot be read", "a whole number ≥ 0")]
    [InlineData("1", "0:00:01", "", "Voltage(V)", "empty value", "a number")]
    [InlineData("1", "0:00:01", "abc", "Voltage(V)", "'abc' cannot be read", "a number")]
    public void A_bad_neware_cell_names_its_line_column_and_what_was_expected(string cycle, string time, string volts, string column, string problem, string expected)
    {
        var ex = Assert.Throws<InstrumentFileException>(() => Read(Encoding.UTF8.GetBytes(NewareRow(cycle, time, volts)), "nw.csv"));
        Assert.Equal(("INVALID_VALUE", 3, column, expected), (ex.Code, ex.Line, ex.Field, ex.Expected));
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
    }

    /// <summary>The hierarchical Neware export's cycle and step rows give the records below them their indices; a bad index names its line and field.</summary>
    [Theory]
    [InlineData("x,0.1,0.2\n", 4, "field 1", "'x' cannot be read")] // a cycle row
    [InlineData(" ,0.1,0.2\n", 4, "field 1", "empty value")]
    [InlineData("1,0.1,0.2\n,,1,00:00:00,00:00:00,0.0,4.3\n,-1,1,Rest\n", 6, "field 2", "'-1' cannot be read")] // a step row
    [InlineData("1,0.1,0.2,2.5,1,Rest\n", 4, "field 4", "'2.5' cannot be read")] // a cycle row joined with its first step row
    public void A_neware_cycle_or_step_index_that_is_not_a_whole_number_names_its_line_and_field(string rows, int line, string field, string problem)
    {
        string text = "Cycle Index,Chg. Cap.(Ah),DChg. Cap.(Ah)\n,Step Index,Step Number,Step Type\n,,DataPoint,Time,Total Time,Current(A),Voltage(V)\n" + rows;
        var ex = Assert.Throws<InstrumentFileException>(() => Read(Encoding.UTF8.GetBytes(text), "nw.csv"));
        Assert.Equal(("INVALID_VALUE", line, field), (ex.Code, ex.Line, ex.Field));
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
        Assert.Equal("a whole number ≥ 0 (cycle or step index)", ex.Expected);
    }

    [Fact]
    public void An_ec_lab_export_cut_inside_its_header_says_which_line_the_columns_were_due_on()
    {
        // cp.mpt says "Nb header lines : 59" on its second line; its first 10 lines end long before the column line.
        var lines = File.ReadAllLines(SharedData.RealFile("eclab", "cp.mpt"), Encoding.Latin1);
        int declared = int.Parse(lines[1].Split(':')[1].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        var ex = Assert.Throws<InstrumentFileException>(() => Read(Encoding.Latin1.GetBytes(string.Join("\n", lines[..10]) + "\n"), "cp.mpt"));
        Assert.Equal("INCOMPLETE_FILE", ex.Code);
        Assert.Contains($"the file has 10 lines, its header says the columns are on line {declared}", ex.Message, StringComparison.Ordinal);
        Assert.Equal(10, ex.Line);
    }

    [Fact]
    public void Truncation_inside_the_last_number_of_a_file_shorter_than_the_detection_lines_is_not_read_short()
    {
        // Found while testing the identification summary: a three-row Arbin export cut inside its last voltage ("3.")
        // fits within the lines read to detect the format, and asking for one more line after the end used to clear
        // "ended without a line break", so 3.0 V was read as a whole row.
        var (_, rows, incomplete) = Read("Data_Point,Test_Time,DateTime,Current,Voltage\n1,10,0,0.5,3.1\n2,12.5,0,0.5,3.2\n3,15,0,0.5,3."u8.ToArray(), "c.csv");
        Assert.True(incomplete);
        Assert.Equal([3.1, 3.2], rows.Select(r => r.VoltageV));
        var (_, whole, complete) = Read("Data_Point,Test_Time,DateTime,Current,Voltage\n1,10,0,0.5,3.1\n2,12.5,0,0.5,3.2\n3,15,0,0.5,3.3\n"u8.ToArray(), "c.csv");
        Assert.False(complete);
        Assert.Equal([3.1, 3.2, 3.3], whole.Select(r => r.VoltageV));
    }
}
