using System.Buffers.Binary;
using System.Numerics;

namespace CloudPipeline.Core.Formats.Nmr;

/// <summary>
/// Reads Bruker TopSpin/XWIN-NMR data (spec §1.1–1.2): the raw FID (<c>fid</c> + <c>acqus</c>) and the processed
/// spectrum (<c>pdata/N/1r</c> [+ <c>1i</c>] + <c>procs</c>).
/// </summary>
public static class BrukerReader
{
    /// <summary>The reader's version, recorded in provenance.</summary>
    public const string Version = "1.0.0";

    /// <summary>Reads a raw FID. <paramref name="procs"/> (optional) supplies the referenced frequency SF.</summary>
    /// <exception cref="InstrumentFileException">A parameter is missing or unsupported, or the fid's length disagrees with TD.</exception>
    public static NmrFid ReadFid(BrukerParameters acqus, ReadOnlySpan<byte> fid, string fidName, BrukerParameters? procs = null)
    {
        ArgumentNullException.ThrowIfNull(acqus);
        int td = acqus.Integer("TD");
        int aqMode = acqus.TryNumber("AQ_mod") is { } aq ? (int)aq : 3;
        if (aqMode is not (1 or 3))
        {
            throw new InstrumentFileException(acqus.SourceName, $"AQ_mod = {aqMode} (real or sequential acquisition) is not supported", field: "AQ_mod", expected: "1 (qsim) or 3 (DQD): complex data", code: "UNSUPPORTED");
        }
        int dtype = acqus.TryNumber("DTYPA") is { } d ? (int)d : 0;
        int width = dtype switch
        {
            0 => 4,
            2 => 8,
            _ => throw new InstrumentFileException(acqus.SourceName, $"DTYPA = {dtype} is not supported", field: "DTYPA", expected: "0 (int32) or 2 (float64)", code: "UNSUPPORTED"),
        };
        bool bigEndian = acqus.TryNumber("BYTORDA") is 1;
        if (td <= 0 || td % 2 != 0)
        {
            throw new InstrumentFileException(acqus.SourceName, $"TD = {td} is not a positive even count of values", field: "TD", expected: "re and im values of complex points", code: "BAD_PARAMETER");
        }
        int stored = fid.Length / width;
        // Old and integer data pad each FID to a multiple of 256 values (1 KiB); more than one block's padding is another shape.
        if (fid.Length % width != 0 || stored < td || stored - td >= 256)
        {
            throw new InstrumentFileException(fidName, $"the file holds {fid.Length} bytes = {fid.Length / (double)width:0.##} values of {width} bytes, but acqus says TD = {td}",
                field: "TD", expected: $"{td} values ({td * width} bytes), padded to at most the next multiple of 256 values", code: "SIZE_MISMATCH");
        }
        double scale = acqus.TryNumber("NC") is { } nc && dtype == 0 ? Math.Pow(2, nc) : 1;
        var points = new Complex[td / 2];
        for (int i = 0; i < points.Length; i++)
        {
            double re = Value(fid, 2 * i, width, bigEndian) * scale;
            double im = Value(fid, 2 * i + 1, width, bigEndian) * scale;
            points[i] = new Complex(re, -im); // conjugate: Bruker stores the other sense of rotation (spec §0)
        }

        double sw = acqus.Number("SW_h");
        double sfo1 = acqus.Number("SFO1");
        double sf = procs?.TryNumber("SF") ?? acqus.Number("BF1");
        var (g, flags) = GroupDelay(acqus);
        string nucleus = acqus.Text("NUC1") ?? "";
        return new NmrFid(fidName, "bruker-fid", points, sw, sf, (sfo1 / sf - 1) * 1e6, g, nucleus, acqus.All(), flags)
        {
            AcquiredAt = acqus.TryNumber("DATE") is { } date and > 0 ? DateTimeOffset.FromUnixTimeSeconds((long)date) : null,
        };
    }

