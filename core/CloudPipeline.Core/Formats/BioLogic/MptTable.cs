using System.Globalization;
using System.Text;

namespace CloudPipeline.Core.Formats.BioLogic;

/// <summary>
/// The whole table of an EC-Lab text export (<c>.mpt</c>): every column by its header name. The line
/// <c>Nb header lines : N</c> counts the lines up to and including the column line; decimal commas (German
/// locale exports) are accepted.
/// </summary>
public static class MptTable
{
    /// <summary>The 1-based number of the column line, from the 'Nb header lines' line; null if absent.</summary>
    public static int? HeaderLineCount(IReadOnlyList<string> lines)
    {
        var line = lines.Take(5).FirstOrDefault(l => l.StartsWith("Nb header lines", StringComparison.Ordinal));
        int colon = line?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        return colon >= 0 && int.TryParse(line.AsSpan(colon + 1).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= 1 && n <= lines.Count ? n : null;
    }

    /// <summary>Reads the table; cells that are not numbers become NaN.</summary>
    public static IReadOnlyDictionary<string, double[]> Read(string fileName, byte[] content)
    {
        var lines = Encoding.Latin1.GetString(content).Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        int header = HeaderLineCount(lines) ?? throw new InstrumentFileException(fileName, "no 'Nb header lines : N' line", expected: "an EC-Lab text export", code: "NOT_MPT");
        var names = lines[header - 1].Split('\t').Select(n => n.Trim()).ToArray();
        var columns = names.Select(_ => new List<double>()).ToArray();
        foreach (var line in lines.Skip(header).Where(l => l.Trim().Length > 0))
        {
            var fields = line.Split('\t');
            for (int c = 0; c < names.Length; c++)
            {
                columns[c].Add(c < fields.Length && double.TryParse(fields[c].Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : double.NaN);
            }
        }
        var table = new Dictionary<string, double[]>(StringComparer.Ordinal);
        for (int c = 0; c < names.Length; c++)
        {
            if (names[c].Length > 0)
            {
                table.TryAdd(names[c], columns[c].ToArray());
            }
        }
        return table;
    }
}
