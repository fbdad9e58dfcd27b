using System.Buffers.Binary;
using System.Numerics;
using CloudPipeline.Core.Formats;
using CloudPipeline.Core.Formats.Nmr;
using Xunit;

namespace CloudPipeline.Core.Tests.Nmr;

/// <summary>
/// Varian/Agilent <c>fid</c> + <c>procpar</c> and Spinsolve <c>.1d</c> rules (nmr.md §1.3, §1.5) on files built byte by
/// byte from their documented layouts: data types, referencing, multiple FIDs and each error.
/// </summary>
public sealed class VarianSpinsolveRulesTests
{
    /// <summary>A 32-byte VnmrJ file header, one 28-byte block header per block, then big-endian data.</summary>
    private static byte[] Fid(int blocks, int traces, int np, int ebytes, short status, int blockHeaders, int dataBytes)
    {
        var bytes = new byte[32 + blocks * (blockHeaders * 28) + dataBytes];
        BinaryPrimitives.WriteInt32BigEndian(bytes, blocks);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), traces);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(8), np);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(12), ebytes);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(16), np * ebytes);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(20), traces * np * ebytes + blockHeaders * 28);
        BinaryPrimitives.WriteInt16BigEndian(bytes.AsSpan(26), status);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(28), blockHeaders);
        return bytes;
    }

    private static readonly Dictionary<string, string[]> Procpar = new() { ["sw"] = ["1000"], ["sfrq"] = ["100"], ["tn"] = ["H1"] };

    [Fact]
    public void Float32_int32_and_int16_data_follow_the_status_bits()
    {
        var f = Fid(1, 1, 4, 4, 0x49, 1, 16);
        float[] floats = [1.5f, -2, 0.25f, 8];
        for (int i = 0; i < 4; i++)
        {
            BinaryPrimitives.WriteSingleBigEndian(f.AsSpan(60 + 4 * i), floats[i]);
        }
        var fid = VarianReader.ReadFid(f, "fid", Procpar, "procpar");
        Assert.Equal([new(1.5, -2), new(0.25, 8)], fid.Points);
        Assert.Equal(("H1", 1000.0, 100.0, 0.0), (fid.Nucleus, fid.SpectralWidthHz, fid.FrequencyMHz, fid.CarrierPpm));
        Assert.Empty(fid.Flags);

        var i32 = Fid(1, 1, 2, 4, 0x05, 1, 8);
        BinaryPrimitives.WriteInt32BigEndian(i32.AsSpan(60), -70000);
        BinaryPrimitives.WriteInt32BigEndian(i32.AsSpan(64), 3);
        Assert.Equal([new Complex(-70000, 3)], VarianReader.ReadFid(i32, "fid", Procpar, "procpar").Points);

        var i16 = Fid(1, 1, 2, 2, 0x01, 0, 4);
        BinaryPrimitives.WriteInt16BigEndian(i16.AsSpan(32), -5);
        BinaryPrimitives.WriteInt16BigEndian(i16.AsSpan(34), 7);
        Assert.Equal([new Complex(-5, 7)], VarianReader.ReadFid(i16, "fid", Procpar, "procpar").Points);
    }

    [Fact]
    public void The_axis_follows_rfl_rfp_and_reffrq_when_procpar_has_them()
    {
        // Left edge δ = (sw − rfl + rfp)/reffrq = (1000 − 200 + 100)/100 = 9 ppm; the carrier (centre) is 9 − sw/(2·reffrq) = 4 ppm.
        var p = new Dictionary<string, string[]>(Procpar) { ["rfl"] = ["200"], ["rfp"] = ["100"], ["reffrq"] = ["100"] };
        Assert.Equal(4, VarianReader.ReadFid(Fid(1, 1, 2, 2, 0x01, 0, 4), "fid", p, "procpar").CarrierPpm, 1e-12);
        // reffrq wins over sfrq.
        var q = new Dictionary<string, string[]>(Procpar) { ["reffrq"] = ["50"] };
        var fid = VarianReader.ReadFid(Fid(1, 1, 2, 2, 0x01, 0, 4), "fid", q, "procpar");
        Assert.Equal(50, fid.FrequencyMHz);
        Assert.Equal(0, fid.CarrierPpm, 1e-12); // (1000 − 500)/50 − 1000/100
    }

    [Fact]
    public void Several_fids_in_a_file_are_flagged_and_the_first_is_read()
    {
        var f = Fid(2, 1, 2, 2, 0x01, 1, 8);
        BinaryPrimitives.WriteInt16BigEndian(f.AsSpan(60), 11);
        var fid = VarianReader.ReadFid(f, "fid", Procpar, "procpar");
        Assert.Equal([new Complex(11, 0)], fid.Points);
        Assert.Equal(["multiple_fids_first_used"], fid.Flags);
    }

    [Theory]
    [InlineData(1, 1, 4, 2, 0x49, "BAD_HEADER")] // float data need 4 bytes per element
    [InlineData(1, 1, 3, 2, 0x01, "BAD_HEADER")] // odd np
    [InlineData(1, 1, 0, 2, 0x01, "BAD_HEADER")]
    [InlineData(0, 1, 2, 2, 0x01, "BAD_HEADER")]
    [InlineData(1, 0, 2, 2, 0x01, "BAD_HEADER")]
    public void An_inconsistent_header_is_an_error(int blocks, int traces, int np, int ebytes, short status, string code)
    {
        var ex = Assert.Throws<InstrumentFileException>(() => VarianReader.ReadFid(Fid(blocks, traces, np, ebytes, status, 0, 64), "fid", Procpar, "procpar"));
        Assert.Equal((code, "header"), (ex.Code, ex.Field));
        Assert.Contains($"np {np}, ebytes {ebytes}, status 0x{status:x}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_short_file_or_a_missing_parameter_is_an_error()
    {
        var cut = Fid(1, 1, 4, 4, 0x49, 1, 15);
        var size = Assert.Throws<InstrumentFileException>(() => VarianReader.ReadFid(cut, "fid", Procpar, "procpar"));
        Assert.Equal(("SIZE_MISMATCH", "np"), (size.Code, size.Field));
        Assert.Contains("the file has 75 bytes but its header describes 76", size.Message, StringComparison.Ordinal);
        var header = Assert.Throws<InstrumentFileException>(() => VarianReader.ReadHeader(new byte[31], "fid"));
        Assert.Equal("TRUNCATED", header.Code);
        var noSw = new Dictionary<string, string[]> { ["sfrq"] = ["100"] };
        var missing = Assert.Throws<InstrumentFileException>(() => VarianReader.ReadFid(Fid(1, 1, 2, 2, 0x01, 0, 4), "fid", noSw, "procpar"));
        Assert.Equal(("MISSING_PARAMETER", "sw"), (missing.Code, missing.Field));
        Assert.StartsWith("procpar", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Procpar_reads_reals_and_multi_line_strings_and_skips_enumerations()
    {
        const string text = "sw 1 1 1e9 0 0 2 1 0 1 64\n1 12143.29\n0\ntn 2 2 8 0 0 2 1 0 1 64\n1 \"P31\"\n0\narray 2 2 9 0 0 2 1 0 1 64\n2 \"a\"\n\"b c\"\n0\ndg 2 2 9 0 0 2 1 0 1 64\n1 \"x\"\n2 \"y\" \"z\"\n";
        var p = VarianReader.ReadProcpar(text, "procpar");
        Assert.Equal(["12143.29"], p["sw"]);
        Assert.Equal(["P31"], p["tn"]);
        Assert.Equal(["a", "b c"], p["array"]);
        Assert.Equal(["x"], p["dg"]);
        Assert.Equal(4, p.Count);
    }

    [Theory]
    [InlineData("sw 1 1 1e9 0 0 2 1 0 1 64", "has no value line", 2)]
    [InlineData("sw 1 1 1e9 0 0 2 1 0 1 64\nabc 1\n0", "does not start with a count", 2)]
    [InlineData("tn 2 2 8 0 0 2 1 0 1 64\n3 \"a\"\n\"b\"", "has 3 values but the file ends after 2 of them", 3)]
    public void A_malformed_procpar_names_the_parameter_and_line(string text, string message, int line)
    {
        var ex = Assert.Throws<InstrumentFileException>(() => VarianReader.ReadProcpar(text, "procpar"));
        Assert.Equal(("BAD_PROCPAR", line), (ex.Code, ex.Line));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        Assert.Equal("BAD_PROCPAR", Assert.Throws<InstrumentFileException>(() => VarianReader.ReadProcpar("just text\n", "procpar")).Code);
    }

    /// <summary>A .1d file: SORP ATAD 1.1V tags, int32 type code and dims, then a float32 axis and complex64 values.</summary>
    private static byte[] OneD(int n, int dataPoints)
    {
        var bytes = new byte[32 + 12 * dataPoints];
        "SORPATAD1.1V"u8.CopyTo(bytes);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(12), 504);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(16), n);
        for (int i = 0; i < dataPoints; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(32 + 4 * i), 0.5f * i);
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(32 + 4 * dataPoints + 8 * i), i + 1);
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(32 + 4 * dataPoints + 8 * i + 4), -i);
        }
        return bytes;
    }

    [Fact]
    public void A_spinsolve_1d_file_reads_its_axis_and_complex_values_and_the_acqu_par_axis()
    {
        var d = SpinsolveReader.Read1D(OneD(2, 2), "data.1d");
        Assert.Equal([0f, 0.5f], d.Axis);
        Assert.Equal([new(1, 0), new(2, -1)], d.Values);
        var acqu = new Dictionary<string, string> { ["b1Freq"] = "80", ["bandwidth"] = "4", ["lowestFrequency"] = "-2000", ["rxChannel"] = "1H", ["startTime"] = "2024-07-25T10:37:17" };
        var fid = SpinsolveReader.ReadFid(OneD(2, 2), "data.1d", acqu, "acqu.par");
        // sw = 4 kHz; left edge (−2000 + 4000)/80 = 25 ppm; centre 25 − 4000/160 = 0 ppm.
        Assert.Equal((4000.0, 80.0, 0.0, "1H"), (fid.SpectralWidthHz, fid.FrequencyMHz, fid.CarrierPpm, fid.Nucleus));
        Assert.Equal(new DateTimeOffset(2024, 7, 25, 10, 37, 17, TimeSpan.Zero), fid.AcquiredAt);
        var missing = Assert.Throws<InstrumentFileException>(() => SpinsolveReader.ReadFid(OneD(2, 2), "data.1d", new Dictionary<string, string> { ["b1Freq"] = "80" }, "acqu.par"));
        Assert.Equal(("MISSING_PARAMETER", "bandwidth"), (missing.Code, missing.Field));
    }

    [Fact]
    public void A_file_without_the_tags_or_shorter_than_its_dims_is_an_error()
    {
        var wrong = OneD(2, 2);
        wrong[0] = (byte)'X';
        Assert.Equal("NOT_SPINSOLVE", Assert.Throws<InstrumentFileException>(() => SpinsolveReader.Read1D(wrong, "data.1d")).Code);
        Assert.Equal("NOT_SPINSOLVE", Assert.Throws<InstrumentFileException>(() => SpinsolveReader.Read1D(OneD(2, 2)[..20], "data.1d")).Code);
        var size = Assert.Throws<InstrumentFileException>(() => SpinsolveReader.Read1D(OneD(3, 2), "data.1d"));
        Assert.Equal(("SIZE_MISMATCH", "dims"), (size.Code, size.Field));
        Assert.Contains("the header says 3 points (68 bytes) but the file has 56 bytes", size.Message, StringComparison.Ordinal);
        Assert.Equal("SIZE_MISMATCH", Assert.Throws<InstrumentFileException>(() => SpinsolveReader.Read1D(OneD(0, 2), "data.1d")).Code);
    }

    [Fact]
    public void Spinsolve_sniffing_errors_and_acqu_par_lines_by_hand()
    {
        // Twelve bytes with both tags are enough to sniff; eleven are not; a file under the 32-byte header is no .1d file.
        Assert.True(SpinsolveReader.Sniff("SORPATAD1234"u8));
        Assert.False(SpinsolveReader.Sniff("SORPATAD123"u8));
        Assert.False(SpinsolveReader.Sniff("SORPXXXX1234"u8));
        var wrong = Assert.Throws<InstrumentFileException>(() => SpinsolveReader.Read1D(OneD(2, 2)[..31], "data.1d"));
        Assert.Contains("the file does not start with the Spinsolve tags PROS DATA (stored as SORP ATAD)", wrong.Message, StringComparison.Ordinal);
        Assert.Equal(("header", "a Magritek .1d file"), (wrong.Field, wrong.Expected));
        Assert.Equal("a float32 axis and complex64 values per point", Assert.Throws<InstrumentFileException>(() => SpinsolveReader.Read1D(OneD(3, 2), "data.1d")).Expected);
        var missing = Assert.Throws<InstrumentFileException>(() => SpinsolveReader.ReadFid(OneD(2, 2), "data.1d", new Dictionary<string, string> { ["b1Freq"] = "x" }, "acqu.par"));
        Assert.Contains("acqu.par", missing.Message, StringComparison.Ordinal);
        Assert.Contains("the parameter b1Freq is missing", missing.Message, StringComparison.Ordinal);
        Assert.Equal("a number", missing.Expected);
        // "key = value" lines; a line starting with '=' names nothing; quotes are removed.
        var p = SpinsolveReader.ReadParameters("b1Freq = 43.5\n= orphan\nSample = \"LiPF6\"\nnoequals\n");
        Assert.Equal(2, p.Count);
        Assert.Equal(("43.5", "LiPF6"), (p["b1Freq"], p["Sample"]));
        Assert.Equal("acqu", Assert.Throws<ArgumentNullException>(() => SpinsolveReader.ReadFid(OneD(2, 2), "data.1d", null!, "acqu.par")).ParamName);
    }
}