    /// <summary>Reads a processed spectrum: <c>1r</c>, optionally <c>1i</c>, described by <c>procs</c>.</summary>
    /// <exception cref="InstrumentFileException">A parameter is missing or unsupported, or a file's length disagrees with SI.</exception>
    public static NmrSpectrum ReadProcessed(BrukerParameters procs, ReadOnlySpan<byte> real, string realName, ReadOnlySpan<byte> imaginary = default, string? imaginaryName = null)
    {
        ArgumentNullException.ThrowIfNull(procs);
        int si = procs.Integer("SI");
        if (procs.TryNumber("STSI") is { } stsi && (int)stsi != si || procs.TryNumber("STSR") is { } stsr && stsr != 0)
        {
            throw new InstrumentFileException(procs.SourceName, "the spectrum is a stored strip (STSI ≠ SI or STSR ≠ 0)", field: "STSI", expected: "the full spectrum (STSI = SI, STSR = 0)", code: "UNSUPPORTED");
        }
        int dtype = procs.TryNumber("DTYPP") is { } d ? (int)d : 0;
        int width = dtype switch
        {
            0 => 4,
            2 => 8,
            _ => throw new InstrumentFileException(procs.SourceName, $"DTYPP = {dtype} is not supported", field: "DTYPP", expected: "0 (int32) or 2 (float64)", code: "UNSUPPORTED"),
        };
        bool bigEndian = procs.TryNumber("BYTORDP") is 1;
        double scale = procs.TryNumber("NC_proc") is { } nc ? Math.Pow(2, nc) : 1;
        double[] Read(ReadOnlySpan<byte> bytes, string name)
        {
            if (bytes.Length != si * width)
            {
                throw new InstrumentFileException(name, $"the file holds {bytes.Length} bytes, but procs says SI = {si} values of {width} bytes",
                    field: "SI", expected: $"{si * width} bytes", code: "SIZE_MISMATCH");
            }
            var values = new double[si];
            for (int i = 0; i < si; i++)
            {
                values[i] = Value(bytes, i, width, bigEndian) * scale;
            }
            return values;
        }
        var re = Read(real, realName);
        var im = imaginary.IsEmpty ? null : Read(imaginary, imaginaryName ?? "1i");
        return new NmrSpectrum(realName, re, im, procs.Number("OFFSET"), procs.Number("SW_p"), procs.Number("SF"));
    }

    /// <summary>The digital-filter group delay in complex points and the flags of spec §1.1's rules.</summary>
    /// <exception cref="InstrumentFileException">DSPFVS 10–13 with a DECIM the table has no entry for.</exception>
    public static (double Points, IReadOnlyList<string> Flags) GroupDelay(BrukerParameters acqus)
    {
        ArgumentNullException.ThrowIfNull(acqus);
        if (acqus.TryNumber("GRPDLY") is { } grpdly && grpdly > 0)
        {
            return (grpdly, []);
        }
        if (acqus.TryNumber("DIGMOD") is 0 or null)
        {
            return (0, []);
        }
        int dspfvs = acqus.TryNumber("DSPFVS") is { } v ? (int)v : 0;
        int decim = acqus.TryNumber("DECIM") is { } de ? (int)de : 0;
        if (dspfvs is >= 10 and <= 13)
        {
            return (TableDelay(dspfvs, decim) ?? throw new InstrumentFileException(acqus.SourceName,
                $"no group delay is known for DSPFVS {dspfvs} with DECIM {decim}", field: "DECIM", expected: "a DECIM of the firmware's table", code: "UNKNOWN_GROUP_DELAY"), []);
        }
        return (0, ["grpdly_unknown"]);
    }

    private static readonly int[] Decims = [2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024, 1536, 2048];

    // Rows of spec §1.1 (firmware DSPFVS 10 and 12); four-decimal entries are the exact fractions.
    private static readonly double[] Row10 =
    [
        44.75, 33.5, 66.625, 59 + 1.0 / 12, 68.5625, 60.375, 69.53125, 61 + 1.0 / 48, 70.015625, 61.34375, 70.2578125, 61.5052083333333, 70.37890625,
        61.5859375, 70.439453125, 61.6263020833333, 70.4697265625, 61.6464843750000, 70.48486328125, 61.6565755208333, 70.492431640625,
    ];

    private static readonly double[] Row12 =
    [
        46, 36.5, 48, 50 + 1.0 / 6, 53.25, 69.5, 71.625, 70 + 1.0 / 6, 72.125, 70.5, 72.375, 70 + 2.0 / 3, 72.5, 71 + 1.0 / 3, 72.25, 71 + 2.0 / 3,
        72.125, 71 + 5.0 / 6, 72.0625, 71 + 11.0 / 12, 72.03125,
    ];

    private static double? TableDelay(int dspfvs, int decim)
    {
        int column = Array.IndexOf(Decims, decim);
        if (column < 0)
        {
            return null;
        }
        return dspfvs switch
        {
            10 => Row10[column],
            12 => Row12[column],
            11 => decim switch { 16 => 72.25, 32 => 72.75, 64 => 73, _ => Row12[column] },
            13 => decim <= 96 ? 3 - 1.0 / (2 * decim) : null,
            _ => null,
        };
    }

    private static double Value(ReadOnlySpan<byte> data, int index, int width, bool bigEndian)
    {
        var slice = data.Slice(index * width, width);
        return width == 4
            ? bigEndian ? BinaryPrimitives.ReadInt32BigEndian(slice) : BinaryPrimitives.ReadInt32LittleEndian(slice)
            : bigEndian ? BinaryPrimitives.ReadDoubleBigEndian(slice) : BinaryPrimitives.ReadDoubleLittleEndian(slice);
    }

}
