using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;

namespace CloudPipeline.Core.Formats.Nmr;

/// <summary>The 32-byte file header of a Varian/Agilent <c>fid</c> (big-endian).</summary>
/// <param name="Blocks">nblocks.</param>
/// <param name="Traces">ntraces per block.</param>
/// <param name="Np">Values (re + im) per trace.</param>
/// <param name="ElementBytes">ebytes.</param>
/// <param name="TraceBytes">tbytes.</param>
/// <param name="BlockBytes">bbytes.</param>
/// <param name="Status">Status bits (0x8 float32, 0x4 int32, else int16).</param>
/// <param name="BlockHeaders">nbheaders per block (28 bytes each).</param>
public sealed record VarianFileHeader(int Blocks, int Traces, int Np, int ElementBytes, int TraceBytes, int BlockBytes, int Status, int BlockHeaders);

/// <summary>Reads Varian/Agilent VnmrJ data (spec §1.5): <c>fid</c> (big-endian blocks) and <c>procpar</c>.</summary>
public static class VarianReader
{
    /// <summary>The reader's version, recorded in provenance.</summary>
    public const string Version = "1.0.0";

    /// <summary>Parses <c>procpar</c>: name → values (strings unquoted).</summary>
    /// <exception cref="InstrumentFileException">A parameter's value line is missing or malformed.</exception>
    public static IReadOnlyDictionary<string, string[]> ReadProcpar(string text, string sourceName)
    {
        var result = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var lines = text.Replace("\r", "", StringComparison.Ordinal).Split('\n');
        int i = 0;
        while (i < lines.Length)
        {
            var header = lines[i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (header.Length < 3 || !int.TryParse(header[2], CultureInfo.InvariantCulture, out int basicType))
            {
                i++;
                continue;
            }
            string name = header[0];
            int valueLine = i + 1;
            if (valueLine >= lines.Length)
            {
                throw new InstrumentFileException(sourceName, $"the parameter {name} has no value line", valueLine + 1, name, "a count and values", "BAD_PROCPAR");
            }
            var first = lines[valueLine].TrimStart();
            int space = first.IndexOf(' ', StringComparison.Ordinal);
            if (!int.TryParse(space < 0 ? first : first[..space], NumberStyles.None, CultureInfo.InvariantCulture, out int count))
            {
                throw new InstrumentFileException(sourceName, $"the value line of {name} does not start with a count", valueLine + 1, name, "a count and values", "BAD_PROCPAR");
            }
            string[] values;
            int next;
            if (basicType == 2)
            {
                // Strings: the first on the count line, each further one on its own line.
                if (valueLine + count > lines.Length)
                {
                    throw new InstrumentFileException(sourceName, $"the string parameter {name} has {count} values but the file ends after {lines.Length - valueLine} of them", lines.Length, name,
                        $"{count} value lines", "BAD_PROCPAR");
                }
                values = new string[count];
                for (int k = 0; k < count; k++)
                {
                    string s = k == 0 ? first[(space + 1)..] : lines[valueLine + k];
                    values[k] = s.Trim().Trim('"');
                }
                next = valueLine + Math.Max(count, 1);
            }
            else
            {
                values = first.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToArray();
                next = valueLine + 1;
            }
            result[name] = values;
            // The enumeration line: a count followed by that many values.
            i = next + 1;
        }
        if (result.Count == 0)
        {
            throw new InstrumentFileException(sourceName, "no parameters found", expected: "a VnmrJ procpar file", code: "BAD_PROCPAR");
        }
        return result;
    }

    /// <summary>Reads the file header of a <c>fid</c>.</summary>
    /// <exception cref="InstrumentFileException">The file is shorter than its header says.</exception>
    public static VarianFileHeader ReadHeader(ReadOnlySpan<byte> fid, string fidName)
    {
        if (fid.Length < 32)
        {
            throw new InstrumentFileException(fidName, $"the file has {fid.Length} bytes, less than its 32-byte header", field: "header", expected: "a VnmrJ fid", code: "TRUNCATED");
        }
        return new VarianFileHeader(BinaryPrimitives.ReadInt32BigEndian(fid), BinaryPrimitives.ReadInt32BigEndian(fid[4..]), BinaryPrimitives.ReadInt32BigEndian(fid[8..]),
            BinaryPrimitives.ReadInt32BigEndian(fid[12..]), BinaryPrimitives.ReadInt32BigEndian(fid[16..]), BinaryPrimitives.ReadInt32BigEndian(fid[20..]),
            BinaryPrimitives.ReadInt16BigEndian(fid[26..]), BinaryPrimitives.ReadInt32BigEndian(fid[28..]));
    }

    /// <summary>Reads the first trace of the first block as a canonical FID (stored sense, spec §0).</summary>
    /// <exception cref="InstrumentFileException">The header and the file size disagree, or a procpar parameter is missing.</exception>
    public static NmrFid ReadFid(ReadOnlySpan<byte> fid, string fidName, IReadOnlyDictionary<string, string[]> procpar, string procparName)
    {
        ArgumentNullException.ThrowIfNull(procpar);
        var h = ReadHeader(fid, fidName);
        int ebytes = (h.Status & 0x8) != 0 ? 4 : (h.Status & 0x4) != 0 ? 4 : 2;
        if (h.ElementBytes != ebytes || h.Np <= 0 || h.Np % 2 != 0 || h.Blocks < 1 || h.Traces < 1)
        {
            throw new InstrumentFileException(fidName, $"the header is inconsistent (np {h.Np}, ebytes {h.ElementBytes}, status 0x{h.Status:x})", field: "header", expected: "an even np and ebytes matching the status bits", code: "BAD_HEADER");
        }
        long needed = 32 + (long)h.Blocks * (h.BlockHeaders * 28 + (long)h.Traces * h.Np * ebytes);
        if (fid.Length < needed)
        {
            throw new InstrumentFileException(fidName, $"the file has {fid.Length} bytes but its header describes {needed}", field: "np",
                expected: $"{h.Blocks} block(s) of {h.Traces} trace(s) × {h.Np} values", code: "SIZE_MISMATCH");
        }
        int start = 32 + h.BlockHeaders * 28;
        var points = new Complex[h.Np / 2];
        for (int i = 0; i < points.Length; i++)
        {
            points[i] = new Complex(Value(fid, start, 2 * i, h.Status), Value(fid, start, 2 * i + 1, h.Status));
        }
        double Number(string key) => procpar.TryGetValue(key, out var v) && v.Length > 0 && double.TryParse(v[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double d)
            ? d : throw new InstrumentFileException(procparName, $"the parameter {key} is missing", field: key, expected: "a number", code: "MISSING_PARAMETER");
        double sw = Number("sw");
        double reffrq = procpar.ContainsKey("reffrq") ? Number("reffrq") : Number("sfrq");
        double rfl = procpar.ContainsKey("rfl") ? Number("rfl") : sw / 2;
        double rfp = procpar.ContainsKey("rfp") ? Number("rfp") : 0;
        double offset = (sw - rfl + rfp) / reffrq;
        string nucleus = procpar.TryGetValue("tn", out var tn) && tn.Length > 0 ? tn[0] : "";
        var flags = h.Blocks * h.Traces > 1 ? new[] { "multiple_fids_first_used" } : [];
        return new NmrFid(fidName, "varian-fid", points, sw, reffrq, offset - sw / (2 * reffrq), 0, nucleus,
            procpar.ToDictionary(kv => kv.Key, kv => string.Join(' ', kv.Value)), flags);
    }

    private static double Value(ReadOnlySpan<byte> fid, int start, int index, int status) =>
        (status & 0x8) != 0 ? BinaryPrimitives.ReadSingleBigEndian(fid[(start + 4 * index)..])
        : (status & 0x4) != 0 ? BinaryPrimitives.ReadInt32BigEndian(fid[(start + 4 * index)..])
        : BinaryPrimitives.ReadInt16BigEndian(fid[(start + 2 * index)..]);
}
