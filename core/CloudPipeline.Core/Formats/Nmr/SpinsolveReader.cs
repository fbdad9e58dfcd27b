using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;

namespace CloudPipeline.Core.Formats.Nmr;

/// <summary>A Magritek <c>.1d</c> file: its axis (time in s, or ppm ascending) and complex values.</summary>
/// <param name="Axis">The x-axis values.</param>
/// <param name="Values">The complex values.</param>
public sealed record SpinsolveData(float[] Axis, Complex[] Values);

/// <summary>Reads Magritek Spinsolve data (spec §1.6): <c>acqu.par</c> and the <c>.1d</c> binaries.</summary>
public static class SpinsolveReader
{
    /// <summary>The reader's version, recorded in provenance.</summary>
    public const string Version = "1.0.0";

    /// <summary>True if the bytes start with the byte-reversed <c>PROS</c> tag of a <c>.1d</c> file.</summary>
    public static bool Sniff(ReadOnlySpan<byte> head) => head.Length >= 12 && head[..4].SequenceEqual("SORP"u8) && head[4..8].SequenceEqual("ATAD"u8);

    /// <summary>Parses <c>acqu.par</c> (<c>key = value</c> lines, strings quoted).</summary>
    public static IReadOnlyDictionary<string, string> ReadParameters(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            int eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                result[line[..eq].Trim()] = line[(eq + 1)..].Trim().Trim('"');
            }
        }
        return result;
    }

    /// <summary>Reads a <c>.1d</c> file.</summary>
    /// <exception cref="InstrumentFileException">Not a <c>.1d</c> file, or shorter than its header says.</exception>
    public static SpinsolveData Read1D(ReadOnlySpan<byte> data, string sourceName)
    {
        if (!Sniff(data) || data.Length < 32)
        {
            throw new InstrumentFileException(sourceName, "the file does not start with the Spinsolve tags PROS DATA (stored as SORP ATAD)", field: "header", expected: "a Magritek .1d file", code: "NOT_SPINSOLVE");
        }
        int n = BinaryPrimitives.ReadInt32LittleEndian(data[16..]);
        long needed = 32 + 12L * n;
        if (n <= 0 || data.Length < needed)
        {
            throw new InstrumentFileException(sourceName, $"the header says {n} points ({needed} bytes) but the file has {data.Length} bytes", field: "dims", expected: "a float32 axis and complex64 values per point", code: "SIZE_MISMATCH");
        }
        var axis = new float[n];
        var values = new Complex[n];
        for (int i = 0; i < n; i++)
        {
            axis[i] = BinaryPrimitives.ReadSingleLittleEndian(data[(32 + 4 * i)..]);
            int o = 32 + 4 * n + 8 * i;
            values[i] = new Complex(BinaryPrimitives.ReadSingleLittleEndian(data[o..]), BinaryPrimitives.ReadSingleLittleEndian(data[(o + 4)..]));
        }
        return new SpinsolveData(axis, values);
    }

    /// <summary>The FID of <c>data.1d</c> with the axis of <c>acqu.par</c> (stored sense, spec §0).</summary>
    /// <exception cref="InstrumentFileException">A parameter is missing.</exception>
    public static NmrFid ReadFid(ReadOnlySpan<byte> data, string dataName, IReadOnlyDictionary<string, string> acqu, string acquName)
    {
        ArgumentNullException.ThrowIfNull(acqu);
        var d = Read1D(data, dataName);
        double Number(string key) => acqu.TryGetValue(key, out var v) && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double x)
            ? x : throw new InstrumentFileException(acquName, $"the parameter {key} is missing", field: key, expected: "a number", code: "MISSING_PARAMETER");
        double sf = Number("b1Freq");
        double sw = 1000 * Number("bandwidth");
        double offset = (Number("lowestFrequency") + sw) / sf;
        return new NmrFid(dataName, "spinsolve-fid", d.Values, sw, sf, offset - sw / (2 * sf), 0, acqu.GetValueOrDefault("rxChannel", ""), acqu, [])
        {
            // The instrument writes local time without a zone; it is kept as written (offset 0).
            AcquiredAt = acqu.TryGetValue("startTime", out var start) && DateTime.TryParse(start, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
                ? new DateTimeOffset(t, TimeSpan.Zero) : null,
        };
    }
}
