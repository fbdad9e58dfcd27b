using System.Buffers.Binary;
using CloudPipeline.Core.Formats;
using CloudPipeline.Core.Formats.Nmr;
using Xunit;

namespace CloudPipeline.Core.Tests.Nmr;

/// <summary>
/// The Bruker rules of nmr.md §1.1 on small hand-written parameter files and byte arrays: the digital-filter group
/// delay table and its precedence, the acquisition modes and data types, and the errors for what v1 rejects.
/// </summary>
public sealed class BrukerRulesTests
{
    private static BrukerParameters Acqus(string records) => BrukerParameters.Parse(records, "acqus");

    private const string Basic = "##$SW_h= 1000\n##$SFO1= 100.0001\n##$BF1= 100\n##$NUC1= <7Li>\n";

    public static TheoryData<int, int, double> Table()
    {
        int[] decims = [2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024, 1536, 2048];
        // nmr.md §1.1, rows DSPFVS 10 and 12 (four-decimal entries rounded there).
        double[] row10 = [44.75, 33.5, 66.625, 59.0833, 68.5625, 60.375, 69.53125, 61.0208, 70.015625, 61.34375, 70.2578, 61.5052, 70.3789, 61.5859, 70.4395, 61.6263, 70.4697, 61.6465, 70.4849, 61.6566, 70.4924];
        double[] row12 = [46, 36.5, 48, 50.1667, 53.25, 69.5, 71.625, 70.1667, 72.125, 70.5, 72.375, 70.6667, 72.5, 71.3333, 72.25, 71.6667, 72.125, 71.8333, 72.0625, 71.9167, 72.03125];
        var data = new TheoryData<int, int, double>();
        for (int c = 0; c < decims.Length; c++)
        {
            data.Add(10, decims[c], row10[c]);
            data.Add(12, decims[c], row12[c]);
            // Row 11 is row 12 except DECIM 16 → 72.25, 32 → 72.75, 64 → 73.
            data.Add(11, decims[c], decims[c] switch { 16 => 72.25, 32 => 72.75, 64 => 73, _ => row12[c] });
            if (decims[c] <= 96)
            {
                data.Add(13, decims[c], 3 - 1.0 / (2 * decims[c])); // row 13: 3 − 1/(2·DECIM)
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Table))]
    public void Group_delay_follows_the_firmware_table(int dspfvs, int decim, double expected)
    {
        var (g, flags) = BrukerReader.GroupDelay(Acqus($"##$DIGMOD= 1\n##$DSPFVS= {dspfvs}\n##$DECIM= {decim}\n"));
        Assert.Equal(expected, g, 5e-5);
        Assert.Empty(flags);
    }

    [Fact]
    public void The_exact_fractions_of_the_table_are_exact()
    {
        Assert.Equal(59 + 1.0 / 12, BrukerReader.GroupDelay(Acqus("##$DIGMOD= 1\n##$DSPFVS= 10\n##$DECIM= 6\n")).Points, 1e-12);
        Assert.Equal(61 + 1.0 / 48, BrukerReader.GroupDelay(Acqus("##$DIGMOD= 1\n##$DSPFVS= 10\n##$DECIM= 24\n")).Points, 1e-12);
        Assert.Equal(71 + 11.0 / 12, BrukerReader.GroupDelay(Acqus("##$DIGMOD= 1\n##$DSPFVS= 12\n##$DECIM= 1536\n")).Points, 1e-12);
    }

