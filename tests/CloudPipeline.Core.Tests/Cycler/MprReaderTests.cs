using System.Buffers.Binary;
using System.Text;
using CloudPipeline.Core.Formats;
using CloudPipeline.Core.Formats.BioLogic;
using Xunit;

namespace CloudPipeline.Core.Tests.Cycler;

/// <summary>
/// The .mpr container on small files built byte by byte from the layout the reader documents (52-byte magic; modules
/// of "MODULE", a 51- or 59-byte header and data; the "VMP data" module's point count, column ids and records):
/// every data-module version, flag unpacking, column sizing from the module length, and each error.
/// </summary>
public sealed class MprReaderTests
{
    private static byte[] Module(string shortName, byte[] data, int version, bool extended = false, int? claimedLength = null)
    {
        var header = new byte[extended ? 59 : 51];
        Encoding.Latin1.GetBytes(shortName.PadRight(10)).CopyTo(header, 0);
        Encoding.Latin1.GetBytes("long name".PadRight(25)).CopyTo(header, 10);
        if (extended)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(35), 0xFFFFFFFF);
        }
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(extended ? 39 : 35), (uint)(claimedLength ?? data.Length));
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(extended ? 43 : 39), (uint)version);
        return [.. "MODULE"u8, .. header, .. data];
    }

    private static byte[] File(params byte[][] modules)
    {
        var magic = new byte[0x34];
        Encoding.ASCII.GetBytes("BIO-LOGIC MODULAR FILE\u001a").CopyTo(magic, 0);
        return [.. magic, .. modules.SelectMany(m => m)];
    }

    /// <summary>A version 2/3 data module: point count, id count, little-endian u16 ids, records from byte 405 (v2) or 406 (v3).</summary>
    private static byte[] Data(int version, uint points, int[] ids, byte[] records)
    {
        int start = version switch { 2 => 405, 3 => 406, 0 => 1007, _ => 6 };
        var data = new byte[start + records.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(data, points);
        data[4] = (byte)ids.Length;
        for (int i = 0; i < ids.Length; i++)
        {
            if (version == 0)
            {
                BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(5 + 2 * i), (ushort)ids[i]);
            }
            else
            {
                BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(5 + 2 * i), (ushort)ids[i]);
            }
        }
        records.CopyTo(data, start);
        return data;
    }

    /// <summary>Records of flags (mode, ox/red in one byte), time/s (f8), Ewe/V (f4) and I Range (u2): 15 bytes each.</summary>
    private static byte[] Records()
    {
        var r = new byte[30];
        r[0] = 0b110; // mode 2, ox/red 1
        BinaryPrimitives.WriteDoubleLittleEndian(r.AsSpan(1), 0.5);
        BinaryPrimitives.WriteSingleLittleEndian(r.AsSpan(9), 3.25f);
        BinaryPrimitives.WriteUInt16LittleEndian(r.AsSpan(13), 41);
        r[15] = 0b001; // mode 1, ox/red 0
        BinaryPrimitives.WriteDoubleLittleEndian(r.AsSpan(16), 1.5);
        BinaryPrimitives.WriteSingleLittleEndian(r.AsSpan(24), 3.5f);
        BinaryPrimitives.WriteUInt16LittleEndian(r.AsSpan(28), 42);
        return r;
    }

    private static void AssertRecords(MprFile mpr)
    {
        Assert.Equal(2, mpr.Points);
        Assert.Equal(["mode", "ox/red", "time/s", "Ewe/V", "I Range"], mpr.Columns.Keys);
        Assert.Equal([2.0, 1.0], mpr.Columns["mode"]);
        Assert.Equal([1.0, 0.0], mpr.Columns["ox/red"]);
        Assert.Equal([0.5, 1.5], mpr.Columns["time/s"]);
        Assert.Equal([3.25, 3.5], mpr.Columns["Ewe/V"]);
        Assert.Equal([41.0, 42.0], mpr.Columns["I Range"]);
    }

    [Theory]
    [InlineData(2, false)]
    [InlineData(3, false)]
    [InlineData(3, true)]
    [InlineData(0, true)]
    public void Every_data_module_version_reads_flags_and_values(int version, bool extended)
    {
        var settings = Module("VMP Set", new byte[20], 0, extended); // skipped
        var mpr = MprReader.Read("cell.mpr", File(settings, Module("VMP data", Data(version, 2, [1, 2, 4, 6, 39], Records()), version, extended)));
        AssertRecords(mpr);
        Assert.Equal((version, "cell.mpr"), (mpr.DataModuleVersion, mpr.SourceName));
    }

    [Fact]
    public void Version_0_files_of_early_ec_lab_have_one_byte_ids_and_records_from_byte_100()
    {
        var data = new byte[100 + 30];
        BinaryPrimitives.WriteUInt32LittleEndian(data, 2);
        data[4] = 5;
        byte[] ids = [1, 2, 4, 6, 39];
        ids.CopyTo(data, 5);
        Records().CopyTo(data, 100);
        AssertRecords(MprReader.Read("cell.mpr", File(Module("VMP data", data, 0))));
    }

    [Fact]
    public void A_single_unknown_column_is_sized_from_the_module_length()
    {
        // time/s (8 bytes) and id 999 with 4 spare bytes per record: id 999 is a 4-byte float named by its id.
        var records = new byte[24];
        BinaryPrimitives.WriteDoubleLittleEndian(records, 1);
        BinaryPrimitives.WriteSingleLittleEndian(records.AsSpan(8), 0.75f);
        BinaryPrimitives.WriteDoubleLittleEndian(records.AsSpan(12), 2);
        BinaryPrimitives.WriteSingleLittleEndian(records.AsSpan(20), -0.5f);
        var mpr = MprReader.Read("cell.mpr", File(Module("VMP data", Data(2, 2, [4, 999], records), 2)));
        Assert.Equal([1.0, 2.0], mpr.Columns["time/s"]);
        Assert.Equal([0.75, -0.5], mpr.Columns["column id 999"]);
    }

    /// <summary>
    /// Columns are keyed by the names the text export uses, so an empty name would hide a column: every id from 1 to
    /// 600, alone in a file with 8-byte records, reads under a non-empty, trimmed name or as "column id N". (Some
    /// quantities have two ids across EC-Lab versions, 11 and 76 both "&lt;I&gt;/mA", so names need not be distinct.)
    /// The table names every id up to 543, where EC-Lab's automation list ends, but 15, 165 and 166, which its sources leave out.
    /// </summary>
    [Fact]
    public void Every_column_id_reads_under_a_non_empty_name()
    {
        var unnamed = new List<int>();
        for (int id = 1; id <= 600; id++)
        {
            var mpr = MprReader.Read("ids.mpr", File(Module("VMP data", Data(2, 1, [id], new byte[8]), 2)));
            string name = Assert.Single(mpr.Columns.Keys);
            Assert.True(name.Length > 0 && name == name.Trim(), $"id {id}: '{name}'");
            if (name == $"column id {id}")
            {
                unnamed.Add(id);
            }
        }
        Assert.Equal([15, 165, 166, .. Enumerable.Range(544, 57)], unnamed);
    }

    /// <summary>
    /// Ids of the numbered families (harmonics, concentrations, custom and multi-electrode columns) at the ends of each
    /// range, named as galvani's column table (BioLogic.py, VMPdata_colID_dtype_map) names them.
    /// </summary>
    [Theory]
    [InlineData(86, "Unk1")]
    [InlineData(95, "Unk10")]
    [InlineData(134, "Custom01")]
    [InlineData(153, "Custom20")]
    [InlineData(198, "CA/mol.L-1")]
    [InlineData(207, "CJ/mol.L-1")]
    [InlineData(212, "E2/V")] // 211 is Q charge/discharge in the verified files
    [InlineData(240, "E30/V")]
    [InlineData(270, "|E30|/V")]
    [InlineData(300, "Phase(Z30)/deg")]
    [InlineData(329, "|Z29|/Ohm")]
    [InlineData(330, "|Z30|/Ohm")]
    [InlineData(360, "Re(Z30)/Ohm")]
    [InlineData(389, "-Im(Z29)/Ohm")]
    [InlineData(390, "-Im(Z30)/Ohm")]
    [InlineData(420, "<E30>/V")]
    [InlineData(486, "|Ewe h2|/V")]
    [InlineData(497, "|I h7|/A")]
    [InlineData(498, "|Ece h2|/V")]
    [InlineData(503, "|Ece h7|/V")]
    public void Numbered_column_families_are_named_as_galvani_names_them(int id, string name)
    {
        var mpr = MprReader.Read("ids.mpr", File(Module("VMP data", Data(2, 1, [id], new byte[4]), 2)));
        Assert.Equal(name, Assert.Single(mpr.Columns.Keys));
    }

    [Theory]
    [InlineData(1, 1.0)] // 1 spare byte per record: u1
    [InlineData(2, 258.0)] // u2 of bytes 02 01
    public void Narrow_unknown_columns_are_read_as_unsigned_integers(int width, double expected)
    {
        var records = new byte[2 * (8 + width)];
        records[8] = width == 1 ? (byte)1 : (byte)2;
        if (width == 2)
        {
            records[9] = 1;
        }
        var mpr = MprReader.Read("cell.mpr", File(Module("VMP data", Data(2, 2, [4, 999], records), 2)));
        Assert.Equal(expected, mpr.Columns["column id 999"][0]);
    }

    [Fact]
    public void A_repeated_column_id_is_laid_out_at_each_repeat_and_read_from_the_first()
    {
        // time/s (id 4, f8) twice: two 16-byte records, the second copy in each ignored.
        var records = new byte[32];
        BinaryPrimitives.WriteDoubleLittleEndian(records, 0.5);
        BinaryPrimitives.WriteDoubleLittleEndian(records.AsSpan(8), 7);
        BinaryPrimitives.WriteDoubleLittleEndian(records.AsSpan(16), 1.5);
        BinaryPrimitives.WriteDoubleLittleEndian(records.AsSpan(24), 8);
        var mpr = MprReader.Read("cell.mpr", File(Module("VMP data", Data(2, 2, [4, 4], records), 2)));
        Assert.Equal(["time/s"], mpr.Columns.Keys);
        Assert.Equal([0.5, 1.5], mpr.Columns["time/s"]);
    }

    [Fact]
    public void An_automation_list_column_whose_width_does_not_add_up_is_resized_from_the_module_length()
    {
        // Id 86 ("Unk1") is listed as f4; with 8 bytes per record left after time/s it must be an f8.
        var records = new byte[16];
        BinaryPrimitives.WriteDoubleLittleEndian(records, 3);
        BinaryPrimitives.WriteDoubleLittleEndian(records.AsSpan(8), 1e-9);
        var mpr = MprReader.Read("cell.mpr", File(Module("VMP data", Data(2, 1, [4, 86], records), 2)));
        Assert.Equal([1e-9], mpr.Columns["Unk1"]);
        // When its listed width adds up it is read as listed.
        var fits = new byte[12];
        BinaryPrimitives.WriteSingleLittleEndian(fits.AsSpan(8), 2.5f);
        Assert.Equal([2.5], MprReader.Read("cell.mpr", File(Module("VMP data", Data(2, 1, [4, 86], fits), 2))).Columns["Unk1"]);
    }

    public static TheoryData<string, byte[], string, string, string?, string?> Broken()
    {
        var good = Data(2, 2, [1, 2, 4, 6, 39], Records());
        var notMagic = File(Module("VMP data", good, 2));
        notMagic[0] = (byte)'b';
        var hugeCount = (byte[])good.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(hugeCount, 0x80000000);
        var largestCount = (byte[])good.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(largestCount, int.MaxValue);
        var manyIds = new byte[450];
        manyIds[4] = 255; // 255 two-byte ids end at byte 515
        const string unknownId = "a column id of the supported EC-Lab versions";
        return new TheoryData<string, byte[], string, string, string?, string?>
        {
            { "not an mpr", notMagic, "NOT_MPR", "does not start with 'BIO-LOGIC MODULAR FILE'", null, "an EC-Lab .mpr file" },
            { "garbage after the magic", [.. File(), .. "NOTAMODULE"u8], "MPR_CORRUPT", "no MODULE header at byte 52", null, "a sequence of modules" },
            { "a cut module header", [.. File(), .. "MODULEVMP data"u8], "MPR_TRUNCATED", "the module at byte 52 is truncated", null, null },
            { "a module longer than the file", File(Module("VMP data", good, 2, claimedLength: good.Length + 1)), "MPR_TRUNCATED", $"module 'VMP data' claims {good.Length + 1} bytes but the file ends first", null, null },
            { "no data module", File(Module("VMP Set", new byte[10], 0)), "MPR_NO_DATA", "no 'VMP data' module", null, "an .mpr file with data" },
            { "an empty last module and no data module", File(Module("VMP Set", [], 0)), "MPR_NO_DATA", "no 'VMP data' module", null, "an .mpr file with data" },
            { "a data module of 5 bytes", File(Module("VMP data", new byte[5], 2)), "MPR_TRUNCATED", "the 'VMP data' module has 5 bytes", null, "a point count and the column ids" },
            { "a version 1 data module of 6 bytes", File(Module("VMP data", new byte[6], 1)), "MPR_VERSION", "data module version 1 is not supported", null, "version 0, 2 or 3" },
            { "a point count above 2^31", File(Module("VMP data", hugeCount, 2)), "MPR_CORRUPT", "claims 2147483648 points", "points", "a point count the module's length can hold" },
            { "a point count of 2^31 - 1", File(Module("VMP data", largestCount, 2)), "MPR_TRUNCATED", "2147483647 records of 15 bytes do not fit in the data module (435 bytes)", null, null },
            { "a data module shorter than its header", File(Module("VMP data", good[..300], 2)), "MPR_TRUNCATED", "has 300 bytes, less than its header of 405 bytes", null, null },
            { "a data module shorter than its column ids", File(Module("VMP data", manyIds, 2)), "MPR_TRUNCATED", "has 450 bytes, less than its header of 515 bytes", null, null },
            { "data module version 1", File(Module("VMP data", good, 1)), "MPR_VERSION", "data module version 1 is not supported", null, "version 0, 2 or 3" },
            { "records cut short", File(Module("VMP data", good[..^1], 2)), "MPR_TRUNCATED", "2 records of 15 bytes do not fit in the data module (434 bytes)", null, null },
            { "two unknown columns", File(Module("VMP data", Data(2, 1, [998, 999], new byte[8]), 2)), "MPR_UNKNOWN_COLUMN", "column ids 998, 999 in module 'VMP data' (version 2) are not known", "column id 998", unknownId },
            { "an unknown column of 3 bytes", File(Module("VMP data", Data(2, 1, [4, 999], new byte[11]), 2)), "MPR_UNKNOWN_COLUMN", "column id 999 in module 'VMP data' (version 2) is not known to this reader and cannot be sized", "column id 999", unknownId },
            { "an unknown column and no points to size it by", File(Module("VMP data", Data(2, 0, [4, 999], []), 2)), "MPR_UNKNOWN_COLUMN", "column id 999 in module 'VMP data' (version 2) is not known to this reader and cannot be sized", "column id 999", unknownId },
            { "an automation-list column of 3 bytes", File(Module("VMP data", Data(2, 1, [4, 86], new byte[11]), 2)), "MPR_UNKNOWN_COLUMN", "column id 86 ('Unk1') in module 'VMP data' (version 2) is known only from EC-Lab's automation list", "column id 86", unknownId },
        };
    }

    [Theory]
    [MemberData(nameof(Broken))]
    public void A_broken_container_is_an_error_naming_the_file_and_what_is_wrong(string what, byte[] content, string code, string message, string? field, string? expected)
    {
        var ex = Assert.Throws<InstrumentFileException>(() => MprReader.Read("cell.mpr", content));
        Assert.True(code == ex.Code, $"{what}: {ex.Code} {ex.Message}");
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        Assert.StartsWith("cell.mpr", ex.Message, StringComparison.Ordinal);
        Assert.Equal((field, expected), (ex.Field, ex.Expected));
    }
}
