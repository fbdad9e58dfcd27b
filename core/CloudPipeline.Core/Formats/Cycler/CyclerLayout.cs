namespace CloudPipeline.Core.Formats.Cycler;

/// <summary>How a time column is written.</summary>
internal enum TimeText
{
    /// <summary>Seconds as a number.</summary>
    Seconds,

    /// <summary>Minutes as a number.</summary>
    Minutes,

    /// <summary>Hours as a number.</summary>
    Hours,

    /// <summary><c>h:mm:ss[.fff]</c>, hours not limited to 24 (<c>144:02:18</c>).</summary>
    HoursMinutesSeconds,
}

/// <summary>
/// One vendor export, as data: how to find its column line, which of its columns map to the canonical model and in
/// which units. One reader (<see cref="CyclerFormats"/>) serves every layout.
/// </summary>
internal sealed record CyclerLayout
{
    /// <summary>The format id.</summary>
    public required string Id { get; init; }

    /// <summary>
    /// The index of the column line, from the first lines of the file (the index may lie beyond them when the file's
    /// header says how long it is), or −1 when the file is not of this layout.
    /// </summary>
    public required Func<IReadOnlyList<string>, int> FindColumnLine { get; init; }

    /// <summary>The field separator.</summary>
    public char Delimiter { get; init; } = ',';

    /// <summary>
    /// Neware's hierarchical export: line 1 names the cycle rows' columns, line 2 (after one separator) the step rows',
    /// line 3 (after two) the records'; a cycle row may carry its first step row on the same line. Records take their
    /// cycle, step index and step type from the rows above them. <see cref="FindColumnLine"/> gives the record line.
    /// </summary>
    public bool Hierarchical { get; init; }

    /// <summary>Data rows start this many lines after the column line (a blank line follows it in some exports).</summary>
    public int RowsAfterColumnLine { get; init; } = 1;

    /// <summary>
    /// Every line of a complete file ends with a line break, so a last line without one is a copy taken mid-write and is
    /// not used. When false (the vendor omits the final line break), only a last line with fewer fields than the column
    /// line is taken for cut.
    /// </summary>
    // Stryker disable once Boolean : the layouts are built once per test process, so Stryker cannot switch this default per mutant; set to false by hand, the Arbin cut test of CyclerTextRulesTests fails.
    public bool EndsWithLineBreak { get; init; } = true;

    /// <summary>A number may be written with a decimal comma (an export made in a German locale); tried when the invariant reading fails.</summary>
    public bool AllowDecimalComma { get; init; }

    /// <summary>The test-time column and how it is written. Here and below, <c>a|b</c> names alternatives, the first present is used.</summary>
    public required string Time { get; init; }

    /// <summary>How <see cref="Time"/> is written.</summary>
    public TimeText TimeText { get; init; }

    /// <summary>The voltage column (V).</summary>
    public required string Voltage { get; init; }

    /// <summary>The current column, signed with charge positive unless <see cref="State"/> gives the sign.</summary>
    public required string Current { get; init; }

    /// <summary>Amperes per unit of the current column (1e-3 for mA).</summary>
    public double CurrentScale { get; init; } = 1;

    /// <summary>A file without the current column is read with I = 0 (an open-circuit record).</summary>
    public bool CurrentOptional { get; init; }

    /// <summary>Ampere-hours per unit of the capacity counters (1e-3 for mA·h).</summary>
    public double CapacityScale { get; init; } = 1;

    /// <summary>Cycle index column.</summary>
    public string? Cycle { get; init; }

    /// <summary>Step index column.</summary>
    public string? Step { get; init; }

    /// <summary>Step type or state column (kept as text).</summary>
    public string? StepType { get; init; }

    /// <summary>A state column whose <c>C</c>/<c>D</c> gives the current's sign (the current column may be unsigned).</summary>
    public string? State { get; init; }

    /// <summary>The first column whose name starts with this is the temperature (°C).</summary>
    public string? TemperaturePrefix { get; init; }

    /// <summary>Vendor charge-capacity counter (Ah).</summary>
    public string? ChargeAh { get; init; }

    /// <summary>Vendor discharge-capacity counter (Ah).</summary>
    public string? DischargeAh { get; init; }

    /// <summary>Vendor charge-energy counter (Wh).</summary>
    public string? ChargeWh { get; init; }

    /// <summary>Vendor discharge-energy counter (Wh).</summary>
    public string? DischargeWh { get; init; }

    /// <summary>An unsigned per-step capacity counter (Ah), credited to charge or discharge by the current's sign.</summary>
    public string? StepCapacityAh { get; init; }

    /// <summary>An unsigned per-step energy counter (Wh), credited to charge or discharge by the current's sign.</summary>
    public string? StepEnergyWh { get; init; }

    /// <summary>The vendor's internal (DC) resistance column in Ω, written when the cycler measured it (0 otherwise).</summary>
    public string? Resistance { get; init; }

    /// <summary>A column of absolute times in Unix seconds (UTC).</summary>
    public string? UnixTime { get; init; }

    /// <summary>A column of local date-times, of which the first row's is the record's start.</summary>
    public string? LocalDateTime { get; init; }

    /// <summary>Formats of <see cref="LocalDateTime"/> (invariant culture).</summary>
    public string[] LocalDateTimeFormats { get; init; } = [];

    /// <summary>Key–value metadata from the lines before the column line.</summary>
    public Func<IReadOnlyList<string>, IReadOnlyDictionary<string, string>> Metadata { get; init; } = _ => new Dictionary<string, string>();
}
