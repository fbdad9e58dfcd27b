using System.Globalization;
using System.Text;
using System.Text.Json;
using CloudPipeline.Core.Analysis.Cycler;
using CloudPipeline.Core.Formats.Cycler;
using CloudPipeline.Core.Plotting;

namespace CloudPipeline.Core.Pipeline;

/// <summary>What the cycler chain made of one file.</summary>
/// <param name="File">The file's header.</param>
/// <param name="IncompleteLastRow">The file ended inside its last row, which was not used.</param>
/// <param name="Analysis">Integrals, steps and cycles.</param>
/// <param name="Trace">V and I against t, thinned to at most <see cref="CyclerTrace.Capacity"/> points for plots.</param>
public sealed record CyclerReport(CyclerFileInfo File, bool IncompleteLastRow, CyclerAnalysis Analysis, CyclerTrace Trace);

/// <summary>
/// V and I against t (h since the first row), thinned as rows arrive so that memory stays bounded: every row is kept
/// until <see cref="Capacity"/> are held, then every second one, and so on (each kept row is a real row).
/// </summary>
public sealed class CyclerTrace
{
    /// <summary>Most points kept.</summary>
    public const int Capacity = 4096;

    private readonly List<(double Hours, double Voltage, double Current)> _points = new(Capacity);
    private long _seen;
    private long _stride = 1;

    /// <summary>The kept points, in time order.</summary>
    public IReadOnlyList<(double Hours, double Voltage, double Current)> Points => _points;

    internal void Add(double hours, double voltage, double current)
    {
        if (_seen++ % _stride != 0)
        {
            return;
        }
        if (_points.Count == Capacity)
        {
            for (int i = 0; i < Capacity / 2; i++)
            {
                _points[i] = _points[2 * i];
            }
            _points.RemoveRange(Capacity / 2, Capacity / 2);
            _stride *= 2;
            if ((_seen - 1) % _stride != 0)
            {
                return;
            }
        }
        _points.Add((hours, voltage, current));
    }
}

/// <summary>
/// The cycler chain of one file (electrochemistry spec §1, §3, §6): one pass over its rows feeds the integration and
/// per-cycle summary, the plot trace and, when asked, the Battery Data Format time series; then the per-cycle and
/// per-step CSV, the JSON report and the plots. Used by <c>cloudpipeline analyze cycler</c>.
/// </summary>
public static class CyclerStage
{
    /// <summary>
    /// The Battery Data Format columns of the time series <see cref="Run"/> writes, in order, each with the test that
    /// decides whether a file has it (from its header and first row) and the row's value as written.
    /// </summary>
    private static readonly (string Name, Func<CyclerFileInfo, CyclerSample, bool> Present, Func<CyclerSample, double, string> Value)[] Bdf =
    [
        ("Test Time / s", (_, _) => true, (s, t0) => Number(s.TimeS - t0)),
        ("Unix Time / s", (_, first) => !double.IsNaN(first.UnixTimeS), (s, _) => Number(s.UnixTimeS)),
        ("Voltage / V", (_, _) => true, (s, _) => Number(s.VoltageV)),
        ("Current / A", (_, _) => true, (s, _) => Number(s.CurrentA)),
        ("Cycle Count / 1", (info, _) => info.HasCycles, (s, _) => s.Cycle >= 0 ? s.Cycle.ToString(CultureInfo.InvariantCulture) : ""),
        ("Step Index / 1", (info, _) => info.HasSteps, (s, _) => s.Step >= 0 ? s.Step.ToString(CultureInfo.InvariantCulture) : ""),
        ("Step Type", (info, _) => info.HasStepTypes, (s, _) => s.StepType ?? ""),
        ("Temperature T1 / degC", (_, first) => !double.IsNaN(first.TemperatureC), (s, _) => double.IsNaN(s.TemperatureC) ? "" : Number(s.TemperatureC)),
    ];

