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

    private static InstrumentFileException Fails(byte[] archive) =>
        Assert.Throws<InstrumentFileException>(() => CyclerReaderTests.Read(archive, Name));

    [RealDataFact]
    public void A_missing_part_is_named()
    {
        var ex = Fails(Rebuilt((name, bytes) => name == "data_step.ndc" ? null : bytes));
        Assert.Equal(("NDAX_PART_MISSING", "data_step.ndc"), (ex.Code, ex.Field));
        Assert.Contains("the archive has no data_step.ndc", ex.Message, StringComparison.Ordinal);
    }

    [RealDataFact]
    public void A_part_cut_inside_its_header_or_of_another_ndc_version_is_named()
    {
        var cut = Fails(Rebuilt((name, bytes) => name == "data_step.ndc" ? bytes[..100] : bytes));
        Assert.Equal(("NDAX_CORRUPT", "data_step.ndc"), (cut.Code, cut.Field));
        Assert.Contains("data_step.ndc ends inside its header", cut.Message, StringComparison.Ordinal);
        var version = Fails(Rebuilt((name, bytes) =>
        {
            if (name != "data_runInfo.ndc")
            {
                return bytes;
            }
            var copy = (byte[])bytes.Clone();
            copy[2] = 16;
            return copy;
        }));
        Assert.Equal(("NDAX_VERSION", "data_runInfo.ndc"), (version.Code, version.Field));
        Assert.Contains("version 16", version.Message, StringComparison.Ordinal);
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
        Assert.Contains("the zip archive cannot be opened", ex.Message, StringComparison.Ordinal);
    }

    [RealDataTheory]
    [InlineData("data_step.ndc", "data_step.ndc lists no steps")]
    [InlineData("data_runInfo.ndc", "data_runInfo.ndc stores no record times")]
    public void A_part_with_its_header_and_no_entries_is_an_archive_without_rows(string part, string message)
    {
        // An ndc part is a 4,096-byte header page and then entry pages; keep only the header.
        var ex = Fails(Rebuilt((name, bytes) => name == part ? bytes[..4096] : bytes));
        Assert.Equal("NO_ROWS", ex.Code);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [RealDataFact]
    public void Record_times_out_of_order_are_named_by_entry_and_record()
    {
        // data_runInfo.ndc entries are 100 bytes from byte 232 of each page; the record number is the int32 at byte 41.
        // Swap the record numbers of the first two entries of the first entry page.
        int first = 0, second = 0;
        var ex = Fails(Rebuilt((name, bytes) =>
        {
            if (name != "data_runInfo.ndc")
            {
                return bytes;
            }
            var copy = (byte[])bytes.Clone();
            var a = copy.AsSpan(4096 + 232 + 41, 4);
            var b = copy.AsSpan(4096 + 232 + 100 + 41, 4);
            first = BitConverter.ToInt32(a);
            second = BitConverter.ToInt32(b);
            var swap = a.ToArray();
            b.CopyTo(a);
            swap.CopyTo(b);
            return copy;
        }));
        Assert.True(first > 0 && second > first, $"records {first}, {second}");
        Assert.Equal(("NDAX_CORRUPT", "data_runInfo.ndc"), (ex.Code, ex.Field));
        Assert.Contains($"data_runInfo.ndc entry 2 is for record {first}, not after record {second}", ex.Message, StringComparison.Ordinal);
    }
}