    [Fact]
    public void Grpdly_wins_then_digmod_zero_then_the_table_then_unknown_with_a_flag()
    {
        Assert.Equal(67.98, BrukerReader.GroupDelay(Acqus("##$GRPDLY= 67.98\n##$DIGMOD= 1\n##$DSPFVS= 20\n##$DECIM= 1680\n")).Points);
        // GRPDLY = −1 (absent in old firmware) falls through to the table.
        Assert.Equal(60.375, BrukerReader.GroupDelay(Acqus("##$GRPDLY= -1\n##$DIGMOD= 1\n##$DSPFVS= 10\n##$DECIM= 12\n")).Points);
        Assert.Equal(0, BrukerReader.GroupDelay(Acqus("##$DIGMOD= 0\n##$DSPFVS= 10\n##$DECIM= 12\n")).Points);
        Assert.Equal(0, BrukerReader.GroupDelay(Acqus("##$DSPFVS= 10\n##$DECIM= 12\n")).Points); // no DIGMOD: analogue filter
        var (g, flags) = BrukerReader.GroupDelay(Acqus("##$DIGMOD= 1\n##$DSPFVS= 20\n##$DECIM= 1680\n"));
        Assert.Equal(0, g);
        Assert.Equal(["grpdly_unknown"], flags);
        Assert.Equal(["grpdly_unknown"], BrukerReader.GroupDelay(Acqus("##$DIGMOD= 1\n##$DECIM= 12\n")).Flags); // no DSPFVS
    }

    [Theory]
    [InlineData(10, 5)] // no such DECIM column
    [InlineData(13, 128)] // row 13 stops at 96
    public void A_decim_the_table_lacks_is_an_error_naming_both(int dspfvs, int decim)
    {
        var ex = Assert.Throws<InstrumentFileException>(() => BrukerReader.GroupDelay(Acqus($"##$DIGMOD= 1\n##$DSPFVS= {dspfvs}\n##$DECIM= {decim}\n")));
        Assert.Equal(("UNKNOWN_GROUP_DELAY", "DECIM"), (ex.Code, ex.Field));
        Assert.Contains($"DSPFVS {dspfvs} with DECIM {decim}", ex.Message, StringComparison.Ordinal);
        Assert.Equal("a DECIM of the firmware's table", ex.Expected);
    }

    [Fact]
    public void A_grpdly_of_zero_is_not_a_delay_and_the_table_decides()
    {
        Assert.Equal(60.375, BrukerReader.GroupDelay(Acqus("##$GRPDLY= 0\n##$DIGMOD= 1\n##$DSPFVS= 10\n##$DECIM= 12\n")).Points);
        Assert.Throws<ArgumentNullException>(() => BrukerReader.GroupDelay(null!));
    }