    /// <summary>Reads the record's rows once and analyses them.</summary>
    /// <param name="record">An open cycler file (its rows not yet read).</param>
    /// <param name="parameters">Integration and summary parameters; default the spec's.</param>
    /// <param name="bdf">Where to write the time series with Battery Data Format column names (CSV), or null.</param>
    /// <exception cref="Formats.InstrumentFileException">A row cannot be read.</exception>
    /// <exception cref="Analysis.AnalysisException">The file has no rows.</exception>
    public static CyclerReport Run(CyclerRecord record, CycleSummaryParameters? parameters = null, TextWriter? bdf = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        var builder = new CycleSummaryBuilder(parameters);
        var trace = new CyclerTrace();
        var info = record.Info;
        double t0 = double.NaN;
        Func<CyclerSample, double, string>[] columns = [];
        foreach (var s in record.Samples)
        {
            if (double.IsNaN(t0))
            {
                t0 = s.TimeS;
                var present = Bdf.Where(c => c.Present(info, s)).ToArray();
                columns = [.. present.Select(c => c.Value)];
                bdf?.Write(string.Join(',', present.Select(c => c.Name)) + "\n");
            }
            builder.Add(s);
            trace.Add((s.TimeS - t0) / 3600, s.VoltageV, s.CurrentA);
            if (bdf is not null)
            {
                for (int c = 0; c < columns.Length; c++)
                {
                    if (c > 0)
                    {
                        bdf.Write(',');
                    }
                    bdf.Write(columns[c](s, t0));
                }
                bdf.Write('\n');
            }
        }
        return new CyclerReport(info, record.IncompleteLastRow, builder.Finish(), trace);
    }

    /// <summary>cycles.csv, steps.csv, cycler.json and the plots (voltage and current against time; capacity and efficiency against cycle).</summary>
    /// <param name="report">The stage's result.</param>
    /// <param name="inputs">The input file with its hash (the report's provenance).</param>
    /// <param name="generatedAt">When (the report's date).</param>
    /// <param name="cellId">The manifest's cell id, if any.</param>
    public static IReadOnlyList<Artifact> Artifacts(CyclerReport report, IReadOnlyList<InputReference> inputs, DateTimeOffset generatedAt, string? cellId = null)
    {
        return [.. Data(report), .. HtmlReport.FiguresAndReport(Plots(report), $"Cycling: {report.File.SourceName}", cellId, "Steps and cycles", Results(report), inputs, generatedAt)];
    }

    /// <summary>The figures of <see cref="Artifacts"/>, as models (exported there; the plot tests read them).</summary>
    public static IReadOnlyList<Figure> Plots(CyclerReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var plots = new List<Figure>();
        var a = report.Analysis;
        string name = report.File.SourceName;
        var points = report.Trace.Points;
        double[] hours = [.. points.Select(p => p.Hours)];
        string subtitle = CyclerAnalysis.AlgorithmVersion;
        var hoursAxis = new PlotAxis("t", "h");
        plots.Add(new Figure("voltage", Figures.Lines($"Voltage: {name}", subtitle, [new PlotSeries("V", hours, [.. points.Select(p => p.Voltage)])], hoursAxis, new PlotAxis("V", "V"))));
        plots.Add(new Figure("current", Figures.Lines($"Current (charge > 0): {name}", subtitle,
            [new PlotSeries("I", hours, [.. points.Select(p => p.Current * 1e3)])], hoursAxis, new PlotAxis("I", "mA"))));
        if (a.Cycles.Count > 0)
        {
            double[] cycle = [.. a.Cycles.Select(c => (double)c.Cycle)];
            string inName = a.FirstDirection == CycleDirection.Discharge ? "discharge" : "charge";
            string outName = a.FirstDirection == CycleDirection.Discharge ? "charge" : "discharge";
            bool markers = a.Cycles.Count < 2;
            var cycleAxis = new PlotAxis("cycle", "");
            plots.Add(new Figure("capacity", Figures.Lines($"Capacity per cycle: {name}", subtitle,
            [
                new PlotSeries($"Q_in ({inName})", cycle, [.. a.Cycles.Select(c => c.QInAh * 1e3)], markers),
                new PlotSeries($"Q_out ({outName})", cycle, [.. a.Cycles.Select(c => c.QOutAh * 1e3)], markers),
            ], cycleAxis, new PlotAxis("capacity", "mAh"))));
            var withCe = a.Cycles.Where(c => c.CoulombicEfficiency is not null).ToList();
            plots.Add(new Figure("efficiency", Figures.Lines($"Coulombic efficiency Q_out/Q_in: {name}", subtitle,
                [new PlotSeries("CE", [.. withCe.Select(c => (double)c.Cycle)], [.. withCe.Select(c => c.CoulombicEfficiency!.Value * 100)], Markers: true)],
                cycleAxis, new PlotAxis("CE", "%"))));
        }
        return plots;
    }

