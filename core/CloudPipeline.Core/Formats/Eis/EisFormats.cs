using System.Globalization;
using System.Text;

namespace CloudPipeline.Core.Formats.Eis;

/// <summary>The impedance layouts the pipeline reads, and content sniffing across them.</summary>
public static class EisFormats
{
    /// <summary>The reader version, recorded in provenance.</summary>
    public const string Version = "1.1.1";

    private static readonly char[] Whitespace = [' ', '\t'];

    private static string[] SplitOn(string line, params char[] separators) =>
        line.Split(separators).Select(f => f.Trim()).ToArray();

    private static string[] SplitWhitespace(string line) => line.Split(Whitespace, StringSplitOptions.RemoveEmptyEntries);

    private static bool First(IReadOnlyList<string> head, string prefix) =>
        head.Count > 0 && head[0].TrimStart('\uFEFF').TrimStart().StartsWith(prefix, StringComparison.Ordinal);

    /// <summary>Every layout, in sniffing order (specific markers first, bare numeric tables last).</summary>
    public static IReadOnlyList<EisTextFormat> All { get; } =
    [
        new()
        {
            // BioLogic EC-Lab text export: "Nb header lines : N" counts the lines up to and including the column line.
            FormatId = "biologic-mpt",
            Encoding = Encoding.Latin1,
            Sniff = (_, head) => First(head, "EC-Lab ASCII FILE"),
            Locate = lines => BioLogic.MptHeader.ColumnLineNumber(lines) is { } n && n <= lines.Count ? (n - 1, n) : null,
            LocateExpectation = "the 'Nb header lines : N' line",
            Split = line => SplitOn(line, '\t'),
            Frequency = ColumnRef.Named("freq/Hz"),
            Real = ColumnRef.Named("Re(Z)/Ohm"),
            Imaginary = ColumnRef.Named("-Im(Z)/Ohm"),
            NegateImaginary = true,
            AllowDecimalComma = true,
            EndsWithoutLineBreak = true,
        },
        new()
        {
            // Gamry Framework: the ZCURVE table; its column line, a units line, then tab-indented rows until a line that is not.
            FormatId = "gamry-dta",
            Encoding = Encoding.Latin1,
            Sniff = (_, head) => First(head, "EXPLAIN"),
            Locate = lines => TextLines.IndexOf(lines, l => l.StartsWith("ZCURVE\tTABLE", StringComparison.Ordinal)) is { } at ? (at + 1, at + 3) : null,
            LocateExpectation = "a 'ZCURVE TABLE'",
            Split = line => SplitOn(line, '\t'),
            Frequency = ColumnRef.Named("Freq"),
            Real = ColumnRef.Named("Zreal"),
            Imaginary = ColumnRef.Named("Zimag"),
            EndsAt = line => !line.StartsWith('\t'),
        },
        new()
        {
            // Scribner ZPlot / ZPlotW / Z60W (also what impedance.py's "Autolab" sample is): data after "End Comments",
            // or after the column line; fields split on tab or comma; f, Z', Z'' in fields 0, 4, 5.
            FormatId = "zplot",
            Sniff = (_, head) => head.Take(3).Any(l => l.Contains("ZPLOT2 ASCII", StringComparison.Ordinal) || l.Contains("ZPlotW Data File", StringComparison.Ordinal) || l.Contains("Z60W Data File", StringComparison.Ordinal)),
            Locate = lines => (TextLines.IndexOf(lines, l => l.Trim() == "End Comments")
                               ?? TextLines.IndexOf(lines, l => l.Contains("Freq(Hz)", StringComparison.Ordinal) || l.Contains("Freq (Hz)", StringComparison.Ordinal))) is { } at ? (-1, at + 1) : null,
            LocateExpectation = "an 'End Comments' line or the 'Freq(Hz)' column line",
            Split = line => SplitOn(line, '\t', ','),
            Frequency = ColumnRef.At(0),
            Real = ColumnRef.At(4),
            Imaginary = ColumnRef.At(5),
        },
        new()
        {
            // Princeton Applied Research PowerSuite/Parstat tables: only rows with a frequency are impedance.
            FormatId = "parstat-txt",
            Sniff = (_, head) => First(head, "Potential (V)") && head[0].Contains("Frequency (Hz)", StringComparison.Ordinal),
            Locate = _ => (0, 1),
            // Stryker disable once String : never shown, this layout's column line is always its first line.
            LocateExpectation = "the column line",
            Split = line => SplitOn(line, '\t'),
            Frequency = ColumnRef.Named("Frequency (Hz)"),
            Real = ColumnRef.Named("Zre (ohms)"),
            Imaginary = ColumnRef.Named("Zim (ohms)"),
            Keep = (f, _, _) => f != 0,
        },
        new()
        {
            // VersaStudio .par: the Definition= line of <Segment1> names the comma-separated columns.
            FormatId = "versastudio-par",
            Sniff = (_, head) => First(head, "<Application>") && head.Take(4).Any(l => l.Contains("VersaStudio", StringComparison.Ordinal)),
            Locate = lines => TextLines.IndexOf(lines, l => l.Trim() == "<Segment1>") is { } segment
                              && TextLines.IndexOf(lines, l => l.StartsWith("Definition=", StringComparison.Ordinal), segment) is { } definition ? (definition, definition + 1) : null,
            LocateExpectation = "a <Segment1> with a 'Definition=' column line",
            Split = line => SplitOn(line.StartsWith("Definition=", StringComparison.Ordinal) ? line["Definition=".Length..] : line, ','),
            Frequency = ColumnRef.Named("Frequency(Hz)"),
            Real = ColumnRef.Named("Z Real"),
            Imaginary = ColumnRef.Named("Z Imag"),
            EndsAt = line => line.StartsWith("</Segment", StringComparison.Ordinal),
        },
        new()
        {
            // PowerSuite text export: "Frequency, Zre, Zimg", tab-separated, CR CR LF line ends, ascending f.
            FormatId = "powersuite-txt",
            Sniff = (_, head) => head.Count > 0 && SplitOn(head[0], '\t').SequenceEqual(["Frequency", "Zre", "Zimg"]),
            Locate = _ => (0, 1),
            // Stryker disable once String : never shown, this layout's column line is always its first line.
            LocateExpectation = "the column line",
            Split = line => SplitOn(line, '\t'),
            Frequency = ColumnRef.Named("Frequency"),
            Real = ColumnRef.Named("Zre"),
            Imaginary = ColumnRef.Named("Zimg"),
        },
        new()
        {
            // CH Instruments "A.C. Impedance": "Freq/Hz, Z'/ohm, Z"/ohm, Z/ohm, Phase/deg".
            FormatId = "chi-txt",
            Sniff = (_, head) => head.Take(3).Any(l => l.Trim() == "A.C. Impedance"),
            Locate = lines => TextLines.IndexOf(lines, l => l.StartsWith("Freq/Hz", StringComparison.Ordinal)) is { } at ? (at, at + 1) : null,
            LocateExpectation = "the 'Freq/Hz' column line",
            Split = line => SplitOn(line, ','),
            Frequency = ColumnRef.Named("Freq/Hz"),
            Real = ColumnRef.Named("Z'/ohm"),
            Imaginary = ColumnRef.Named("Z\"/ohm"),
        },
        new()
        {
            // Maccor FRA: the column line names 24 columns but rows have 13 fields, and field 1 is ω (rad/s),
            // not the "Polar(V)" the line claims; so positions, not names.
            FormatId = "maccor-fra",
            Sniff = (_, head) => First(head, "MACCOR, INC.") && head[0].Contains("AC Impedance", StringComparison.Ordinal),
            Locate = lines => TextLines.IndexOf(lines, l => l.StartsWith("Freq(Hz)", StringComparison.Ordinal)) is { } at ? (-1, at + 1) : null,
            LocateExpectation = "the 'Freq(Hz)' column line",
            Split = line => SplitOn(line, '\t'),
            Frequency = ColumnRef.At(0),
            Real = ColumnRef.At(3),
            Imaginary = ColumnRef.At(4),
        },
        new()
        {
            // A bare table of f, Z', Z'' separated by commas or whitespace, no header (impedance.py CSV, pyDRTtools text).
            FormatId = "eis-table",
            Sniff = (_, head) => LooksLikeFrequencyTable(head),
            Locate = _ => (-1, 0),
            LocateExpectation = "rows of frequency, Z' and Z''",
            Split = line => line.Contains(',', StringComparison.Ordinal) ? SplitOn(line, ',') : SplitWhitespace(line),
            Frequency = ColumnRef.At(0),
            Real = ColumnRef.At(1),
            Imaginary = ColumnRef.At(2),
        },
    ];

