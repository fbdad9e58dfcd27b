using System.Globalization;
using System.Text;
using CloudPipeline.Core.Formats.BioLogic;

namespace CloudPipeline.Core.Tests.Eis;

/// <summary>
/// Every column of an EC-Lab text export by its header name, the oracle an .mpr is compared with. Cells that are not
/// numbers become NaN; decimal commas (German locale exports) are accepted.
/// </summary>
internal static class MptExportTable
{
    public static IReadOnlyDictionary<string, double[]> Read(string path)
    {
        var lines = File.ReadAllText(path, Encoding.Latin1).Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        int header = MptHeader.ColumnLineNumber(lines) ?? throw new InvalidDataException($"{path}: not an EC-Lab text export");
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
