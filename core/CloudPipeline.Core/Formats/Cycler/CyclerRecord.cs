namespace CloudPipeline.Core.Formats.Cycler;

/// <summary>
/// One row of a cycler or potentiostat DC record in the canonical model (electrochemistry spec §1): SI units, I &gt; 0
/// means charge. Vendor counters are kept for cross-checks only; a value the file does not have is NaN (numbers) or
/// −1 (indices).
/// </summary>
/// <param name="Row">The row's 1-based line number in the file (for messages).</param>
/// <param name="TimeS">t (s) on the file's own test clock (not yet shifted to start at 0).</param>
/// <param name="VoltageV">V (V).</param>
/// <param name="CurrentA">I (A), positive for charge.</param>
/// <param name="Cycle">The vendor's cycle index, or −1.</param>
/// <param name="Step">The vendor's step index, or −1.</param>
/// <param name="StepType">The vendor's step type or state (e.g. <c>CC Chg</c>, <c>D</c>), or null.</param>
/// <param name="TemperatureC">Temperature (°C), or NaN.</param>
/// <param name="VendorChargeAh">The vendor's charge-capacity counter (Ah), or NaN.</param>
/// <param name="VendorDischargeAh">The vendor's discharge-capacity counter (Ah), or NaN.</param>
/// <param name="VendorChargeWh">The vendor's charge-energy counter (Wh), or NaN.</param>
/// <param name="VendorDischargeWh">The vendor's discharge-energy counter (Wh), or NaN.</param>
/// <param name="UnixTimeS">The row's absolute time (s since 1970-01-01 UTC) when the file states it in UTC, or NaN.</param>
/// <param name="ResistanceOhm">The vendor's internal (DC) resistance measured at this row (Ω), or NaN (vendors write 0 when they did not measure).</param>
public readonly record struct CyclerSample(int Row, double TimeS, double VoltageV, double CurrentA, int Cycle, int Step, string? StepType, double TemperatureC,
    double VendorChargeAh, double VendorDischargeAh, double VendorChargeWh, double VendorDischargeWh, double UnixTimeS, double ResistanceOhm = double.NaN);

/// <summary>What a cycler file says about itself before its rows.</summary>
/// <param name="SourceName">The file it came from.</param>
/// <param name="FormatId">The detected format, e.g. <c>neware-csv</c>.</param>
/// <param name="Reader">The reader and its version, for provenance.</param>
/// <param name="Columns">The file's own column names, in file order (all of them, mapped or not).</param>
/// <param name="Metadata">Key–value metadata from the file's preamble (procedure, channel, barcode, start), as written.</param>
/// <param name="Start">The first row's local date and time, as the file states it (no time zone), when it has one.</param>
/// <param name="HasCycles">The file has a cycle index.</param>
/// <param name="HasSteps">The file has a step index.</param>
/// <param name="HasStepTypes">The file has a step-type or state column.</param>
public sealed record CyclerFileInfo(string SourceName, string FormatId, string Reader, IReadOnlyList<string> Columns, IReadOnlyDictionary<string, string> Metadata,
    DateTime? Start, bool HasCycles, bool HasSteps, bool HasStepTypes);

/// <summary>
/// An open cycler file: its header, and its rows read lazily, one at a time, so memory stays bounded by one row
/// whatever the file's length. <see cref="Samples"/> can be enumerated once.
/// </summary>
public sealed class CyclerRecord : IDisposable
{
    private readonly IEnumerator<CyclerSample> _rows;
    private readonly IDisposable _source;
    private bool _taken;

    internal CyclerRecord(CyclerFileInfo info, Func<CyclerRecord, IEnumerator<CyclerSample>> rows, IDisposable source)
    {
        Info = info;
        _rows = rows(this);
        _source = source;
    }

    /// <summary>The file's header.</summary>
    public CyclerFileInfo Info { get; }

    /// <summary>
    /// True when the file ended inside its last row (no line terminator after it, as in a copy taken while the
    /// instrument was still writing); that row was not used. Known once <see cref="Samples"/> has been read to its end.
    /// </summary>
    public bool IncompleteLastRow { get; internal set; }

    /// <summary>The rows, in file order, each parsed when reached.</summary>
    /// <exception cref="InvalidOperationException">Enumerated a second time.</exception>
    /// <exception cref="InstrumentFileException">A row cannot be read; the message names the line and column.</exception>
    public IEnumerable<CyclerSample> Samples
    {
        get
        {
            if (_taken)
            {
                throw new InvalidOperationException("The rows of a cycler file can be read once.");
            }
            _taken = true;
            return Enumerate();
        }
    }

    private IEnumerable<CyclerSample> Enumerate()
    {
        while (_rows.MoveNext())
        {
            yield return _rows.Current;
        }
    }

    /// <summary>Closes the file (read or not).</summary>
    public void Dispose()
    {
        // Stryker disable once Statement : the row iterators own nothing (the source holds the stream); disposing one only ends it.
        _rows.Dispose();
        _source.Dispose();
    }
}
