using System.Buffers.Binary;
using System.Text;

namespace CloudPipeline.Core.Formats.BioLogic;

/// <summary>The data of a BioLogic EC-Lab binary <c>.mpr</c> file: its columns by the names the text export uses.</summary>
/// <param name="SourceName">The file it came from.</param>
/// <param name="Points">Data points.</param>
/// <param name="Columns">Numeric columns (flags unpacked to mode, ox/red, error, …).</param>
/// <param name="DataModuleVersion">The data module's version (0 for EC-Lab ≥ 11.50 files, 2 or 3 before).</param>
public sealed record MprFile(string SourceName, int Points, IReadOnlyDictionary<string, double[]> Columns, int DataModuleVersion);

/// <summary>
/// Reads EC-Lab <c>.mpr</c> files: a 52-byte magic, then modules (<c>MODULE</c>, short and long name, a 51-byte
/// header before EC-Lab 11.50 or a 59-byte one after, marked by FF FF FF FF after the long name). The
/// <c>VMP data</c> module holds the point count, the column ids and fixed-size records; flag columns share one byte.
/// </summary>
public static class MprReader
{
    /// <summary>The reader version, recorded in provenance.</summary>
    public const string Version = "1.1.1";

    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("BIO-LOGIC MODULAR FILE\u001a");

    /// <summary>True if the content starts with the .mpr magic.</summary>
    public static bool Sniff(ReadOnlySpan<byte> head) => head.StartsWith(Magic);

