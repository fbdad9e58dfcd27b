using System.Globalization;

namespace CloudPipeline.Core.Formats.Mri;

/// <summary>
/// Reads TopSpin 1D text exports: <c>#</c> header lines with <c>LEFT = … ppm. RIGHT = … ppm.</c>,
/// <c>SIZE = n</c> and <c>Data set = name EXPNO PROCNO path</c>, then one intensity per line.
/// </summary>
public static class TopSpinProfileReader
{
    /// <summary>The reader's version, recorded in provenance.</summary>
    public const string Version = "1.0.0";

    /// <summary>True if the text starts like a TopSpin 1D export (a <c>#</c> header with <c>SIZE =</c> and <c>LEFT =</c>).</summary>
    public static bool Sniff(ReadOnlySpan<char> head) =>
        head.TrimStart().StartsWith("#", StringComparison.Ordinal) &&
        head.Contains("SIZE =", StringComparison.Ordinal) && head.Contains("LEFT =", StringComparison.Ordinal);

    /// <summary>Reads a profile in one pass over the text, without a string per line.</summary>
    /// <exception cref="InstrumentFileException">A header field is missing or malformed, a value is not a finite non-negative number, or the count differs from SIZE.</exception>
    public static TopSpinProfile Read(ReadOnlySpan<char> text, string sourceName)
    {
        double? left = null, right = null;
        int? size = null, expNo = null, procNo = null;
        string? dataSet = null;
        var values = new List<double>(256);
        int lineNumber = 0;
        foreach (var raw in text.EnumerateLines())
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }
            if (line[0] == '#')
            {
                if (Number(AfterKey(line, "LEFT")) is { Length: > 0 } l)
                {
                    left = ParseHeaderNumber(l, sourceName, lineNumber, "LEFT");
                    right = ParseHeaderNumber(Number(AfterKey(line, "RIGHT")), sourceName, lineNumber, "RIGHT");
                }
                else if (Number(AfterKey(line, "SIZE")) is { Length: > 0 } n)
                {
                    size = (int)ParseHeaderNumber(n, sourceName, lineNumber, "SIZE");
                }
                else if (AfterKey(line, "Data set") is { Length: > 0 } rest)
                {
                    // "Data set = name EXPNO PROCNO path"
                    var name = NextWord(ref rest);
                    var exp = NextWord(ref rest);
                    var proc = NextWord(ref rest);
                    if (int.TryParse(exp, NumberStyles.None, CultureInfo.InvariantCulture, out int e) && int.TryParse(proc, NumberStyles.None, CultureInfo.InvariantCulture, out int pn))
                    {
                        dataSet = name.ToString();
                        expNo = e;
                        procNo = pn;
                    }
                }
                continue;
            }
            if (!double.TryParse(line, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
            {
                throw new InstrumentFileException(sourceName, $"'{Shorten(line)}' is not a number", lineNumber, "intensity", "one finite intensity per line", "NOT_A_NUMBER");
            }
            if (value < 0)
            {
                throw new InstrumentFileException(sourceName, $"negative intensity {value.ToString(CultureInfo.InvariantCulture)}", lineNumber, "intensity",
                    "magnitude data (all values >= 0)", "NEGATIVE_INTENSITY");
            }
            values.Add(value);
        }

        if (size is null)
        {
            throw new InstrumentFileException(sourceName, "no 'SIZE = n' header line", field: "SIZE", expected: "a TopSpin totxt export with a '# SIZE = n (= number of points)' line", code: "MISSING_HEADER");
        }
        if (left is null || right is null)
        {
            throw new InstrumentFileException(sourceName, "no 'LEFT = … ppm. RIGHT = … ppm.' header line", field: "LEFT/RIGHT", expected: "the spectral region header of a TopSpin totxt export", code: "MISSING_HEADER");
        }
        if (values.Count != size)
        {
            throw new InstrumentFileException(sourceName, $"the file has {values.Count} values but its header says SIZE = {size}", lineNumber, "SIZE",
                $"{size} values (the file may be truncated)", "SIZE_MISMATCH");
        }
        return new TopSpinProfile(sourceName, dataSet, expNo, procNo, left.Value, right.Value, values.ToArray());
    }

    /// <summary>What follows <c>key =</c> in a header line (leading blanks removed); empty where the key or its '=' is missing.</summary>
    private static ReadOnlySpan<char> AfterKey(ReadOnlySpan<char> line, string key)
    {
        int at = line.IndexOf(key, StringComparison.Ordinal);
        if (at < 0)
        {
            return [];
        }
        var rest = line[(at + key.Length)..].TrimStart();
        return rest.Length > 0 && rest[0] == '=' ? rest[1..].TrimStart() : [];
    }

    /// <summary>The leading run of number characters ("190.0 ppm." gives "190.0").</summary>
    private static ReadOnlySpan<char> Number(ReadOnlySpan<char> text)
    {
        int length = 0;
        while (length < text.Length && (char.IsAsciiDigit(text[length]) || text[length] is '-' or '+' or '.' or 'e' or 'E'))
        {
            length++;
        }
        return text[..length];
    }

    private static ReadOnlySpan<char> NextWord(ref ReadOnlySpan<char> rest)
    {
        rest = rest.TrimStart();
        int end = rest.IndexOfAny(' ', '\t');
        var word = end < 0 ? rest : rest[..end];
        rest = end < 0 ? [] : rest[end..];
        return word;
    }

    private static double ParseHeaderNumber(ReadOnlySpan<char> text, string sourceName, int line, string field) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            ? value
            : throw new InstrumentFileException(sourceName, $"'{text}' is not a number", line, field, "a number with a decimal point", "BAD_HEADER");

    private static string Shorten(ReadOnlySpan<char> text) => text.Length <= 40 ? text.ToString() : string.Concat(text[..40], "…");
}
