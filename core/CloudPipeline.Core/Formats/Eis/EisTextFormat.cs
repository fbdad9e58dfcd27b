using System.Globalization;
using System.Text;

namespace CloudPipeline.Core.Formats.Eis;

/// <summary>Where a column is: by header name (first match, case-insensitive) or by position.</summary>
/// <param name="Name">Header name, or null.</param>
/// <param name="Index">0-based position, used when <paramref name="Name"/> is null.</param>
public sealed record ColumnRef(string? Name, int Index = -1)
{
    /// <summary>A column by header name.</summary>
    public static ColumnRef Named(string name) => new(name);

    /// <summary>A column by position.</summary>
    public static ColumnRef At(int index) => new(null, index);

    /// <summary>For messages.</summary>
    public override string ToString() => Name is null ? $"column {Index + 1}" : $"\"{Name}\"";
}

/// <summary>
/// A vendor's text layout of an impedance table, as data: how to recognise it, where the column line and the
/// data start, how to split a row, which columns hold f, Zre and Zim (and Zim's sign), which rows to keep and
/// where the table ends. <see cref="Parse"/> is the one parser all layouts share.
/// </summary>
public sealed record EisTextFormat
{
    /// <summary>The format id.</summary>
    public required string FormatId { get; init; }

    /// <summary>The file's text encoding. Default UTF-8 (a BOM is skipped).</summary>
    public Encoding Encoding { get; init; } = Encoding.UTF8;

    /// <summary>True if the file looks like this layout (lines of the head; file name only as a hint).</summary>
    public required Func<string, IReadOnlyList<string>, bool> Sniff { get; init; }

    /// <summary>The 0-based column-name line (−1: none) and the first data line, or null when the layout's marker is missing.</summary>
    public required Func<IReadOnlyList<string>, (int Header, int FirstData)?> Locate { get; init; }

    /// <summary>What <see cref="Locate"/> looks for, for the error when it finds nothing.</summary>
    public required string LocateExpectation { get; init; }

    /// <summary>Splits a row (and the column line) into trimmed fields.</summary>
    public required Func<string, string[]> Split { get; init; }

    /// <summary>Frequency column.</summary>
    public required ColumnRef Frequency { get; init; }

    /// <summary>Real part column.</summary>
    public required ColumnRef Real { get; init; }

    /// <summary>Imaginary part column.</summary>
    public required ColumnRef Imaginary { get; init; }

    /// <summary>The file stores −Im(Z): negate it.</summary>
    public bool NegateImaginary { get; init; }

    /// <summary>The table ends at the first line for which this is true (default: never; blank lines are skipped).</summary>
    public Func<string, bool> EndsAt { get; init; } = _ => false;

    /// <summary>Rows to keep, given (f, Zre, Zim); default all.</summary>
    public Func<double, double, double, bool> Keep { get; init; } = (_, _, _) => true;

    /// <summary>Read a comma in a field as the decimal point (BioLogic exports in German locale); only for layouts that do not split on commas.</summary>
    public bool AllowDecimalComma { get; init; }

    /// <summary>
    /// The vendor ends its files without a line break (EC-Lab), so an unterminated last row is complete unless its
    /// shape says otherwise: fewer fields than the row before, or a last number of another shape (mantissa decimals,
    /// exponent digits) than the row before's. Otherwise (the default) a last row without a line break is incomplete.
    /// </summary>
    public bool EndsWithoutLineBreak { get; init; }