    /// <summary>Reads a file.</summary>
    /// <exception cref="InstrumentFileException">Not an .mpr, a truncated module, no data module, an unknown data module version or column id, or records that do not add up.</exception>
    public static MprFile Read(string fileName, byte[] content)
    {
        if (!Sniff(content))
        {
            throw new InstrumentFileException(fileName, "the file does not start with 'BIO-LOGIC MODULAR FILE'", expected: "an EC-Lab .mpr file", code: "NOT_MPR");
        }
        int position = 0x34;
        while (position < content.Length)
        {
            if (!content.AsSpan(position).StartsWith("MODULE"u8))
            {
                throw new InstrumentFileException(fileName, $"no MODULE header at byte {position}", expected: "a sequence of modules", code: "MPR_CORRUPT");
            }
            var header = content.AsSpan(position + 6);
            if (header.Length < 51)
            {
                throw new InstrumentFileException(fileName, $"the module at byte {position} is truncated", code: "MPR_TRUNCATED");
            }
            string shortName = Encoding.Latin1.GetString(header[..10]).Trim();
            bool extended = header.Slice(35, 4).SequenceEqual(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF });
            int headerLength = extended ? 59 : 51;
            long length = BinaryPrimitives.ReadUInt32LittleEndian(header.Slice(extended ? 39 : 35, 4));
            int version = (int)BinaryPrimitives.ReadUInt32LittleEndian(header.Slice(extended ? 43 : 39, 4));
            int start = position + 6 + headerLength;
            if (start + length > content.Length)
            {
                throw new InstrumentFileException(fileName, $"module '{shortName}' claims {length} bytes but the file ends first", code: "MPR_TRUNCATED");
            }
            if (shortName == "VMP data")
            {
                return ReadData(fileName, content.AsSpan(start, (int)length), version);
            }
            position = start + (int)length;
        }
        throw new InstrumentFileException(fileName, "no 'VMP data' module", expected: "an .mpr file with data", code: "MPR_NO_DATA");
    }

    private static MprFile ReadData(string fileName, ReadOnlySpan<byte> data, int version)
    {
        if (data.Length < 6)
        {
            throw new InstrumentFileException(fileName, $"the 'VMP data' module has {data.Length} bytes", expected: "a point count and the column ids", code: "MPR_TRUNCATED");
        }
        uint rawPoints = BinaryPrimitives.ReadUInt32LittleEndian(data);
        if (rawPoints > int.MaxValue)
        {
            throw new InstrumentFileException(fileName, $"the 'VMP data' module claims {rawPoints} points", field: "points", expected: "a point count the module's length can hold", code: "MPR_CORRUPT");
        }
        int points = (int)rawPoints;
        int count = data[4];
        int headerEnd = version switch { 0 when data[5] != 0 => 100, 0 => 1007, 2 => 405, 3 => 406, _ => 6 };
        int headerLength = Math.Max(headerEnd, 5 + 2 * count);
        if (data.Length < headerLength)
        {
            throw new InstrumentFileException(fileName, $"the 'VMP data' module has {data.Length} bytes, less than its header of {headerLength} bytes", code: "MPR_TRUNCATED");
        }
        var ids = new int[count];
        int recordsStart;
        switch (version)
        {
            case 0 when data[5] != 0:
                for (int i = 0; i < count; i++)
                {
                    ids[i] = data[5 + i];
                }
                recordsStart = 100;
                break;
            case 0:
                // EC-Lab 11.50 and later: two bytes per id, high byte first.
                for (int i = 0; i < count; i++)
                {
                    ids[i] = BinaryPrimitives.ReadUInt16BigEndian(data.Slice(5 + 2 * i, 2));
                }
                recordsStart = 1007;
                break;
            case 2 or 3:
                for (int i = 0; i < count; i++)
                {
                    ids[i] = BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(5 + 2 * i, 2));
                }
                recordsStart = version == 3 ? 406 : 405;
                break;
            default:
                throw new InstrumentFileException(fileName, $"data module version {version} is not supported", expected: "version 0, 2 or 3", code: "MPR_VERSION");
        }

        // Each value column's name and storage from the id table. An id the table lacks, or one known only from EC-Lab's
        // automation list (whose storage type in a file is a guess), is sized from the module length when it is the only
        // such column: the data module holds exactly points × record size bytes after its header.
        var types = new Dictionary<int, (string Name, MprKind Kind)>();
        var unknown = new List<int>();
        var guessed = new List<int>();
        int recordSize = ids.Any(MprColumns.Flags.ContainsKey) ? 1 : 0;
        foreach (int id in ids.Where(id => !MprColumns.Flags.ContainsKey(id)).Distinct())
        {
            if (MprColumns.Values.TryGetValue(id, out var known))
            {
                types[id] = (known.Name, known.Kind);
                recordSize += MprColumns.Width(known.Kind) * ids.Count(i => i == id);
                if (known.Source == MprSource.AutomationList)
                {
                    guessed.Add(id);
                }
            }
            else
            {
                unknown.Add(id);
            }
        }
        long spare = data.Length - recordsStart - (long)points * recordSize;
        if (unknown.Count > 0 || (guessed.Count == 1 && spare != 0))
        {
            int id = unknown.Count > 0 ? unknown[0] : guessed[0];
            long width = unknown.Count > 0 ? 0 : MprColumns.Width(types[id].Kind);
            MprKind? inferred = unknown.Count <= 1 && ids.Count(i => i == id) == 1 && points > 0 && spare % points == 0 ? (width + spare / points) switch
            {
                1 => MprKind.U1, 2 => MprKind.U2, 4 => MprKind.F4, 8 => MprKind.F8, _ => null,
            } : null;
            if (inferred is not { } kind)
            {
                string what = unknown.Count > 1 ? $"column ids {string.Join(", ", unknown)} in module 'VMP data' (version {version}) are not known to this reader, and more than one unknown column cannot be sized from the module's length"
                    : unknown.Count == 1 ? $"column id {id} in module 'VMP data' (version {version}) is not known to this reader and cannot be sized from the module's length"
                    : $"column id {id} ('{types[id].Name}') in module 'VMP data' (version {version}) is known only from EC-Lab's automation list, and no storage width makes the records add up to the module's length";
                throw new InstrumentFileException(fileName, what, field: $"column id {id}", expected: "a column id of the supported EC-Lab versions", code: "MPR_UNKNOWN_COLUMN");
            }
            recordSize += MprColumns.Width(kind) - (int)width;
            types[id] = (unknown.Count > 0 ? $"column id {id}" : types[id].Name, kind);
        }

        var layout = new List<(int Offset, int Id)>();
        int position = 0, flagsOffset = -1;
        foreach (int id in ids)
        {
            if (MprColumns.Flags.ContainsKey(id))
            {
                if (flagsOffset < 0)
                {
                    flagsOffset = position++;
                }
                layout.Add((flagsOffset, id));
                continue;
            }
            layout.Add((position, id));
            position += MprColumns.Width(types[id].Kind);
        }
        if (recordsStart + (long)points * recordSize > data.Length)
        {
            throw new InstrumentFileException(fileName, $"{points} records of {recordSize} bytes do not fit in the data module ({data.Length} bytes)", code: "MPR_TRUNCATED");
        }

        var columns = new Dictionary<string, double[]>(StringComparer.Ordinal);
        foreach (var (offset, id) in layout)
        {
            bool isFlag = MprColumns.Flags.TryGetValue(id, out var flag);
            string name = isFlag ? flag.Name : types[id].Name;
            var values = new double[points];
            for (int p = 0; p < points; p++)
            {
                var record = data.Slice(recordsStart + p * recordSize + offset);
                values[p] = isFlag
                    ? FlagValue(record[0], flag.Mask)
                    : types[id].Kind switch
                    {
                        MprKind.F8 => BinaryPrimitives.ReadDoubleLittleEndian(record),
                        MprKind.F4 => BinaryPrimitives.ReadSingleLittleEndian(record),
                        MprKind.U1 => record[0],
                        MprKind.U2 => BinaryPrimitives.ReadUInt16LittleEndian(record),
                        _ => BinaryPrimitives.ReadUInt32LittleEndian(record),
                    };
            }
            columns.TryAdd(name, values);
        }
        return new MprFile(Path.GetFileName(fileName), points, columns, version);
    }

    /// <summary>The bits of <paramref name="mask"/> in <paramref name="flags"/>, shifted down to start at bit 0.</summary>
    private static int FlagValue(byte flags, byte mask)
    {
        int masked = flags & mask;
        // Stryker disable once Bitwise : a masked byte is never negative, so >> and >>> shift it alike.
        return masked >> System.Numerics.BitOperations.TrailingZeroCount(mask);
    }
}