    /// <summary>The record's tables and summary (see <see cref="Artifacts"/>).</summary>
    private static List<Artifact> Data(CyclerReport report) =>
    [
        new("cycles.csv", "text/csv", CyclesCsv(report.Analysis)),
        new("steps.csv", "text/csv", StepsCsv(report.Analysis)),
        new("cycler.json", "application/json", Json(report)),
    ];

    /// <summary>
    /// The record's results, one row per quantity: totals (rows, charge and discharge in Ah and Wh, cycles), the first and
    /// last complete cycle's capacity, retention, mean Coulombic efficiency, capacity fade, the last internal resistance
    /// and steps where the vendor's type disagrees. The pipeline stores these rows; the report shows them.
    /// </summary>
    public static IReadOnlyList<ReportRow> Results(CyclerReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        static ReportRow Row(string quantity, double value, string unit, string algorithm, string? text = null, string? flags = null) =>
            new(quantity, value, text, unit, null, null, null, algorithm, flags);
        const string algorithm = CyclerAnalysis.AlgorithmVersion;
        var a = report.Analysis;
        string recordFlags = string.Join(',', a.Flags.Concat(report.IncompleteLastRow ? ["INCOMPLETE_LAST_ROW"] : []));
        var rows = new List<ReportRow>
        {
            Row("rows", a.Samples, "1", algorithm, flags: recordFlags),
            Row("chargeAh", a.ChargeAh, "Ah", algorithm, flags: recordFlags),
            Row("dischargeAh", a.DischargeAh, "Ah", algorithm, flags: recordFlags),
            Row("chargeWh", a.ChargeWh, "Wh", algorithm, flags: recordFlags),
            Row("dischargeWh", a.DischargeWh, "Wh", algorithm, flags: recordFlags),
            Row("cycles", a.Cycles.Count, "1", algorithm, a.FirstDirection.ToString().ToLowerInvariant() + " first", flags: recordFlags),
        };
        var complete = a.Cycles.Where(c => !c.Flags.Contains("INCOMPLETE_CYCLE")).ToList();
        if (complete.Count > 0)
        {
            var first = complete[0];
            var last = complete[^1];
            rows.Add(Row("firstCompleteCycleQOutAh", first.QOutAh, "Ah", algorithm, $"cycle {first.Cycle}", flags: string.Join(',', first.Flags)));
            rows.Add(Row("lastCompleteCycleQOutAh", last.QOutAh, "Ah", algorithm, $"cycle {last.Cycle}", flags: string.Join(',', last.Flags)));
            if (last.Retention is { } retention)
            {
                rows.Add(Row("lastCompleteCycleRetention", retention, "1", algorithm, $"cycle {last.Cycle}"));
            }
            rows.Add(Row("meanCoulombicEfficiency", complete.Average(c => c.CoulombicEfficiency ?? double.NaN), "1", algorithm, $"{complete.Count} complete cycle(s)"));
        }
        if (a.Fade is { } fade)
        {
            rows.Add(Row("fadeAhPerCycle", fade.SlopeAhPerCycle, "Ah/cycle", algorithm, $"{fade.Cycles} complete cycles, R² {fade.RSquared.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)}"));
            rows.Add(Row("fadeRelativePerCycle", fade.RelativePerCycle, "1/cycle", algorithm, $"{fade.Cycles} complete cycles"));
        }
        if (complete.LastOrDefault(c => c.InternalResistanceOhm is not null) is { InternalResistanceOhm: { } resistance } withResistance)
        {
            rows.Add(Row("lastInternalResistanceOhm", resistance, "Ohm", algorithm, $"cycle {withResistance.Cycle}"));
        }
        if (a.Steps.Count(s => s.Flags.Contains("VENDOR_MISMATCH")) is > 0 and var mismatched)
        {
            rows.Add(Row("vendorMismatchSteps", mismatched, "1", algorithm, flags: "VENDOR_MISMATCH"));
        }
        return rows;
    }

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string CyclesCsv(CyclerAnalysis a)
    {
        var sb = new StringBuilder("cycle,steps,duration_s,q_in_ah,q_out_ah,e_in_wh,e_out_wh,coulombic_efficiency,energy_efficiency,mean_v_in,mean_v_out,retention,internal_resistance_ohm,flags\n");
        foreach (var c in a.Cycles)
        {
            sb.Append(CultureInfo.InvariantCulture,
                $"{c.Cycle},{c.Steps},{c.DurationS:R},{c.QInAh:R},{c.QOutAh:R},{c.EInWh:R},{c.EOutWh:R},{c.CoulombicEfficiency:R},{c.EnergyEfficiency:R},{c.MeanVoltageInV:R},{c.MeanVoltageOutV:R},{c.Retention:R},{c.InternalResistanceOhm:R},{string.Join(';', c.Flags)}\n");
        }
        return sb.ToString();
    }

