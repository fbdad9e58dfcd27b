using System.IO.Compression;
using CloudPipeline.Core.Formats;
using CloudPipeline.Testing;
using Xunit;

namespace CloudPipeline.Core.Tests.Cycler;

/// <summary>
/// The real .ndax archive rebuilt with one part changed (removed, cut, another ndc version, damaged metadata): each
/// change is a clear error naming the part, or (metadata only) leaves the records as they were.
/// </summary>
public sealed class NdaxArchiveTests
{
    private const string Name = "20260302_IFE_BTS85_2_9_8_1.ndax";

    private static byte[] Rebuilt(Func<string, byte[], byte[]?> change)
    {
        using var source = new ZipArchive(new MemoryStream(File.ReadAllBytes(SharedData.RealFile("neware-ndax", Name))), ZipArchiveMode.Read);
        var output = new MemoryStream();
        using (var target = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in source.Entries)
            {
                using var s = entry.Open();
                var bytes = new MemoryStream();
                s.CopyTo(bytes);
                if (change(entry.FullName, bytes.ToArray()) is { } content)
                {
                    using var t = target.CreateEntry(entry.FullName).Open();
                    t.Write(content);
                }
            }
        }
        return output.ToArray();
    }

    /// <summary>The archive rebuilt with a copy of <paramref name="part"/>'s bytes changed in place by <paramref name="patch"/>.</summary>
    private static byte[] Patched(string part, Action<byte[]> patch) => Rebuilt((name, bytes) =>
    {
        if (name != part)
        {
            return bytes;
        }
        var copy = (byte[])bytes.Clone();
        patch(copy);
        return copy;
    });

    /// <summary>A zip archive holding one 64-byte entry named <paramref name="name"/>.</summary>
    private static byte[] OneEntryZip(string name)
    {
        var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var s = zip.CreateEntry(name).Open();
            s.Write(new byte[64]);
        }
        return output.ToArray();
    }

    private static InstrumentFileException Fails(byte[] archive) =>
        Assert.Throws<InstrumentFileException>(() => CyclerReaderTests.Read(archive, Name));

    [RealDataFact]
    public void A_missing_part_is_named()
    {
        var ex = Fails(Rebuilt((name, bytes) => name == "data_step.ndc" ? null : bytes));
        Assert.Equal(("NDAX_PART_MISSING", "data_step.ndc"), (ex.Code, ex.Field));
        Assert.Contains("the archive has no data_step.ndc", ex.Message, StringComparison.Ordinal);
        Assert.Equal("a Neware BTS 8 .ndax archive (data.ndc, data_step.ndc, data_runInfo.ndc)", ex.Expected);
    }

    [RealDataFact]
    public void A_part_cut_inside_its_header_or_of_another_ndc_version_is_named()
    {
        var cut = Fails(Rebuilt((name, bytes) => name == "data_step.ndc" ? bytes[..100] : bytes));
        Assert.Equal(("NDAX_CORRUPT", "data_step.ndc"), (cut.Code, cut.Field));
        Assert.Contains("data_step.ndc ends inside its header", cut.Message, StringComparison.Ordinal);
        Assert.Equal("a 4,096-byte ndc header", cut.Expected);
        var version = Fails(Patched("data_runInfo.ndc", copy => copy[2] = 16));
        Assert.Equal(("NDAX_VERSION", "data_runInfo.ndc"), (version.Code, version.Field));
        Assert.Contains("data_runInfo.ndc is ndc file type 18, version 16", version.Message, StringComparison.Ordinal);
        Assert.Equal("ndc file type 18, version 17 (Neware BTS 8); for other versions export the test as CSV from BTS", version.Expected);
    }

    [RealDataFact]
    public void Damaged_metadata_leaves_the_records_as_they_were()
    {
        var original = CyclerReaderTests.ReadReal($"neware-ndax/{Name}");
        var damaged = CyclerReaderTests.Read(Rebuilt((name, bytes) => name == "TestInfo.xml" ? "<TestInfo><broken"u8.ToArray() : bytes), Name);
        Assert.Equal(original.Rows.Count, damaged.Rows.Count);
        Assert.Equal(original.Rows[^1], damaged.Rows[^1]);
        Assert.False(damaged.Info.Metadata.ContainsKey("StepName")); // TestInfo.xml's attributes are gone
    }

    [Fact]
    public void Bytes_that_are_no_zip_archive_under_an_ndax_name_are_a_clear_error()
    {
        var ex = Assert.Throws<InstrumentFileException>(() => CyclerReaderTests.Read("PK\u0003\u0004 not really a zip"u8.ToArray(), Name));
        Assert.Equal("NDAX_CORRUPT", ex.Code);
        Assert.Contains("the zip archive cannot be opened (", ex.Message, StringComparison.Ordinal);
        Assert.Equal("a complete Neware .ndax archive", ex.Expected);
    }

    [RealDataTheory]
    [InlineData("data_step.ndc", "data_step.ndc lists no steps")]
    [InlineData("data_runInfo.ndc", "data_runInfo.ndc stores no record times")]
    public void A_part_with_its_header_and_no_entries_is_an_archive_without_rows(string part, string message)
    {
        // An ndc part is a 4,096-byte header page and then entry pages; keep only the header.
        var ex = Fails(Rebuilt((name, bytes) => name == part ? bytes[..4096] : bytes));
        Assert.Equal(("NO_ROWS", "a test with recorded data"), (ex.Code, ex.Expected));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [RealDataTheory]
    [InlineData(true)]
    [InlineData(false)]
    public void Record_times_out_of_order_or_repeated_are_named_by_entry_and_record(bool swap)
    {
        // data_runInfo.ndc entries are 100 bytes from byte 232 of each page; the record number is the int32 at byte 41.
        // Swap the record numbers of the first two entries of the first entry page, or give the second the first's.
        int first = 0, second = 0;
        var ex = Fails(Patched("data_runInfo.ndc", copy =>
        {
            var a = copy.AsSpan(4096 + 232 + 41, 4);
            var b = copy.AsSpan(4096 + 232 + 100 + 41, 4);
            first = BitConverter.ToInt32(a);
            second = BitConverter.ToInt32(b);
            var saved = a.ToArray();
            if (swap)
            {
                b.CopyTo(a);
            }
            saved.CopyTo(b);
        }));
        Assert.Equal((1, 2), (first, second)); // the first two entries are for records 1 and 2 (read with a hex dump)
        Assert.Equal(("NDAX_CORRUPT", "data_runInfo.ndc", "record numbers that increase"), (ex.Code, ex.Field, ex.Expected));
        Assert.Contains(swap ? "data_runInfo.ndc entry 2 is for record 1, not after record 2" : "data_runInfo.ndc entry 2 is for record 1, not after record 1", ex.Message, StringComparison.Ordinal);
    }

    [RealDataFact]
    public void Each_step_starts_at_its_wall_clock_time_and_the_vendor_counters_stand_on_the_stored_records_only()
    {
        var (_, rows, _) = CyclerReaderTests.ReadReal($"neware-ndax/{Name}");
        // Read from data_runInfo.ndc with a hex dump: the first stored record is stamped Unix 1772187454 s (int32 at byte
        // 33) and 977 ms (int16 at byte 45); each step's first record is stamped 977 ms past the second as well, at
        // 1772191053 (step 2), 1772191073 (step 3), 1772191074 (step 4) and 1772192749 (step 5). So the steps start
        // 3599, 3619, 3620 and 5295 s after the first record, and the last record of each step, stamped at the same
        // instant as the next step's first, ends its step there.
        Assert.Equal(1772187454.977, rows[0].UnixTimeS, 1e-6);
        var starts = rows.GroupBy(r => r.Step).Select(g => (g.Key, g.First().TimeS)).ToList();
        Assert.Equal([(1, 0.0), (2, 3599.0), (3, 3619.0), (4, 3620.0), (5, 5295.0)], starts.Select(s => (s.Key, Math.Round(s.TimeS, 6))));
        Assert.All(rows.Zip(rows.Skip(1)).Where(p => p.First.Step != p.Second.Step), p => Assert.Equal(p.First.TimeS, p.Second.TimeS, 1e-6));
        // The archive numbers cycles from 0; Neware's exports (and this model) from 1. The test is one formation cycle.
        Assert.All(rows, r => Assert.Equal(1, r.Cycle));
        // data_runInfo.ndc has 4,261 used entries (112 pages of 38 and one of 5, counted with a hex dump); those records
        // carry the vendor counters and the others none. Every step's first and last record is among them.
        var stored = rows.Where(r => !double.IsNaN(r.VendorChargeAh)).ToList();
        Assert.Equal(4261, stored.Count);
        Assert.All(stored, r => Assert.False(double.IsNaN(r.VendorDischargeAh) || double.IsNaN(r.VendorChargeWh) || double.IsNaN(r.VendorDischargeWh)));
        Assert.All(rows.Except(stored), r => Assert.True(double.IsNaN(r.VendorDischargeAh) && double.IsNaN(r.VendorChargeWh) && double.IsNaN(r.VendorDischargeWh)));
        var storedRows = stored.Select(r => r.Row).ToHashSet();
        Assert.All(rows.GroupBy(r => r.Step), g => Assert.True(storedRows.Contains(g.First().Row) && storedRows.Contains(g.Last().Row), $"step {g.Key}"));
        // The last stored record is 252,901 and its charge counter 1.3905476 Ah (float32 at byte 5).
        Assert.Equal((252901, 1.3905476331710815), (stored[^1].Row, stored[^1].VendorChargeAh));
    }

    public static TheoryData<byte, string> StepTypes => new()
    {
        // NewareNDA's state_dict (the codes of Step.xml and data_step.ndc), named as BTS's CSV exports name them.
        { 1, "CC Chg" }, { 2, "CC DChg" }, { 3, "CV Chg" }, { 4, "Rest" }, { 5, "Cycle" }, { 7, "CCCV Chg" }, { 8, "CP DChg" }, { 9, "CP Chg" },
        { 10, "CR DChg" }, { 13, "Pause" }, { 16, "Pulse" }, { 17, "SIM" }, { 19, "CV DChg" }, { 20, "CCCV DChg" }, { 21, "Control" },
        { 22, "OCV" }, { 26, "CPCV DChg" }, { 27, "CPCV Chg" }, { 99, "type 99" },
    };

    [RealDataTheory]
    [MemberData(nameof(StepTypes))]
    public void Every_neware_step_type_code_reads_by_its_name(byte code, string name)
    {
        // data_step.ndc's entries are 100 bytes from byte 132 of its first entry page; the type is byte 24. Step 2 is the second.
        var (_, rows, _) = CyclerReaderTests.Read(Patched("data_step.ndc", copy => copy[4096 + 132 + 100 + 24] = code), Name);
        Assert.Equal(["Control", name, "CV Chg", "CC Chg", "CC Chg"], rows.GroupBy(r => r.Step).Select(g => g.First().StepType));
    }

    [RealDataFact]
    public void The_archive_lists_its_columns_and_has_cycles_steps_and_step_types()
    {
        var (info, _, _) = CyclerReaderTests.ReadReal($"neware-ndax/{Name}");
        Assert.Equal(["Record", "Voltage(V)", "Current(A)", "Cycle", "Step", "Step Type", "Time (interpolated between stored records)",
            "Chg. Cap.(Ah)", "DChg. Cap.(Ah)", "Chg. Energy(Wh)", "DChg. Energy(Wh)", "Unix time"], info.Columns);
        Assert.Equal((true, true, true), (info.HasCycles, info.HasSteps, info.HasStepTypes));
        Assert.StartsWith("CyclerFormats ", info.Reader, StringComparison.Ordinal);
        Assert.EndsWith(" (neware-ndax, ndc 17)", info.Reader, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("data.ndc", "data_step.ndc")]
    [InlineData("EditStep.xml", "data.ndc")]
    [InlineData("TestInfo.xml", "data.ndc")]
    public void A_zip_under_another_name_is_taken_for_a_neware_archive_by_the_part_it_starts_with(string part, string missing)
    {
        // The registry reads the first 4,096 bytes: the zip's first local header, which names its first part.
        var ex = Assert.Throws<InstrumentFileException>(() => FormatRegistry.Default.Identify("cell_7.zip", OneEntryZip(part)));
        Assert.Equal(("NDAX_PART_MISSING", missing), (ex.Code, ex.Field)); // the Neware reader, not "no supported format"
        Assert.Equal("UNKNOWN_FORMAT", Assert.Throws<InstrumentFileException>(() => FormatRegistry.Default.Identify("cell_7.zip", OneEntryZip("notes.txt"))).Code);
    }

    [RealDataFact]
    public void A_part_stored_with_an_unknown_compression_method_or_damaged_inside_is_named()
    {
        // The central directory's record of a part ("PK\x01\x02") holds its compression method at byte 10 and its name from byte 46.
        var archive = Rebuilt((_, bytes) => bytes);
        int directory = IndexOfName(archive, "PK\u0001\u0002", "data_step.ndc", 46);
        archive[directory + 10] = 99;
        var method = Fails(archive);
        Assert.Equal(("NDAX_CORRUPT", "data_step.ndc", "an undamaged .ndax archive"), (method.Code, method.Field, method.Expected));
        Assert.Contains("data_step.ndc cannot be opened (", method.Message, StringComparison.Ordinal);

        // A local header ("PK\x03\x04") has its name from byte 30 and the compressed bytes after the name and extra field.
        var damaged = Rebuilt((_, bytes) => bytes);
        int local = IndexOfName(damaged, "PK\u0003\u0004", "data_runInfo.ndc", 30);
        int data = local + 30 + BitConverter.ToUInt16(damaged, local + 26) + BitConverter.ToUInt16(damaged, local + 28);
        damaged.AsSpan(data + 16, 64).Fill(0xFF);
        var inside = Fails(damaged);
        Assert.Equal(("NDAX_CORRUPT", "data_runInfo.ndc", "an undamaged .ndax archive"), (inside.Code, inside.Field, inside.Expected));
        Assert.Contains("data_runInfo.ndc cannot be decompressed (", inside.Message, StringComparison.Ordinal);
    }

    private static int IndexOfName(byte[] archive, string signature, string name, int nameAt)
    {
        byte[] sig = System.Text.Encoding.Latin1.GetBytes(signature), text = System.Text.Encoding.ASCII.GetBytes(name);
        for (int i = 0; i + nameAt + text.Length <= archive.Length; i++)
        {
            if (archive.AsSpan(i).StartsWith(sig) && archive.AsSpan(i + nameAt).StartsWith(text))
            {
                return i;
            }
        }
        throw new InvalidOperationException($"no {name} record");
    }
}
