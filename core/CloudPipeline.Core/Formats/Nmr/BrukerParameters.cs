using System.Globalization;

namespace CloudPipeline.Core.Formats.Nmr;

/// <summary>
/// A Bruker parameter file (<c>acqus</c>, <c>procs</c>): <c>##$KEY= value</c> records, strings in <c>&lt;…&gt;</c>,
/// arrays as <c>(0..n)</c> followed by the values (spec §1.1). Typed look-ups name the file and key when a value is
/// missing or malformed.
/// </summary>
public sealed class BrukerParameters
{
    private readonly Dictionary<string, JcampRecord> _records;

    private BrukerParameters(string sourceName, Dictionary<string, JcampRecord> records)
    {
        SourceName = sourceName;
        _records = records;
    }

    /// <summary>The file the parameters came from.</summary>
    public string SourceName { get; }

    /// <summary>Parses a parameter file.</summary>
    /// <exception cref="InstrumentFileException">The text has no <c>##$</c> parameters.</exception>
    public static BrukerParameters Parse(string text, string sourceName)
    {
        var records = new Dictionary<string, JcampRecord>(StringComparer.Ordinal);
        foreach (var r in JcampRecords.Parse(text))
        {
            if (r.Label.StartsWith('$'))
            {
                records[r.Label[1..]] = r;
            }
        }
        if (records.Count == 0)
        {
            throw new InstrumentFileException(sourceName, "no ##$ parameters found", expected: "a Bruker parameter file (##$KEY= value lines)", code: "NOT_BRUKER_PARAMETERS");
        }
        return new BrukerParameters(sourceName, records);
    }

    /// <summary>True if the key is present.</summary>
    public bool Has(string key) => _records.ContainsKey(key);

    /// <summary>A number.</summary>
    /// <exception cref="InstrumentFileException">Missing or not a number.</exception>
    public double Number(string key) => TryNumber(key) ?? throw Missing(key, "a number");

    /// <summary>A number, or null when the key is absent.</summary>
    /// <exception cref="InstrumentFileException">Present but not a number.</exception>
    public double? TryNumber(string key)
    {
        if (!_records.TryGetValue(key, out var r))
        {
            return null;
        }
        string head = r.Head;
        if (double.TryParse(head, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
        {
            return value;
        }
        throw new InstrumentFileException(SourceName, $"'{head}' is not a number", r.Line, key, "a number", "BAD_PARAMETER");
    }

    /// <summary>An integer.</summary>
    /// <exception cref="InstrumentFileException">Missing or not an integer.</exception>
    public int Integer(string key)
    {
        double value = Number(key);
        if (value != Math.Round(value) || Math.Abs(value) > int.MaxValue)
        {
            throw new InstrumentFileException(SourceName, $"{value.ToString(CultureInfo.InvariantCulture)} is not an integer", _records[key].Line, key, "an integer", "BAD_PARAMETER");
        }
        return (int)value;
    }

    /// <summary>A string value without its angle brackets, or null when absent.</summary>
    public string? Text(string key)
    {
        if (!_records.TryGetValue(key, out var r))
        {
            return null;
        }
        string v = r.Value.Trim();
        return v.StartsWith('<') && v.EndsWith('>') ? v[1..^1] : v;
    }

    /// <summary>Every parameter's value as written (arrays on one line), for provenance.</summary>
    public IReadOnlyDictionary<string, string> All() =>
        _records.ToDictionary(kv => kv.Key, kv => kv.Value.Value.Replace('\n', ' ').Trim(), StringComparer.Ordinal);

    private InstrumentFileException Missing(string key, string what) =>
        new(SourceName, $"the parameter {key} is missing", field: key, expected: what, code: "MISSING_PARAMETER");
}