    private static string StepsCsv(CyclerAnalysis a)
    {
        var sb = new StringBuilder("cycle,step,step_type,direction,first_row,last_row,samples,start_s,end_s,charge_ah,energy_wh,vendor_ah,vendor_deviation,flags\n");
        foreach (var s in a.Steps)
        {
            sb.Append(CultureInfo.InvariantCulture,
                $"{s.Cycle},{s.Step},{s.StepType},{s.Direction.ToString().ToLowerInvariant()},{s.FirstRow},{s.LastRow},{s.Samples},{s.StartS:R},{s.EndS:R},{s.ChargeAh:R},{s.EnergyWh:R},{s.VendorAh:R},{s.VendorDeviation:R},{string.Join(';', s.Flags)}\n");
        }
        return sb.ToString();
    }

    private static string Json(CyclerReport r)
    {
        var a = r.Analysis;
        var document = new CyclerDocument(r.File.SourceName, r.File.FormatId, r.File.Reader, r.File.Columns, r.File.Metadata, r.File.Start, r.IncompleteLastRow,
            CyclerAnalysis.AlgorithmVersion, a.Samples, a.DurationS, a.FirstDirection, a.ChargeAh, a.DischargeAh, a.ChargeWh, a.DischargeWh, a.InterStepChargeAh,
            a.Flags, a.Fade, a.Cycles, a.Steps);
        return JsonSerializer.Serialize(document, CoreJsonContext.Reports.CyclerDocument);
    }
}

/// <summary><c>cycler.json</c>: the file, its integrals, cycles and steps (camelCase in the file).</summary>
internal sealed record CyclerDocument(string File, string Format, string Reader, IReadOnlyList<string> Columns, IReadOnlyDictionary<string, string> Metadata,
    DateTime? Start, bool IncompleteLastRow, string Algorithm, long Samples, double DurationS, CycleDirection FirstDirection, double ChargeAh, double DischargeAh,
    double ChargeWh, double DischargeWh, double InterStepChargeAh, IReadOnlyList<string> Flags, CapacityFade? Fade, IReadOnlyList<CycleSummary> Cycles,
    IReadOnlyList<StepSummary> Steps);
