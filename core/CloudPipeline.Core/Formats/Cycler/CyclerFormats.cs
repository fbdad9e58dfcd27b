using System.Globalization;
using System.Text;

namespace CloudPipeline.Core.Formats.Cycler;

/// <summary>
/// Battery cycler and potentiostat DC text exports (electrochemistry spec §1): Neware BTS CSV (flat and
/// hierarchical), Arbin CSV (as exported from its database), Maccor text (two export styles), Novonix HPC CSV, PEC CSV
/// and EC-Lab text exports of DC techniques. One reader, one <see cref="CyclerLayout"/> per vendor export; rows are parsed one at a time as they are read (memory bounded by one row), with units converted
/// to SI and the current signed charge-positive.
/// </summary>
public static partial class CyclerFormats
{
    /// <summary>Reader version, for provenance.</summary>
    public const string Version = "1.2.0";

    private const int DetectLines = 80;

    private static readonly IReadOnlyList<CyclerLayout> Layouts =
    [
        new()
        {
            Id = "neware-csv",
            FindColumnLine = lines => lines.Count > 0 && lines[0].StartsWith("DataPoint,Cycle Index,Step Index,Step Type,", StringComparison.Ordinal) ? 0 : -1,
            EndsWithLineBreak = false,
            Time = "Cumulative Time", TimeText = TimeText.HoursMinutesSeconds,
            Voltage = "Voltage(V)", Current = "Current(A)",
            Cycle = "Cycle Index", Step = "Step Index", StepType = "Step Type", TemperaturePrefix = "T1(",
            ChargeAh = "Chg. Cap.(Ah)", DischargeAh = "DChg. Cap.(Ah)", ChargeWh = "Chg. Energy(Wh)", DischargeWh = "DChg. Energy(Wh)",
            LocalDateTime = "Date", LocalDateTimeFormats = ["yyyy-MM-dd HH:mm:ss"],
        },
        new()
        {
            Id = "neware-csv-hierarchical",
            FindColumnLine = lines => lines.Count > 2 && lines[0].StartsWith("Cycle Index,Chg. Cap.(Ah),", StringComparison.Ordinal)
                && lines[1].StartsWith(",Step Index,", StringComparison.Ordinal) && lines[2].StartsWith(",,DataPoint,", StringComparison.Ordinal) ? 2 : -1,
            Hierarchical = true,
            Time = "Total Time", TimeText = TimeText.HoursMinutesSeconds, Voltage = "Voltage(V)", Current = "Current(A)", TemperaturePrefix = "T1(",
            StepCapacityAh = "Capacity(Ah)", StepEnergyWh = "Energy(Wh)",
            LocalDateTime = "Date", LocalDateTimeFormats = ["yyyy-MM-dd HH:mm:ss"],
        },
        new()
        {
            Id = "arbin-csv",
            FindColumnLine = lines => lines.Count > 0 && lines[0].StartsWith("Data_Point,Test_Time,DateTime,", StringComparison.Ordinal) ? 0 : -1,
            Time = "Test_Time", Voltage = "Voltage", Current = "Current",
            Cycle = "Cycle_Index", Step = "Step_Index", TemperaturePrefix = "Temperature",
            ChargeAh = "Charge_Capacity", DischargeAh = "Discharge_Capacity", ChargeWh = "Charge_Energy", DischargeWh = "Discharge_Energy",
            UnixTime = "DateTime", Resistance = "Internal_Resistance",
        },
        new()
        {
            Id = "maccor-text",
            FindColumnLine = lines => lines.Count > 1 && lines[0].Contains("Today's Date", StringComparison.Ordinal) && lines[1].StartsWith("Rec#\tCyc#\tStep\t", StringComparison.Ordinal) ? 1 : -1,
            Delimiter = '\t',
            Time = "Test (Sec)", Voltage = "Volts", Current = "Amps",
            Cycle = "Cyc#", Step = "Step", StepType = "State", State = "State",
            StepCapacityAh = "Amp-hr", StepEnergyWh = "Watt-hr", Resistance = "DCIR/Ohms",
            LocalDateTime = "DPt Time", LocalDateTimeFormats = ["M/d/yyyy h:mm:ss tt", "M/d/yyyy H:mm:ss"],
            Metadata = lines => MaccorMetadata(lines[0]),
        },
        new()
        {
            // The export with key<TAB>value header lines (Name, Channel, Tester, Procedure, Started, …), a blank line,
            // the columns, and a blank line before the rows. TestTime is in minutes (rows a minute apart on the DPT
            // Time clock are 1.0 apart), the current is unsigned with Md (C, D, R) giving the direction.
            Id = "maccor-text-keyed",
            FindColumnLine = lines =>
            {
                if (lines.Count == 0 || !lines[0].StartsWith("Name", StringComparison.Ordinal) || !lines[0].Contains('\t', StringComparison.Ordinal))
                {
                    return -1;
                }
                for (int i = 1; i < lines.Count; i++)
                {
                    if (lines[i].StartsWith("Rec\tCycle P\tCycle C\tStep\tTestTime\t", StringComparison.Ordinal))
                    {
                        return i;
                    }
                }
                return -1;
            },
            Delimiter = '\t', RowsAfterColumnLine = 2,
            Time = "TestTime", TimeText = TimeText.Minutes, Voltage = "Voltage [V]", Current = "Current [A]",
            Cycle = "Cycle C", Step = "Step", StepType = "Md", State = "Md",
            StepCapacityAh = "Cap. [Ah]", StepEnergyWh = "Ener. [Wh]",
            LocalDateTime = "DPT Time", LocalDateTimeFormats = ["M/d/yyyy h:mm:ss tt"],
            Metadata = KeyValueBefore('\t'),
        },
        new()
        {
            Id = "novonix-csv",
            FindColumnLine = lines =>
            {
                int data = lines.Count == 0 || !lines[0].StartsWith("[Summary]", StringComparison.Ordinal) ? -1 : TextLines.IndexOf(lines, l => l.Trim() == "[Data]") ?? -1;
                return data >= 0 && data + 1 < lines.Count && lines[data + 1].StartsWith("\"Date and Time,Cycle Number,Step Type,Run Time (h)", StringComparison.Ordinal) ? data + 1 : -1;
            },
            Time = "Run Time (h)", TimeText = TimeText.Hours, Voltage = "Potential (V)", Current = "Current (A)",
            Cycle = "Cycle Number", Step = "Step Number", StepType = "Step Type", TemperaturePrefix = "Temperature (",
            StepCapacityAh = "Capacity (Ah)", StepEnergyWh = "Energy (Wh)",
            LocalDateTime = "Date and Time", LocalDateTimeFormats = ["yyyy-MM-dd h:mm:ss tt"],
            Metadata = KeyValueBefore(':', '='),
        },
        new()
        {
            Id = "pec-csv",
            FindColumnLine = lines =>
            {
                int? at = TextLines.IndexOf(lines, l => l.StartsWith("Test,Cell,Rack,Shelf,Position,Cell ID,Step,Instruction Name,Cycle,", StringComparison.Ordinal));
                return at is int i && i > 0 && lines[0].Contains(":,", StringComparison.Ordinal) ? i : -1;
            },
            Time = "Total Time (Hours in hh:mm:ss.xxx)", TimeText = TimeText.HoursMinutesSeconds,
            Voltage = "Voltage (V)", Current = "Current (A)", Cycle = "Cycle", Step = "Step", StepType = "Instruction Name",
            LocalDateTime = "Real Time", LocalDateTimeFormats = ["MM/dd/yyyy HH:mm:ss"],
            Metadata = KeyValueBefore(':'),
        },
        new()
        {
            Id = "biologic-mpt-dc",
            FindColumnLine = BioLogicColumnLine,
            Delimiter = '\t', AllowDecimalComma = true, EndsWithLineBreak = false,
            Time = "time/s", Voltage = "Ewe/V|<Ewe>/V|Ecell/V|<Ecell>/V",
            Current = "I/mA|<I>/mA", CurrentScale = 1e-3, CurrentOptional = true,
            Cycle = "cycle number", Step = "Ns",
            ChargeAh = "Q charge/mA.h", DischargeAh = "Q discharge/mA.h", CapacityScale = 1e-3,
            ChargeWh = "Energy charge/W.h", DischargeWh = "Energy discharge/W.h",
            Metadata = KeyValueBefore(':'),
        },
    ];