    /// <summary>Reads a spectrum.</summary>
    /// <exception cref="InstrumentFileException">A marker or column is missing, a value is not a finite number, or there is no data row.</exception>
    public Spectrum Parse(string fileName, byte[] content)
    {
        var lines = Lines(content);
        var located = Locate(lines) ?? throw new InstrumentFileException(fileName, $"{LocateExpectation} not found", expected: $"a {FormatId} export", code: "NOT_EIS");
        if (located.Header >= lines.Count || located.FirstData > lines.Count)
        {
            // Cut right after the table's marker: a copy taken while the instrument was still writing.
            throw new InstrumentFileException(fileName, $"the file ends before the impedance table's {(located.Header >= lines.Count ? "column line" : "rows")}", lines.Count,
                expected: "a complete export (upload it again once it is written)", code: "INCOMPLETE_FILE");
        }
        string[] names = located.Header >= 0 ? Split(lines[located.Header]).Select(n => n.Trim().Trim('"').Trim()).ToArray() : [];
        int f = Resolve(Frequency, names, fileName, located.Header);
        int re = Resolve(Real, names, fileName, located.Header);
        int im = Resolve(Imaginary, names, fileName, located.Header);
        int needed = Math.Max(f, Math.Max(re, im)) + 1;

        var freq = new List<double>();
        var zre = new List<double>();
        var zim = new List<double>();
        var columns = names.Select(_ => new List<double>()).ToArray();
        // The last line is blank when the file ends with a line break; otherwise the instrument may still have been writing it.
        int unterminated = lines.Count - 1;
        bool incompleteLastRow = false;
        string[]? previous = null;
        for (int i = located.FirstData; i < lines.Count; i++)
        {
            string line = lines[i];
            if (EndsAt(line))
            {
                break;
            }
            if (line.Trim().Length == 0)
            {
                continue;
            }
            var fields = Split(line);
            if (AllowDecimalComma)
            {
                fields = fields.Select(x => x.Replace(',', '.')).ToArray();
            }
            if (i == unterminated && (!EndsWithoutLineBreak || (previous is not null && (fields.Length < previous.Length || NumberShape.Of(fields[^1]) != NumberShape.Of(previous[^1])))))
            {
                incompleteLastRow = true;
                break;
            }
            previous = fields;
            if (fields.Length < needed)
            {
                throw new InstrumentFileException(fileName, $"the row has {fields.Length} fields", i + 1, expected: $"at least {needed} fields", code: "TOO_FEW_FIELDS");
            }
            double fv = Number(fields[f], fileName, i + 1, Frequency);
            double rv = Number(fields[re], fileName, i + 1, Real);
            double iv = Number(fields[im], fileName, i + 1, Imaginary);
            iv = NegateImaginary ? -iv : iv;
            if (!Keep(fv, rv, iv))
            {
                continue;
            }
            freq.Add(fv);
            zre.Add(rv);
            zim.Add(iv);
            for (int c = 0; c < columns.Length; c++)
            {
                columns[c].Add(c < fields.Length && double.TryParse(fields[c], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : double.NaN);
            }
        }
        if (freq.Count == 0)
        {
            throw new InstrumentFileException(fileName, "the impedance table has no data rows", located.FirstData + 1, expected: "rows of frequency and impedance", code: "EMPTY");
        }
        var named = new Dictionary<string, double[]>(StringComparer.Ordinal);
        for (int c = 0; c < names.Length; c++)
        {
            if (names[c].Length > 0)
            {
                named.TryAdd(names[c], columns[c].ToArray());
            }
        }
        return new Spectrum(fileName, FormatId, freq.ToArray(), zre.ToArray(), zim.ToArray(), named) { IncompleteLastRow = incompleteLastRow };
    }

    /// <summary>The file's lines (CR, CR CR LF and LF endings all handled).</summary>
    public IReadOnlyList<string> Lines(byte[] content)
    {
        string text = Encoding.GetString(content);
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }
        return text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n');
    }

    private static int Resolve(ColumnRef column, string[] names, string fileName, int headerLine)
    {
        if (column.Name is null)
        {
            return column.Index;
        }
        int index = Array.FindIndex(names, n => n.Equals(column.Name, StringComparison.OrdinalIgnoreCase));
        return index >= 0
            ? index
            : throw new InstrumentFileException(fileName, $"\"{column.Name}\" not found in column headers", headerLine + 1, column.Name,
                $"a column line with \"{column.Name}\"", "MISSING_COLUMN");
    }

    private static double Number(string text, string fileName, int line, ColumnRef column) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value)
            ? value
            : throw new InstrumentFileException(fileName, $"'{text}' is not a finite number", line, column.ToString(), "a number", "NOT_A_NUMBER");
}