    private static byte[] Int32s(bool bigEndian, params int[] values)
    {
        var bytes = new byte[4 * values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            if (bigEndian)
            {
                BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 * i), values[i]);
            }
            else
            {
                BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4 * i), values[i]);
            }
        }
        return bytes;
    }

    private static byte[] Float64s(bool bigEndian, params double[] values)
    {
        var bytes = new byte[8 * values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            if (bigEndian)
            {
                BinaryPrimitives.WriteDoubleBigEndian(bytes.AsSpan(8 * i), values[i]);
            }
            else
            {
                BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(8 * i), values[i]);
            }
        }
        return bytes;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Int32_fids_read_in_either_byte_order_scaled_by_two_to_the_nc_and_conjugated(bool bigEndian)
    {
        var acqus = Acqus(Basic + $"##$TD= 4\n##$BYTORDA= {(bigEndian ? 1 : 0)}\n##$NC= 2\n##$AQ_mod= 3\n");
        var fid = BrukerReader.ReadFid(acqus, Int32s(bigEndian, 1, 2, -3, 4), "fid");
        // (re, im) pairs × 2² with the imaginary sign flipped: (4, −8), (−12, −16).
        Assert.Equal([new(4, -8), new(-12, -16)], fid.Points);
        Assert.Equal(("7Li", 1000.0, 100.0), (fid.Nucleus, fid.SpectralWidthHz, fid.FrequencyMHz));
        Assert.Equal(1.0, fid.CarrierPpm, 1e-6); // (SFO1/BF1 − 1)·1e6 = (100.0001/100 − 1)·1e6
    }

    [Fact]
    public void Float64_fids_are_read_without_the_nc_scaling_and_a_procs_sf_is_the_reference()
    {
        var bytes = Float64s(false, 1.5, -2.25, 0.125, 8);
        var acqus = Acqus(Basic + "##$TD= 4\n##$DTYPA= 2\n##$NC= 3\n##$AQ_mod= 1\n");
        var procs = BrukerParameters.Parse("##$SF= 99.9999\n", "procs");
        var fid = BrukerReader.ReadFid(acqus, bytes, "fid", procs);
        Assert.Equal([new(1.5, 2.25), new(0.125, -8)], fid.Points);
        Assert.Equal(99.9999, fid.FrequencyMHz);
        Assert.Equal((100.0001 / 99.9999 - 1) * 1e6, fid.CarrierPpm, 1e-9);
    }

    [Theory]
    [InlineData("##$TD= 4\n##$AQ_mod= 0\n", "UNSUPPORTED", "AQ_mod", "AQ_mod = 0 (real or sequential acquisition) is not supported", "1 (qsim) or 3 (DQD): complex data")]
    [InlineData("##$TD= 4\n##$AQ_mod= 2\n", "UNSUPPORTED", "AQ_mod", "AQ_mod = 2 (real or sequential acquisition) is not supported", "1 (qsim) or 3 (DQD): complex data")]
    [InlineData("##$TD= 4\n##$DTYPA= 1\n", "UNSUPPORTED", "DTYPA", "DTYPA = 1 is not supported", "0 (int32) or 2 (float64)")]
    [InlineData("##$TD= 3\n", "BAD_PARAMETER", "TD", "TD = 3 is not a positive even count of values", "re and im values of complex points")]
    [InlineData("##$TD= 0\n", "BAD_PARAMETER", "TD", "TD = 0 is not a positive even count of values", "re and im values of complex points")]
    [InlineData("##$TD= 4.5\n", "BAD_PARAMETER", "TD", null, "an integer")]
    [InlineData("##$TD= many\n", "BAD_PARAMETER", "TD", null, "a number")]
    [InlineData("##$NS= 8\n", "MISSING_PARAMETER", "TD", null, null)]
    public void What_v1_cannot_read_is_an_error_naming_the_parameter(string records, string code, string field, string? message, string? expected)
    {
        var ex = Assert.Throws<InstrumentFileException>(() => BrukerReader.ReadFid(Acqus(Basic + records), Int32s(false, 1, 2, 3, 4), "fid"));
        Assert.Equal((code, field), (ex.Code, ex.Field));
        Assert.Contains("acqus", ex.Message, StringComparison.Ordinal);
        if (message is not null)
        {
            Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        }
        if (expected is not null)
        {
            Assert.Equal(expected, ex.Expected);
        }
    }

    [Theory]
    [InlineData(4, 4 + 252)] // padded to the 256-value block: accepted
    [InlineData(4, 3)] // short
    [InlineData(4, 4 + 256)] // more than one block of padding
    public void A_fid_may_carry_at_most_one_block_of_padding(int td, int stored)
    {
        var acqus = Acqus(Basic + $"##$TD= {td}\n");
        var bytes = Int32s(false, Enumerable.Range(1, stored).ToArray());
        if (stored >= td && stored - td < 256)
        {
            Assert.Equal(td / 2, BrukerReader.ReadFid(acqus, bytes, "fid").Count);
            return;
        }
        var ex = Assert.Throws<InstrumentFileException>(() => BrukerReader.ReadFid(acqus, bytes, "fid"));
        Assert.Equal(("SIZE_MISMATCH", "TD"), (ex.Code, ex.Field));
        Assert.Contains($"the file holds {4 * stored} bytes = {stored} values of 4 bytes, but acqus says TD = {td}", ex.Message, StringComparison.Ordinal);
        Assert.Equal($"{td} values ({4 * td} bytes), padded to at most the next multiple of 256 values", ex.Expected);
    }

    [Fact]
    public void A_processed_spectrum_reads_int32_or_float64_and_rejects_strips_and_sizes()
    {
        var procs = BrukerParameters.Parse("##$SI= 2\n##$NC_proc= -1\n##$BYTORDP= 1\n##$OFFSET= 10\n##$SW_p= 500\n##$SF= 100\n", "procs");
        var s = BrukerReader.ReadProcessed(procs, Int32s(true, 6, -8), "1r");
        Assert.Equal([3.0, -4.0], s.Real); // × 2⁻¹
        Assert.Null(s.Imaginary);
        var withImaginary = BrukerReader.ReadProcessed(procs, Int32s(true, 6, -8), "1r", Int32s(true, 2, 4), "1i");
        Assert.Equal([1.0, 2.0], withImaginary.Imaginary!);

        var strip = BrukerParameters.Parse("##$SI= 2\n##$STSI= 1\n##$STSR= 0\n", "procs");
        var stripped = Assert.Throws<InstrumentFileException>(() => BrukerReader.ReadProcessed(strip, Int32s(true, 6, -8), "1r"));
        Assert.Equal(("UNSUPPORTED", "STSI", "the full spectrum (STSI = SI, STSR = 0)"), (stripped.Code, stripped.Field, stripped.Expected));
        Assert.Contains("the spectrum is a stored strip (STSI ≠ SI or STSR ≠ 0)", stripped.Message, StringComparison.Ordinal);
        var offset = BrukerParameters.Parse("##$SI= 2\n##$STSI= 2\n##$STSR= 5\n", "procs");
        Assert.Equal("UNSUPPORTED", Assert.Throws<InstrumentFileException>(() => BrukerReader.ReadProcessed(offset, Int32s(true, 6, -8), "1r")).Code);
        var dtype = BrukerParameters.Parse("##$SI= 2\n##$DTYPP= 1\n", "procs");
        var bad = Assert.Throws<InstrumentFileException>(() => BrukerReader.ReadProcessed(dtype, Int32s(true, 6, -8), "1r"));
        Assert.Equal(("UNSUPPORTED", "DTYPP", "0 (int32) or 2 (float64)"), (bad.Code, bad.Field, bad.Expected));
        Assert.Contains("DTYPP = 1 is not supported", bad.Message, StringComparison.Ordinal);
        var size = Assert.Throws<InstrumentFileException>(() => BrukerReader.ReadProcessed(procs, Int32s(true, 6, -8, 1), "1r"));
        Assert.Equal(("SIZE_MISMATCH", "SI"), (size.Code, size.Field));
        Assert.Contains("12 bytes, but procs says SI = 2 values of 4 bytes", size.Message, StringComparison.Ordinal);
        Assert.Equal("8 bytes", size.Expected);
        // A 1i of the wrong size is named as given, or "1i" when no name is given.
        var named = Assert.Throws<InstrumentFileException>(() => BrukerReader.ReadProcessed(procs, Int32s(true, 6, -8), "1r", Int32s(true, 2), "exp/pdata/1/1i"));
        Assert.StartsWith("exp/pdata/1/1i", named.Message, StringComparison.Ordinal);
        var unnamed = Assert.Throws<InstrumentFileException>(() => BrukerReader.ReadProcessed(procs, Int32s(true, 6, -8), "1r", Int32s(true, 2)));
        Assert.Equal("1i", unnamed.FileName);
        Assert.Throws<ArgumentNullException>(() => BrukerReader.ReadProcessed(null!, Int32s(true, 6, -8), "1r"));
    }

    [Fact]
    public void A_big_endian_float64_fid_keeps_its_values_its_format_id_and_its_start_time()
    {
        var bytes = Float64s(true, 1.5, -2.25, 0.125, 8);
        // DATE is the start in Unix seconds: 1721903837 is 2024-07-25 10:37:17 UTC.
        var fid = BrukerReader.ReadFid(Acqus(Basic + "##$TD= 4\n##$DTYPA= 2\n##$BYTORDA= 1\n##$DATE= 1721903837\n"), bytes, "fid");
        Assert.Equal([new(1.5, 2.25), new(0.125, -8)], fid.Points);
        Assert.Equal("bruker-fid", fid.FormatId);
        Assert.Equal(new DateTimeOffset(2024, 7, 25, 10, 37, 17, TimeSpan.Zero), fid.AcquiredAt);
        // Without NUC1 the nucleus is empty; without DATE there is no start time.
        var bare = BrukerReader.ReadFid(Acqus(Basic.Replace("##$NUC1= <7Li>\n", "", StringComparison.Ordinal) + "##$TD= 4\n##$DTYPA= 2\n##$BYTORDA= 1\n"), bytes, "fid");
        Assert.Equal(("", null), (bare.Nucleus, bare.AcquiredAt));
        Assert.Throws<ArgumentNullException>(() => BrukerReader.ReadFid(null!, bytes, "fid"));
    }

    [Fact]
    public void Parameters_give_numbers_integers_and_text_and_name_the_line_of_a_bad_one()
    {
        var p = BrukerParameters.Parse("##TITLE= x\n##$NUC1= <1H>\n##$TD= 32768\n##$RG= 2.5\n##$PULPROG= zg30\n##$O1= abc\n", "acqus");
        Assert.Equal(("1H", "zg30"), (p.Text("NUC1"), p.Text("PULPROG")));
        Assert.Null(p.Text("NUC2"));
        Assert.Equal((true, false), (p.Has("TD"), p.Has("TITLE")));
        Assert.Equal(32768, p.Integer("TD"));
        Assert.Null(p.TryNumber("SW_h"));
        var notInteger = Assert.Throws<InstrumentFileException>(() => p.Integer("RG"));
        Assert.Equal(("BAD_PARAMETER", "RG", 4), (notInteger.Code, notInteger.Field, notInteger.Line));
        var notNumber = Assert.Throws<InstrumentFileException>(() => p.Number("O1"));
        Assert.Equal(("BAD_PARAMETER", "O1", 6), (notNumber.Code, notNumber.Field, notNumber.Line));
        Assert.Contains("'abc' is not a number", notNumber.Message, StringComparison.Ordinal);
        var missing = Assert.Throws<InstrumentFileException>(() => p.Number("SW_h"));
        Assert.Equal(("MISSING_PARAMETER", "SW_h"), (missing.Code, missing.Field));
        Assert.Equal("32768", p.All()["TD"]);
        Assert.Equal("NOT_BRUKER_PARAMETERS", Assert.Throws<InstrumentFileException>(() => BrukerParameters.Parse("##TITLE= only standard labels\n", "acqus")).Code);
    }

    [Fact]
    public void Parameter_errors_say_what_they_expected_and_integers_reach_int_max()
    {
        var p = BrukerParameters.Parse("##$RG= 2.5\n##$O1= abc\n##$BIG= 2147483647\n##$HUGE= 2147483648\n##$HALF= <7Li\n##$TAG= 1H>\n", "acqus");
        Assert.Equal(int.MaxValue, p.Integer("BIG"));
        var huge = Assert.Throws<InstrumentFileException>(() => p.Integer("HUGE"));
        Assert.Contains("2147483648 is not an integer", huge.Message, StringComparison.Ordinal);
        Assert.Equal("an integer", huge.Expected);
        Assert.Contains("2.5 is not an integer", Assert.Throws<InstrumentFileException>(() => p.Integer("RG")).Message, StringComparison.Ordinal);
        Assert.Equal("a number", Assert.Throws<InstrumentFileException>(() => p.Number("O1")).Expected);
        var missing = Assert.Throws<InstrumentFileException>(() => p.Number("SW_h"));
        Assert.Contains("the parameter SW_h is missing", missing.Message, StringComparison.Ordinal);
        Assert.Equal("a number", missing.Expected);
        // Only a value in both brackets loses them.
        Assert.Equal(("<7Li", "1H>"), (p.Text("HALF"), p.Text("TAG")));
        var none = Assert.Throws<InstrumentFileException>(() => BrukerParameters.Parse("##TITLE= x\n", "procs"));
        Assert.Contains("no ##$ parameters found", none.Message, StringComparison.Ordinal);
        Assert.Equal("a Bruker parameter file (##$KEY= value lines)", none.Expected);
    }
}