    /// <summary>The format ids this reader knows.</summary>
    public static IReadOnlyList<string> FormatIds { get; } = [.. Layouts.Select(l => l.Id)];

    /// <summary>The format of a file from its first lines, or null when it is none of the cycler exports.</summary>
    public static string? Detect(string head)
    {
        var lines = head.Split('\n').Take(DetectLines).Select(l => l.TrimEnd('\r')).ToList();
        return Layouts.FirstOrDefault(l => l.FindColumnLine(lines) >= 0)?.Id;
    }

    /// <summary>
    /// Opens a cycler file: reads its preamble and column line now, its rows as <see cref="CyclerRecord.Samples"/> is
    /// enumerated. The stream is read once and disposed with the record.
    /// </summary>
    /// <exception cref="InstrumentFileException">Not a known cycler export, or a required column is missing; rows that cannot be read throw while enumerating, naming line and column.</exception>
    public static CyclerRecord Open(Stream content, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(content);
        var head = new byte[MprMagicLength];
        int read = content.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (BioLogic.MprReader.Sniff(head.AsSpan(0, read)))
        {
            return OpenMpr(head, content, sourceName);
        }
        if (head.AsSpan(0, read).StartsWith("PK\u0003\u0004"u8))
        {
            return OpenNdax(head.AsSpan(0, read).ToArray(), content, sourceName);
        }
        var reader = new LineReader(new ReplayStream(head.AsMemory(0, read), content));
        try
        {
            return Open(reader, sourceName);
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    private static CyclerRecord Open(LineReader reader, string sourceName)
    {
        var head = new List<string>();
        while (head.Count < DetectLines && reader.ReadLine() is { } line)
        {
            head.Add(line);
        }
        var (layout, columnLine) = Layouts.Select(l => (Layout: l, Line: l.FindColumnLine(head))).FirstOrDefault(c => c.Line >= 0);
        if (layout is null)
        {
            throw new InstrumentFileException(sourceName, "not a cycler export this reader knows", expected: $"one of: {string.Join(", ", FormatIds)}", code: "UNKNOWN_FORMAT");
        }
        while (head.Count <= columnLine && reader.ReadLine() is { } more)
        {
            head.Add(more);
        }
        if (head.Count <= columnLine)
        {
            throw new InstrumentFileException(sourceName, $"the file has {head.Count} lines, its header says the columns are on line {columnLine + 1}", head.Count,
                expected: "the whole header", code: "INCOMPLETE_FILE");
        }
        string[] columns = Split(layout, head[columnLine]).Select(c => c.Trim()).ToArray();
        var map = new ColumnMap(layout, columns, sourceName, columnLine + 1, layout.Hierarchical ? NewareLevels.From(head[0], head[1]) : null);
        int firstRow = columnLine + layout.RowsAfterColumnLine;
        string? firstRecord = head.Skip(firstRow).FirstOrDefault(l => !layout.Hierarchical || l.StartsWith(",,", StringComparison.Ordinal));
        var info = new CyclerFileInfo(sourceName, layout.Id, $"CyclerFormats {Version} ({layout.Id})", columns, layout.Metadata(head.Take(columnLine).ToList()),
            Start: firstRecord is null ? null : map.LocalStart(firstRecord),
            HasCycles: map.Cycle >= 0 || layout.Hierarchical, HasSteps: map.Step >= 0 || layout.Hierarchical, HasStepTypes: map.StepType >= 0 || layout.Hierarchical);
        int named = columns.Length;
        while (named > 0 && columns[named - 1].Length == 0)
        {
            named--; // EC-Lab ends its column line with a separator
        }
        return new CyclerRecord(info, record => Rows(reader, head, firstRow, layout, map, named, () => record.IncompleteLastRow = true), reader);
    }

    private static IEnumerator<CyclerSample> Rows(LineReader reader, List<string> head, int firstRow, CyclerLayout layout, ColumnMap map, int fieldCount,
        Action markIncomplete)
    {
        var fields = new Range[fieldCount + 64]; // room for separators at the end of a line; extra fields stay in the last range
        IEnumerable<string> Lines()
        {
            foreach (string line in head.Skip(firstRow))
            {
                yield return line;
            }
            while (reader.ReadLine() is { } line)
            {
                yield return line;
            }
        }

        // Each line is parsed once the next one is read, so the last line is known as the last.
        int lineNumber = firstRow;
        string? pending = null, previous = null;
        foreach (string text in Lines())
        {
            lineNumber++;
            if (!string.IsNullOrWhiteSpace(pending) && map.Parse(pending, lineNumber - 1, fields) is { } sample)
            {
                yield return sample;
                previous = pending;
            }
            pending = text;
        }
        if (string.IsNullOrWhiteSpace(pending))
        {
            yield break;
        }
        // The reader is at the end of the file, so it knows whether the last line ended with a line break.
        if (reader.EndedWithoutLineBreak && (layout.EndsWithLineBreak || LooksCut(layout, pending, previous, fieldCount)))
        {
            markIncomplete();
            yield break;
        }
        if (map.Parse(pending, lineNumber, fields) is { } last)
        {
            yield return last;
        }
    }

    /// <summary>
    /// For a vendor that ends its files without a line break: the last line is cut when it has fewer fields than the
    /// row before (than the column line, when it is the only row), or when its last value is written in another shape
    /// than the row before's (a number cut inside its mantissa or exponent).
    /// </summary>
    private static bool LooksCut(CyclerLayout layout, string last, string? previous, int namedColumns)
    {
        var (count, lastField) = LastField(layout, last);
        if (previous is null)
        {
            return count < namedColumns;
        }
        var (previousCount, previousField) = LastField(layout, previous);
        return count < previousCount || NumberShape.Of(lastField) != NumberShape.Of(previousField);
    }

    private static (int Fields, string LastValue) LastField(CyclerLayout layout, string line)
    {
        var fields = Split(layout, line);
        int count = fields.Length;
        while (count > 0 && fields[count - 1].Trim().Length == 0)
        {
            count--; // EC-Lab ends every line with a separator
        }
        return (count, count > 0 ? fields[count - 1] : "");
    }

    private static string[] Split(CyclerLayout layout, string line) => Unquote(line).ToString().Split(layout.Delimiter);

    /// <summary>The line inside the double quotes it is wrapped in (Novonix writes every line so), or the line as it is.</summary>
    private static ReadOnlySpan<char> Unquote(string line)
    {
        var quoted = line.AsSpan().Trim();
        return quoted.Length >= 2 && quoted[0] == '"' && quoted[^1] == '"' ? quoted[1..^1] : line;
    }

    /// <summary>
    /// EC-Lab text export of a DC technique: <c>Nb header lines : N</c> counts the lines up to and including the column
    /// line. Impedance techniques (named on line 4, or a <c>freq/Hz</c> column in a minimal header) belong to the
    /// impedance reader.
    /// </summary>
    private static int BioLogicColumnLine(IReadOnlyList<string> lines)
    {
        if (BioLogic.MptHeader.ColumnLineNumber(lines) is not { } n)
        {
            return -1;
        }
        if (n > 4 && lines.Count > 3 && (lines[3].Contains("Impedance", StringComparison.Ordinal) || lines[3].Contains("EIS", StringComparison.Ordinal)))
        {
            return -1;
        }
        return n - 1 < lines.Count && lines[n - 1].Contains("freq/Hz", StringComparison.Ordinal) ? -1 : n - 1;
    }

    private static Func<IReadOnlyList<string>, IReadOnlyDictionary<string, string>> KeyValueBefore(params char[] separators) => lines =>
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            int at = line.IndexOfAny(separators);
            // Stryker disable once Equality : a separator at 0 leaves an empty key, which is skipped below.
            if (at > 0 && !line.StartsWith('['))
            {
                string key = line[..at].Trim().Trim('"').TrimEnd(':');
                string value = line[(at + 1)..].Trim().TrimStart(',').Trim().Trim('"');
                if (key.Length > 0 && value.Length > 0)
                {
                    metadata.TryAdd(key, value);
                }
            }
        }
        return metadata;
    };

