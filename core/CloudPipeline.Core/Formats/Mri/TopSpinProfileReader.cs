using System.Globalization;
using System.Text.RegularExpressions;

namespace CloudPipeline.Core.Formats.Mri;

/// <summary>
/// Reads TopSpin 1D text exports: <c>#</c> header lines with <c>LEFT = … ppm. RIGHT = … ppm.</c>,
/// <c>SIZE = n</c> and <c>Data set = name EXPNO PROCNO path</c>, then one intensity per line.
/// </summary>
public static partial class TopSpinProfileReader
{
    /// <summary>The reader's version, recorded in provenance.</summary>
    public const string Version = "1.0.0";

    /// <summary>True if the text starts like a TopSpin 1D export (a <c>#</c> header with <c>SIZE =</c> and <c>LEFT =</c>).</summary>
    public static bool Sniff(ReadOnlySpan<char> head) =>
        head.TrimStart().StartsWith("#", StringComparison.Ordinal) &&
        head.Contains("SIZE =", StringComparison.Ordinal) && head.Contains("LEFT =", StringComparison.Ordinal);

    /// <summary>Reads a profile.</summary>
    /// <exception cref="InstrumentFileException">A header field is missing or malformed, a value is not a finite non-negative number, or the count differs from SIZE.</exception>
    public static TopSpinProfile Read(TextReader reader, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(reader);
        double? left = null, right = null;
        int? size = null, expNo = null, procNo = null;
        string? dataSet = null;
        var values = new List<double>(256);
        int lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            var text = line.Trim();
            if (text.Length == 0)
            {
                continue;
            }
            if (text[0] == '#')
            {
                if (LeftRight().Match(text) is { Success: true } lr)
                {
                    left = ParseHeaderNumber(lr.Groups["left"].Value, sourceName, lineNumber, "LEFT");
                    right = ParseHeaderNumber(lr.Groups["right"].Value, sourceName, lineNumber, "RIGHT");
                }
                else if (SizeLine().Match(text) is { Success: true } s)
                {
                    size = (int)ParseHeaderNumber(s.Groups["size"].Value, sourceName, lineNumber, "SIZE");
                }
                else if (DataSetLine().Match(text) is { Success: true } d)
                {
                    dataSet = d.Groups["name"].Value;
                    expNo = int.Parse(d.Groups["expno"].Value, CultureInfo.InvariantCulture);
                    procNo = int.Parse(d.Groups["procno"].Value, CultureInfo.InvariantCulture);
                }
                continue;
            }
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
            {
                throw new InstrumentFileException(sourceName, $"'{Shorten(text)}' is not a number", lineNumber, "intensity", "one finite intensity per line", "NOT_A_NUMBER");
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

    private static double ParseHeaderNumber(string text, string sourceName, int line, string field) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            ? value
            : throw new InstrumentFileException(sourceName, $"'{text}' is not a number", line, field, "a number with a decimal point", "BAD_HEADER");

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    [GeneratedRegex(@"LEFT\s*=\s*(?<left>[-+0-9.eE]+)\s*ppm\.?\s*RIGHT\s*=\s*(?<right>[-+0-9.eE]+)\s*ppm", RegexOptions.CultureInvariant)]
    private static partial Regex LeftRight();

    [GeneratedRegex(@"SIZE\s*=\s*(?<size>[0-9]+)", RegexOptions.CultureInvariant)]
    private static partial Regex SizeLine();

    [GeneratedRegex(@"Data set\s*=\s*(?<name>\S+)\s+(?<expno>[0-9]+)\s+(?<procno>[0-9]+)", RegexOptions.CultureInvariant)]
    private static partial Regex DataSetLine();
}