    /// <summary>
    /// Three numbers per row whose first column is positive and spans at least a decade over the first rows:
    /// frequencies. (A potentiostat record's time column spans far less, which keeps POL.txt out.) Non-finite values
    /// (NaN, ∞) are left to the reader, which rejects them with their line and column.
    /// </summary>
    private static bool LooksLikeFrequencyTable(IReadOnlyList<string> head)
    {
        var first = new List<double>();
        foreach (var line in head.Where(l => l.Trim().Length > 0).Take(40))
        {
            var fields = line.Contains(',', StringComparison.Ordinal) ? SplitOn(line, ',') : SplitWhitespace(line);
            if (fields.Length != 3 || !fields.All(f => double.TryParse(f, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
            {
                return false;
            }
            first.Add(double.Parse(fields[0], CultureInfo.InvariantCulture));
        }
        // A NaN or infinite value does not make the file something else: the reader then names its line and column.
        var finite = first.Where(double.IsFinite).ToList();
        return finite.Count >= 2 && finite.All(f => f > 0) && finite.Max() / finite.Min() >= 10;
    }

    /// <summary>The layout that recognises the file, or null.</summary>
    public static EisTextFormat? Detect(string fileName, byte[] content)
    {
        var head = Encoding.Latin1.GetString(content, 0, Math.Min(content.Length, 8192)).TrimStart('\uFEFF')
            .Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n');
        // A UTF-8 BOM read as Latin-1 is "ï»¿" (Split always gives at least one line).
        if (head[0].StartsWith("ï»¿", StringComparison.Ordinal))
        {
            head[0] = head[0][3..];
        }
        return All.FirstOrDefault(f => f.Sniff(fileName, head)) ?? NamedTable(head);
    }

    /// <summary>
    /// A delimited table (comma, semicolon or tab) whose first line names its columns: f, Z′ and Z″ are found by name
    /// (<c>freq</c>/<c>frequency</c>/<c>f</c>; <c>Z'</c>/<c>Zre</c>/<c>Z_real</c>/<c>Re(Z)</c>; <c>Z''</c>/<c>Zim</c>/
    /// <c>Z_imag</c>/<c>Im(Z)</c>, with units in brackets or after a slash), a leading minus on the imaginary column's
    /// name (<c>-Z''</c>, <c>-Im(Z)</c>) meaning the values are −Z″. Null when the first line does not name all three.
    /// </summary>
    private static EisTextFormat? NamedTable(IReadOnlyList<string> head)
    {
        string? first = head.FirstOrDefault(l => l.Trim().Length > 0);
        if (first is null)
        {
            return null;
        }
        foreach (char separator in new[] { ',', ';', '\t' })
        {
            // A row of numbers holds none of the names below, so the lookup itself rejects it.
            var names = SplitOn(first, separator).Select(n => n.Trim().Trim('"').Trim()).ToArray();
            string? Find(params string[] synonyms) => names.FirstOrDefault(n => synonyms.Contains(BareName(n)));
            string? f = Find("f", "freq", "frequency");
            string? re = Find("z'", "zre", "zreal", "z_re", "z_real", "re(z)", "real", "rez", "z real");
            string? im = Find("z''", "z\"", "zim", "zimag", "z_im", "z_imag", "im(z)", "imag", "imz", "z imag");
            string? negIm = Find("-z''", "-z\"", "-zim", "-zimag", "-z_im", "-z_imag", "-im(z)", "-imz");
            if (f is null || re is null || (im is null && negIm is null))
            {
                continue;
            }
            return new EisTextFormat
            {
                FormatId = "eis-table-named",
                // Stryker disable once Boolean : this layout is built from the head it recognised; nothing asks it to sniff again.
                Sniff = (_, _) => true,
                Locate = lines => TextLines.IndexOf(lines, l => l.Trim().Length > 0) is { } at ? (at, at + 1) : null,
                // Stryker disable once String : never shown, the line that named the columns is there.
                LocateExpectation = "the column line",
                Split = line => SplitOn(line, separator).Select(v => v.Trim().Trim('"').Trim()).ToArray(),
                Frequency = ColumnRef.Named(f),
                Real = ColumnRef.Named(re),
                Imaginary = ColumnRef.Named(im ?? negIm!),
                NegateImaginary = im is null,
            };
        }
        return null;
    }

    /// <summary>A column name without its unit (<c>Z' (Ohm)</c>, <c>Z'/Ohm</c>, <c>freq [Hz]</c>), in lower case.</summary>
    private static string BareName(string name)
    {
        string n = name.Trim().ToLowerInvariant();
        int unit = n.IndexOfAny(['[', '/']);
        // Stryker disable once Equality : a name that starts with '[' or '/' matches no synonym, cut or not.
        if (unit > 0)
        {
            n = n[..unit];
        }
        int bracket = n.LastIndexOf(" (", StringComparison.Ordinal);
        // Stryker disable once Equality : the name is trimmed, so " (" is never at its start.
        if (bracket > 0)
        {
            n = n[..bracket];
        }
        return n.Trim();
    }

    /// <summary>Reads a spectrum from any supported layout, text or BioLogic binary.</summary>
    /// <exception cref="InstrumentFileException">No layout recognises the file, or the recognised one cannot read it.</exception>
    public static Spectrum Read(string fileName, byte[] content)
    {
        if (BioLogic.MprReader.Sniff(content))
        {
            return FromMpr(BioLogic.MprReader.Read(fileName, content));
        }
        return (Detect(fileName, content) ?? throw new InstrumentFileException(fileName, "no impedance layout recognises the file", expected: $"one of: {string.Join(", ", All.Select(f => f.FormatId))}, biologic-mpr", code: "NOT_EIS"))
            .Parse(fileName, content);
    }

    /// <summary>An .mpr of an impedance technique as a spectrum (−Im(Z) negated); every other column kept.</summary>
    public static Spectrum FromMpr(BioLogic.MprFile mpr)
    {
        foreach (var column in new[] { "freq/Hz", "Re(Z)/Ohm", "-Im(Z)/Ohm" })
        {
            if (!mpr.Columns.ContainsKey(column))
            {
                throw new InstrumentFileException(mpr.SourceName, $"\"{column}\" not found in the data columns", field: column, expected: "an impedance technique (PEIS, GEIS)", code: "MISSING_COLUMN");
            }
        }
        if (mpr.Points == 0)
        {
            throw new InstrumentFileException(mpr.SourceName, "the data module holds no points", field: "points", expected: "at least one impedance point", code: "NO_ROWS");
        }
        double[] f = mpr.Columns["freq/Hz"], zr = mpr.Columns["Re(Z)/Ohm"], minusZi = mpr.Columns["-Im(Z)/Ohm"];
        for (int i = 0; i < mpr.Points; i++)
        {
            if (!(double.IsFinite(f[i]) && f[i] > 0 && double.IsFinite(zr[i]) && double.IsFinite(minusZi[i])))
            {
                throw new InstrumentFileException(mpr.SourceName, $"point {i + 1} has f = {f[i]} Hz, Re(Z) = {zr[i]}, -Im(Z) = {minusZi[i]} Ohm", field: "freq/Hz, Re(Z)/Ohm, -Im(Z)/Ohm",
                    expected: "a finite frequency above 0 and a finite impedance", code: "INVALID_VALUE");
            }
        }
        return new Spectrum(mpr.SourceName, "biologic-mpr", f, zr, minusZi.Select(v => -v).ToArray(), mpr.Columns);
    }
}
