using System.Globalization;

namespace CloudPipeline.Core.Formats.Electrochemistry;

/// <summary>The unit of a time column.</summary>
public enum TimeUnit
{
    /// <summary>Seconds.</summary>
    Seconds,

    /// <summary>Minutes.</summary>
    Minutes,

    /// <summary>Hours.</summary>
    Hours,
}

/// <summary>The unit of a current column; densities need the electrode area.</summary>
public enum CurrentUnit
{
    /// <summary>Amperes.</summary>
    Amperes,

    /// <summary>Milliamperes.</summary>
    Milliamperes,

    /// <summary>Microamperes.</summary>
    Microamperes,

    /// <summary>mA cm⁻²: multiplied by the electrode area in cm².</summary>
    MilliamperesPerSquareCentimetre,
}

/// <summary>How to read a delimited (tab, comma, semicolon or whitespace) time series.</summary>
public sealed record DelimitedTimeSeriesLayout
{
    /// <summary>The layout of the Zahner potentiostat record <c>POL.txt</c> of the MRI cells: tab-separated, no header, t [h], V [V], j [mA cm⁻²].</summary>
    public static DelimitedTimeSeriesLayout ZahnerPolarisation { get; } = new()
    {
        TimeColumn = 0,
        VoltageColumn = 1,
        CurrentColumn = 2,
        TimeUnit = TimeUnit.Hours,
        CurrentUnit = CurrentUnit.MilliamperesPerSquareCentimetre,
    };

    /// <summary>0-based column of time.</summary>
    public int TimeColumn { get; init; }

    /// <summary>0-based column of voltage.</summary>
    public int VoltageColumn { get; init; } = 1;

    /// <summary>0-based column of current (or current density).</summary>
    public int CurrentColumn { get; init; } = 2;

    /// <summary>Unit of the time column. Default seconds.</summary>
    public TimeUnit TimeUnit { get; init; } = TimeUnit.Seconds;

    /// <summary>Unit of the current column. Default amperes.</summary>
    public CurrentUnit CurrentUnit { get; init; } = CurrentUnit.Amperes;

    /// <summary>Header lines to skip. Default 0.</summary>
    public int HeaderLines { get; init; }

    /// <summary>Multiply currents by −1 (for vendors whose sign convention is discharge-positive). Default false.</summary>
    public bool NegateCurrent { get; init; }
}

/// <summary>Reads a delimited time series into the canonical t/V/I model, converting units on ingest.</summary>
public static class DelimitedTimeSeriesReader
{
    /// <summary>The reader's version, recorded in provenance.</summary>
    public const string Version = "1.0.0";

    private static readonly System.Buffers.SearchValues<char> Separators = System.Buffers.SearchValues.Create("\t,; ");

    /// <summary>Reads the series in one pass over the text, without a string per line or field.</summary>
    /// <param name="text">The text.</param>
    /// <param name="sourceName">The file name, for errors and provenance.</param>
    /// <param name="layout">Columns and units.</param>
    /// <param name="electrodeAreaCm2">The electrode area; required when the current is a density.</param>
    /// <exception cref="InstrumentFileException">A row has too few fields or a field is not a number, time runs backwards, or the file has no rows.</exception>
    public static TimeSeries Read(ReadOnlySpan<char> text, string sourceName, DelimitedTimeSeriesLayout layout, double? electrodeAreaCm2 = null)
    {
        ArgumentNullException.ThrowIfNull(layout);
        if (layout.CurrentUnit == CurrentUnit.MilliamperesPerSquareCentimetre && electrodeAreaCm2 is not > 0)
        {
            throw new ArgumentException($"{sourceName}: the current column is a density (mA/cm²), so an electrode area (cm², > 0) is needed to convert it to amperes.", nameof(electrodeAreaCm2));
        }
        double timeScale = layout.TimeUnit switch { TimeUnit.Hours => 3600, TimeUnit.Minutes => 60, _ => 1 };
        double currentScale = layout.CurrentUnit switch
        {
            CurrentUnit.Milliamperes => 1e-3,
            CurrentUnit.Microamperes => 1e-6,
            CurrentUnit.MilliamperesPerSquareCentimetre => 1e-3 * electrodeAreaCm2!.Value,
            _ => 1,
        } * (layout.NegateCurrent ? -1 : 1);
        int needed = Math.Max(layout.TimeColumn, Math.Max(layout.VoltageColumn, layout.CurrentColumn)) + 1;

        var t = new List<double>();
        var v = new List<double>();
        var i = new List<double>();
        int lineNumber = 0;
        foreach (var line in text.EnumerateLines())
        {
            lineNumber++;
            if (lineNumber <= layout.HeaderLines || line.IsWhiteSpace())
            {
                continue;
            }
            // Fields split at any separator, runs of separators counting as one (the blanks that pad columns).
            ReadOnlySpan<char> timeField = [], voltageField = [], currentField = [];
            int fields = 0;
            var rest = line;
            while (true)
            {
                int first = rest.IndexOfAnyExcept(Separators);
                if (first < 0)
                {
                    break;
                }
                rest = rest[first..];
                int end = rest.IndexOfAny(Separators);
                var field = end < 0 ? rest : rest[..end];
                if (fields == layout.TimeColumn)
                {
                    timeField = field;
                }
                if (fields == layout.VoltageColumn)
                {
                    voltageField = field;
                }
                if (fields == layout.CurrentColumn)
                {
                    currentField = field;
                }
                fields++;
                rest = end < 0 ? [] : rest[end..];
            }
            if (fields < needed)
            {
                throw new InstrumentFileException(sourceName, $"the row has {fields} field(s)", lineNumber, null, $"at least {needed} delimited fields (time, voltage, current)", "TOO_FEW_FIELDS");
            }
            double time = Field(timeField, layout.TimeColumn, "time", sourceName, lineNumber) * timeScale;
            if (t.Count > 0 && time < t[^1])
            {
                throw new InstrumentFileException(sourceName, "time runs backwards", lineNumber, "time", "non-decreasing times", "TIME_NOT_MONOTONIC");
            }
            t.Add(time);
            v.Add(Field(voltageField, layout.VoltageColumn, "voltage", sourceName, lineNumber));
            i.Add(Field(currentField, layout.CurrentColumn, "current", sourceName, lineNumber) * currentScale);
        }
        if (t.Count == 0)
        {
            throw new InstrumentFileException(sourceName, "the file has no data rows", expected: "rows of time, voltage and current", code: "EMPTY");
        }
        double start = t[0];
        return new TimeSeries(sourceName, t.Select(x => x - start).ToArray(), v.ToArray(), i.ToArray(), start);
    }

    private static double Field(ReadOnlySpan<char> field, int column, string name, string sourceName, int line) =>
        double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value)
            ? value
            : throw new InstrumentFileException(sourceName, $"'{field}' is not a number", line, $"{name} (column {column + 1})", "a finite number with a decimal point", "NOT_A_NUMBER");
}
