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
    public const string Version = "1.0.0";

    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("BIO-LOGIC MODULAR FILE\u001a");

    private enum Kind
    {
        F4,
        F8,
        U2,
        U4,
    }

    // Column id -> (text-export name, binary type). Verified against the paired .mpt exports: every record size adds up.
    private static readonly Dictionary<int, (string Name, Kind Kind)> ColumnTypes = new()
    {
        [4] = ("time/s", Kind.F8), [5] = ("control/V/mA", Kind.F4), [6] = ("Ewe/V", Kind.F4), [7] = ("dq/mA.h", Kind.F8),
        [8] = ("I/mA", Kind.F4), [9] = ("Ece/V", Kind.F4), [11] = ("<I>/mA", Kind.F8), [13] = ("(Q-Qo)/mA.h", Kind.F8),
        [16] = ("Analog IN 1/V", Kind.F4), [17] = ("Analog IN 2/V", Kind.F4), [19] = ("control/V", Kind.F4), [20] = ("control/mA", Kind.F4),
        [24] = ("cycle number", Kind.F8), [32] = ("freq/Hz", Kind.F4), [33] = ("|Ewe|/V", Kind.F4), [34] = ("|I|/A", Kind.F4),
        [35] = ("Phase(Z)/deg", Kind.F4), [36] = ("|Z|/Ohm", Kind.F4), [37] = ("Re(Z)/Ohm", Kind.F4), [38] = ("-Im(Z)/Ohm", Kind.F4),
        [39] = ("I Range", Kind.U2), [70] = ("P/W", Kind.F4), [74] = ("|Energy|/W.h", Kind.F8), [76] = ("<I>/mA", Kind.F4),
        [77] = ("<Ewe>/V", Kind.F4), [96] = ("|Ece|/V", Kind.F4), [98] = ("Phase(Zce)/deg", Kind.F4), [99] = ("|Zce|/Ohm", Kind.F4),
        [100] = ("Re(Zce)/Ohm", Kind.F4), [101] = ("-Im(Zce)/Ohm", Kind.F4), [123] = ("Energy charge/W.h", Kind.F8),
        [124] = ("Energy discharge/W.h", Kind.F8), [125] = ("Capacitance charge/µF", Kind.F8), [126] = ("Capacitance discharge/µF", Kind.F8),
        [131] = ("Ns", Kind.U2), [169] = ("Cs/µF", Kind.F4), [172] = ("Cp/µF", Kind.F4), [174] = ("<Ewe>/V", Kind.F4),
        [211] = ("Q charge/discharge/mA.h", Kind.F8), [217] = ("THD Ewe/%", Kind.F4), [326] = ("P/W", Kind.F4),
        [430] = ("Phase(Zwe-ce)/deg", Kind.F4), [431] = ("|Zwe-ce|/Ohm", Kind.F4), [432] = ("Re(Zwe-ce)/Ohm", Kind.F4),
        [433] = ("-Im(Zwe-ce)/Ohm", Kind.F4), [434] = ("(Q-Qo)/C", Kind.F4), [435] = ("dQ/C", Kind.F4), [441] = ("<Ece>/V", Kind.F4),
        [467] = ("Q charge/discharge/mA.h", Kind.F8), [468] = ("half cycle", Kind.U4), [471] = ("<Ece>/V", Kind.F4),
        [473] = ("THD Ewe/%", Kind.F4), [474] = ("THD I/%", Kind.F4), [476] = ("NSD Ewe/%", Kind.F4), [477] = ("NSD I/%", Kind.F4),
        [479] = ("NSR Ewe/%", Kind.F4), [480] = ("NSR I/%", Kind.F4),
        [486] = ("|Ewe h2|/V", Kind.F4), [487] = ("|Ewe h3|/V", Kind.F4), [488] = ("|Ewe h4|/V", Kind.F4), [489] = ("|Ewe h5|/V", Kind.F4),
        [490] = ("|Ewe h6|/V", Kind.F4), [491] = ("|Ewe h7|/V", Kind.F4), [492] = ("|I h2|/A", Kind.F4), [493] = ("|I h3|/A", Kind.F4),
        [494] = ("|I h4|/A", Kind.F4), [495] = ("|I h5|/A", Kind.F4), [496] = ("|I h6|/A", Kind.F4), [497] = ("|I h7|/A", Kind.F4),
    };

    // Flag column id -> (name, bit mask) in the shared flags byte.
    private static readonly Dictionary<int, (string Name, byte Mask)> Flags = new()
    {
        [1] = ("mode", 0x03), [2] = ("ox/red", 0x04), [3] = ("error", 0x08), [21] = ("control changes", 0x10), [31] = ("Ns changes", 0x20), [65] = ("counter inc.", 0x80),
    };

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
            int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(header.Slice(extended ? 39 : 35, 4));
            int version = (int)BinaryPrimitives.ReadUInt32LittleEndian(header.Slice(extended ? 43 : 39, 4));
            int start = position + 6 + headerLength;
            if (start + length > content.Length)
            {
                throw new InstrumentFileException(fileName, $"module '{shortName}' claims {length} bytes but the file ends first", code: "MPR_TRUNCATED");
            }
            if (shortName == "VMP data")
            {
                return ReadData(fileName, content.AsSpan(start, length), version);
            }
            position = start + length;
        }
        throw new InstrumentFileException(fileName, "no 'VMP data' module", expected: "an .mpr file with data", code: "MPR_NO_DATA");
    }

    private static MprFile ReadData(string fileName, ReadOnlySpan<byte> data, int version)
    {
        int points = (int)BinaryPrimitives.ReadUInt32LittleEndian(data);
        int count = data[4];
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

        // A column id this reader does not know can still be read when it is the only one: the data module holds
        // exactly points × record size bytes after its header, so the unknown column's width is what is left per record
        // (2, 4 or 8 bytes: read as uint16, float32 or float64, named "column id N").
        var types = new Dictionary<int, (string Name, Kind Kind)>();
        var unknown = new List<int>();
        int knownSize = ids.Any(Flags.ContainsKey) ? 1 : 0;
        foreach (int id in ids.Where(id => !Flags.ContainsKey(id)))
        {
            if (ColumnTypes.TryGetValue(id, out var known))
            {
                types[id] = known;
                knownSize += Width(known.Kind);
            }
            else if (!unknown.Contains(id))
            {
                unknown.Add(id);
            }
        }
        if (unknown.Count > 0)
        {
            long spare = data.Length - recordsStart - (long)points * knownSize;
            Kind? inferred = unknown.Count == 1 && points > 0 && spare % points == 0 ? (spare / points) switch { 2 => Kind.U2, 4 => Kind.F4, 8 => Kind.F8, _ => null } : null;
            if (inferred is not { } kind)
            {
                throw new InstrumentFileException(fileName, $"column id{(unknown.Count > 1 ? "s" : "")} {string.Join(", ", unknown)} in module 'VMP data' (version {version}) "
                    + (unknown.Count > 1 ? "are not known to this reader, and more than one unknown column cannot be sized from the module's length" : "is not known to this reader and cannot be sized from the module's length"),
                    field: $"column id {unknown[0]}", expected: "a column id of the supported EC-Lab versions", code: "MPR_UNKNOWN_COLUMN");
            }
            types[unknown[0]] = ($"column id {unknown[0]}", kind);
        }

        var layout = new List<(int Offset, int Id)>();
        int recordSize = 0, flagsOffset = -1;
        foreach (int id in ids)
        {
            if (Flags.ContainsKey(id))
            {
                if (flagsOffset < 0)
                {
                    flagsOffset = recordSize++;
                }
                layout.Add((flagsOffset, id));
                continue;
            }
            layout.Add((recordSize, id));
            recordSize += Width(types[id].Kind);
        }
        if (recordsStart + (long)points * recordSize > data.Length)
        {
            throw new InstrumentFileException(fileName, $"{points} records of {recordSize} bytes do not fit in the data module ({data.Length} bytes)", code: "MPR_TRUNCATED");
        }

        var columns = new Dictionary<string, double[]>(StringComparer.Ordinal);
        foreach (var (offset, id) in layout)
        {
            bool isFlag = Flags.TryGetValue(id, out var flag);
            string name = isFlag ? flag.Name : types[id].Name;
            var values = new double[points];
            for (int p = 0; p < points; p++)
            {
                var record = data.Slice(recordsStart + p * recordSize + offset);
                values[p] = isFlag
                    ? (record[0] & flag.Mask) >> System.Numerics.BitOperations.TrailingZeroCount(flag.Mask)
                    : types[id].Kind switch
                    {
                        Kind.F8 => BinaryPrimitives.ReadDoubleLittleEndian(record),
                        Kind.F4 => BinaryPrimitives.ReadSingleLittleEndian(record),
                        Kind.U2 => BinaryPrimitives.ReadUInt16LittleEndian(record),
                        _ => BinaryPrimitives.ReadUInt32LittleEndian(record),
                    };
            }
            columns.TryAdd(name, values);
        }
        return new MprFile(Path.GetFileName(fileName), points, columns, version);
    }

    private static int Width(Kind kind) => kind switch { Kind.F8 => 8, Kind.U2 => 2, _ => 4 };
}