    private static Dictionary<string, string> MaccorMetadata(string line)
    {
        // "Today's Date 10/10/2019  Date of Test:\t10/10/2019\t Filename:\t…\\X.052 Procedure: P.000\tComment/Barcode: 00001E"
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string key in new[] { "Date of Test", "Filename", "Procedure", "Comment/Barcode" })
        {
            int at = line.IndexOf(key + ":", StringComparison.Ordinal);
            // Stryker disable once Equality : the line starts with "Today's Date", so no key is at 0.
            if (at < 0)
            {
                continue;
            }
            string rest = line[(at + key.Length + 1)..].TrimStart('\t', ' ');
            int end = rest.IndexOf('\t', StringComparison.Ordinal);
            // Stryker disable once Equality : the tabs before the value were trimmed, so a tab is never at 0.
            string value = end < 0 ? rest : rest[..end];
            if (key == "Filename" && value.IndexOf(" Procedure:", StringComparison.Ordinal) is >= 0 and var p)
            {
                value = value[..p];
            }
            metadata[key] = value.Trim();
        }
        return metadata;
    }

    /// <summary>The layout's columns located in the file's column line, and the parse of one row.</summary>
    private sealed class ColumnMap
    {
        private readonly CyclerLayout _layout;
        private readonly string[] _columns;
        private readonly string _source;
        private readonly Dictionary<string, string> _stepTypes = new(StringComparer.Ordinal);

        private readonly NewareLevels? _levels;
        private int _cycle = -1, _step = -1;
        private string? _stepType;

        public ColumnMap(CyclerLayout layout, string[] columns, string source, int columnLineNumber, NewareLevels? levels)
        {
            _layout = layout;
            _columns = columns;
            _source = source;
            _levels = levels;
            int Find(string? names) => names is null ? -1 : names.Split('|').Select(n => Array.IndexOf(columns, n)).FirstOrDefault(i => i >= 0, -1);
            int Require(string name) => Find(name) is >= 0 and var i ? i
                : throw new InstrumentFileException(source, $"the column '{name.Replace("|", "' or '", StringComparison.Ordinal)}' is missing", columnLineNumber, name.Split('|')[0],
                    $"the {layout.Id} columns, found: {string.Join(", ", columns)}", "MISSING_COLUMN");
            Time = Require(layout.Time);
            Voltage = Require(layout.Voltage);
            Current = layout.CurrentOptional ? Find(layout.Current) : Require(layout.Current);
            Cycle = Find(layout.Cycle);
            Step = Find(layout.Step);
            StepType = Find(layout.StepType);
            State = Find(layout.State);
            Temperature = layout.TemperaturePrefix is { } prefix ? Array.FindIndex(columns, c => c.StartsWith(prefix, StringComparison.Ordinal)) : -1;
            ChargeAh = Find(layout.ChargeAh);
            DischargeAh = Find(layout.DischargeAh);
            ChargeWh = Find(layout.ChargeWh);
            DischargeWh = Find(layout.DischargeWh);
            StepCapacityAh = Find(layout.StepCapacityAh);
            StepEnergyWh = Find(layout.StepEnergyWh);
            UnixTime = Find(layout.UnixTime);
            Resistance = Find(layout.Resistance);
            LocalDateTime = Find(layout.LocalDateTime);
        }

        public int LocalDateTime { get; }

        /// <summary>The local date-time of a row (the record's start when given the first row), if the layout has that column and it reads.</summary>
        public DateTime? LocalStart(string text)
        {
            if (LocalDateTime < 0)
            {
                return null;
            }
            var field = new Row(Unquote(text), new Range[_columns.Length + 64], _layout.Delimiter, 0).Field(LocalDateTime);
            foreach (var format in _layout.LocalDateTimeFormats)
            {
                if (DateTime.TryParseExact(field, format, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var t))
                {
                    return t;
                }
            }
            return null;
        }

        public int Time { get; }
        public int Voltage { get; }
        public int Current { get; }
        public int Cycle { get; }
        public int Step { get; }
        public int StepType { get; }
        public int State { get; }
        public int Temperature { get; }
        public int ChargeAh { get; }
        public int DischargeAh { get; }
        public int ChargeWh { get; }
        public int DischargeWh { get; }
        public int StepCapacityAh { get; }
        public int StepEnergyWh { get; }
        public int UnixTime { get; }
        public int Resistance { get; }

        /// <summary>The row as a sample, or null for a cycle or step row of the hierarchical export (which sets the context of the records below it).</summary>
        public CyclerSample? Parse(string text, int lineNumber, Range[] fields)
        {
            var row = new Row(Unquote(text), fields, _layout.Delimiter, lineNumber);
            if (_levels is { } levels && !text.StartsWith(",,", StringComparison.Ordinal))
            {
                if (text.StartsWith(','))
                {
                    (_step, _stepType) = (IndexOf(row, levels.StepIndex), Text(row, levels.StepType));
                }
                else
                {
                    _cycle = IndexOf(row, 0);
                    if (row.Count > levels.CycleColumns)
                    {
                        (_step, _stepType) = (IndexOf(row, levels.CycleColumns + levels.StepIndex - 1), Text(row, levels.CycleColumns + levels.StepType - 1));
                    }
                }
                return null;
            }
            double time = _layout.TimeText switch
            {
                TimeText.Seconds => Number(row, Time, required: true),
                TimeText.Minutes => Number(row, Time, required: true) * 60,
                TimeText.Hours => Number(row, Time, required: true) * 3600,
                _ => HoursMinutesSeconds(row.Field(Time)) ?? throw Error(row, Time, "a time h:mm:ss (hours may exceed 24)"),
            };
            double current = Current < 0 ? 0 : Number(row, Current, required: true) * _layout.CurrentScale;
            // Stryker disable once Equality : no layout has its state in the first column (Rec comes first).
            if (State >= 0)
            {
                var state = row.Field(State);
                current = state.SequenceEqual("D") ? -Math.Abs(current) : state.SequenceEqual("C") ? Math.Abs(current) : current;
            }
            double chargeAh = Number(row, ChargeAh) * _layout.CapacityScale, dischargeAh = Number(row, DischargeAh) * _layout.CapacityScale;
            double chargeWh = Number(row, ChargeWh), dischargeWh = Number(row, DischargeWh);
            // Stryker disable once Equality : no layout has its step capacity in the first column.
            if (StepCapacityAh >= 0)
            {
                // Stryker disable once Arithmetic : every layout with per-step counters writes them in A·h (scale 1).
                double q = Number(row, StepCapacityAh) * _layout.CapacityScale, e = Number(row, StepEnergyWh);
                (chargeAh, dischargeAh) = current > 0 ? (q, double.NaN) : current < 0 ? (double.NaN, q) : (double.NaN, double.NaN);
                (chargeWh, dischargeWh) = current > 0 ? (e, double.NaN) : current < 0 ? (double.NaN, e) : (double.NaN, double.NaN);
            }
            // Stryker disable once Equality : no layout has its step type in the first column.
            string? stepType = _levels is null ? (StepType >= 0 ? Text(row, StepType) : null) : _stepType;
            int cycle = _levels is null ? Index(row, Cycle) : _cycle, step = _levels is null ? Index(row, Step) : _step;
            return new CyclerSample(lineNumber, time, Number(row, Voltage, required: true), current, cycle, step, stepType, Number(row, Temperature),
                chargeAh, dischargeAh, chargeWh, dischargeWh, Number(row, UnixTime), Number(row, Resistance));
        }

        /// <summary>A text field, one string instance per distinct value (step types repeat on every row).</summary>
        private string Text(in Row row, int column)
        {
            var f = row.Field(column);
            var lookup = _stepTypes.GetAlternateLookup<ReadOnlySpan<char>>();
            if (!lookup.TryGetValue(f, out string? text))
            {
                text = f.ToString();
                _stepTypes[text] = text;
            }
            return text;
        }

        /// <summary>A whole number ≥ 0 at a field position (of a cycle or step row).</summary>
        private int IndexOf(in Row row, int position)
        {
            var f = row.Field(position);
            return int.TryParse(f, NumberStyles.None, CultureInfo.InvariantCulture, out int v) ? v
                : throw new InstrumentFileException(_source, f.IsEmpty ? "empty value" : $"'{f}' cannot be read", row.LineNumber, $"field {position + 1}", "a whole number ≥ 0 (cycle or step index)", "INVALID_VALUE");
        }

        private double Number(in Row row, int column, bool required = false)
        {
            if (column < 0)
            {
                return double.NaN;
            }
            var f = row.Field(column);
            if (f.IsEmpty)
            {
                return required ? throw Error(row, column, "a number") : double.NaN;
            }
            if (double.TryParse(f, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v))
            {
                return v;
            }
            if (_layout.AllowDecimalComma && f.Length <= 64 && f.Contains(','))
            {
                Span<char> copy = stackalloc char[f.Length];
                f.CopyTo(copy);
                copy.Replace(',', '.');
                if (double.TryParse(copy, NumberStyles.Float, CultureInfo.InvariantCulture, out v) && double.IsFinite(v))
                {
                    return v;
                }
            }
            throw Error(row, column, "a number");
        }

        private int Index(in Row row, int column)
        {
            double v = Number(row, column);
            return double.IsNaN(v) ? -1 : v == Math.Floor(v) && v >= 0 && v <= int.MaxValue ? (int)v : throw Error(row, column, "a whole number ≥ 0");
        }

        private InstrumentFileException Error(in Row row, int column, string expected)
        {
            var value = row.Field(column);
            return new(_source, value.IsEmpty ? "empty value" : $"'{value}' cannot be read", row.LineNumber, _columns[column], expected, "INVALID_VALUE");
        }

        private static double? HoursMinutesSeconds(ReadOnlySpan<char> text)
        {
            Span<Range> parts = stackalloc Range[3]; // a third colon stays in the seconds, which then do not read
            return text.Split(parts, ':') == 3
                   && int.TryParse(text[parts[0]], NumberStyles.None, CultureInfo.InvariantCulture, out int h)
                   && int.TryParse(text[parts[1]], NumberStyles.None, CultureInfo.InvariantCulture, out int m) && m < 60
                   && double.TryParse(text[parts[2]], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double s) && s < 60
                ? h * 3600.0 + m * 60 + s
                : null;
        }
    }

    /// <summary>Where the hierarchical Neware export keeps cycle and step in its cycle and step rows.</summary>
    /// <param name="CycleColumns">Columns of a cycle row (a joined step row follows them).</param>
    /// <param name="StepIndex">Position of <c>Step Index</c> in a step row.</param>
    /// <param name="StepType">Position of <c>Step Type</c> in a step row.</param>
    internal sealed record NewareLevels(int CycleColumns, int StepIndex, int StepType)
    {
        public static NewareLevels From(string cycleLine, string stepLine)
        {
            var step = stepLine.Split(',');
            return new NewareLevels(cycleLine.Split(',').Length, Array.IndexOf(step, "Step Index"), Array.IndexOf(step, "Step Type"));
        }
    }

    /// <summary>One row split into its fields.</summary>
    private readonly ref struct Row
    {
        private readonly ReadOnlySpan<char> _line;
        private readonly Range[] _fields;
        private readonly int _count;

        public Row(ReadOnlySpan<char> line, Range[] fields, char delimiter, int lineNumber)
        {
            _line = line;
            _fields = fields;
            _count = line.Split(fields, delimiter);
            LineNumber = lineNumber;
        }

        public int LineNumber { get; }

        public int Count => _count;

        public ReadOnlySpan<char> Field(int column) => column < _count ? _line[_fields[column]].Trim() : [];
    }

    /// <summary>Lines of a stream (UTF-8, invalid bytes replaced), knowing whether the last one ended with a line break.</summary>
    private sealed class LineReader(Stream stream) : IDisposable
    {
        private readonly StreamReader _reader = new(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        private readonly StringBuilder _line = new();

        /// <summary>The last line returned was not followed by a line break.</summary>
        public bool EndedWithoutLineBreak { get; private set; }

        public string? ReadLine()
        {
            _line.Clear();
            while (true)
            {
                int c = _reader.Read();
                if (c < 0)
                {
                    if (_line.Length == 0)
                    {
                        // The end: the status of the last line returned stands (a reader asking once more after it,
                        // as the header detection does on a short file, must not make a cut line look complete).
                        return null;
                    }
                    EndedWithoutLineBreak = true;
                    return _line.ToString();
                }
                if (c == '\n')
                {
                    EndedWithoutLineBreak = false;
                    return _line.ToString();
                }
                if (c == '\r')
                {
                    if (_reader.Peek() == '\n')
                    {
                        _reader.Read();
                    }
                    EndedWithoutLineBreak = false;
                    return _line.ToString();
                }
                _line.Append((char)c);
            }
        }

        public void Dispose() => _reader.Dispose();
    }
}
