using System.Globalization;
using System.Text;
using System.Text.Json;
using CloudPipeline.Core.Analysis.Electrochemistry;
using CloudPipeline.Core.Analysis.Mri;
using CloudPipeline.Core.Formats.Electrochemistry;
using CloudPipeline.Core.Plotting;

namespace CloudPipeline.Core.Pipeline;

/// <summary>Everything the MRI drift stage computes for one experiment.</summary>
/// <param name="Drift">The drift-velocity analysis.</param>
/// <param name="Segmentation">The polarisation record's steps.</param>
/// <param name="Onset">Onset of mass-transport limitation in the first CC step, if there is one long enough.</param>
/// <param name="SandsTimeS">Sand's time (s), if the manifest gives its inputs.</param>
/// <param name="Inputs">The input files and their hashes.</param>
/// <param name="Voltage">The polarisation record analysed.</param>
/// <param name="CellId">The manifest's cell id, if any.</param>
public sealed record MriDriftReport(DriftVelocityResult Drift, Segmentation Segmentation, OnsetResult? Onset, double? SandsTimeS, IReadOnlyList<InputReference> Inputs,
    TimeSeries Voltage, string? CellId);

/// <summary>
/// The experiment-level MRI stage: drift velocities from the profile series and the polarisation record,
/// plus the record's segmentation, the onset detector and Sand's time; and the artifacts a person reads.
/// </summary>
public static class MriDriftStage
{
    /// <summary>Runs the stage with the manifest's parameters (spec defaults where it is silent).</summary>
    public static MriDriftReport Run(ProfileSeries profiles, TimeSeries voltage, ExperimentManifest manifest, IReadOnlyList<InputReference> inputs)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var parameters = EffectiveParameters(manifest);
        var ec = manifest.Electrochemistry ?? new ElectrochemistrySettings();
        var drift = DriftVelocityAnalysis.Run(profiles, voltage, parameters);
        var segmentation = StepSegmenter.Segment(voltage, new SegmentationParameters { CvSetpointV = parameters.CvSetpointV });
        var cc = segmentation.Steps.FirstOrDefault(s => s.Type == StepType.ConstantCurrent && s.DurationS > ec.Onset.SettleS);
        var onset = cc is null ? null : MassTransportOnsetDetector.Detect(voltage, cc, ec.Onset);
        double? sand = ec.Sand is { } s
            ? SandsTime.Compute(s.DiffusionM2PerS, s.DiffusionKind, s.ParticlesPerLitre, s.CurrentDensityMaPerCm2, s.AnionTransportNumber)
            : null;
        return new MriDriftReport(drift, segmentation, onset, sand, inputs, voltage, manifest.CellId);
    }

    /// <summary>
    /// The drift parameters an analysis with this manifest runs with (and whose hash its results carry): the manifest's
    /// <c>mriDrift</c> section (spec defaults where it is silent), with the electrochemistry section's CV set-point when
    /// the drift section gives none.
    /// </summary>
    public static DriftVelocityParameters EffectiveParameters(ExperimentManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var parameters = manifest.MriDrift ?? new DriftVelocityParameters();
        return manifest.Electrochemistry?.CvSetpointV is { } cv && parameters.CvSetpointV is null ? parameters with { CvSetpointV = cv } : parameters;
    }

    /// <summary>
    /// The stage's outputs: <c>velocity.csv</c> and <c>concentration.csv</c> (one row per ROI point from the
    /// plating electrode, one column per profile, no header; µm/h and mol/L), <c>metrics.json</c>, the figures
    /// (SVG and PNG): concentration and velocity maps, edge velocities and the polarisation record, each with the
    /// CC→CV switch, the onset of mass-transport limitation and Sand's time marked where they are known; and
    /// <c>report.html</c>, all of it in one self-contained page with the results table.
    /// </summary>
    /// <param name="report">The stage's result.</param>
    /// <param name="generatedAt">When (the report's date).</param>
    public static IReadOnlyList<Artifact> Artifacts(MriDriftReport report, DateTimeOffset generatedAt)
    {
        return [.. Data(report), .. HtmlReport.FiguresAndReport(Plots(report), $"MRI drift analysis, {DriftVelocityResult.AlgorithmId}@{report.Drift.AlgorithmVersion}", report.CellId,
            "19F MRI: anion drift velocity", Results(report), report.Inputs, generatedAt)];
    }

    /// <summary>The figures of <see cref="Artifacts"/>, as models (exported there; the plot tests read them).</summary>
    public static IReadOnlyList<Figure> Plots(MriDriftReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var plots = new List<Figure>();
        var d = report.Drift;
        var minutes = d.TimesS.Select(t => t / 60).ToArray();
        string subtitle = Figures.Subtitle(report.CellId, $"{DriftVelocityResult.AlgorithmId}@{d.AlgorithmVersion}");
        var events = Events(report);
        var time = new PlotAxis("t", "min");
        var x1 = new PlotAxis("x1 (0 = plating electrode)", "");
        plots.Add(new Figure("concentration-map",
            Figures.Map("Anion concentration c(x1, t)", subtitle, d.Concentration, minutes, d.X1, time, x1, new PlotAxis("c", "mol/L"), events)));
        plots.Add(new Figure("velocity-map",
            Figures.Map("Anion drift velocity v_a(x1, t)", subtitle, d.Velocity, minutes, d.X1, time, x1, new PlotAxis("v_a", "µm/h"), events)));
        plots.Add(new Figure("edge-velocities", Figures.Lines("Drift velocity at the electrodes", subtitle,
        [
            new PlotSeries("x1 = 0 (plating)", minutes, [.. d.Velocity.Select(r => r[0])]),
            new PlotSeries("x1 = 1 (counter)", minutes, [.. d.Velocity.Select(r => r[^1])]),
        ], time, new PlotAxis("v_a", "µm/h"), events)));
        var v = report.Voltage;
        plots.Add(new Figure("polarisation", Figures.Lines("Polarisation record with its steps", Figures.Subtitle(report.CellId, Segmentation.AlgorithmVersion),
            [new PlotSeries("cell voltage", [.. v.Time.Select(t => t / 60)], v.Voltage)], time, new PlotAxis("V", "V"),
            [.. report.Segmentation.Steps.Select((s, i) => new PlotEvent(s.StartTimeS / 60, $"{i + 1}: {StepName(s.Type)}")), .. events.Where(e => !e.Label.StartsWith("CC", StringComparison.Ordinal))])));
        return plots;
    }

    /// <summary>The stage's arrays and metrics (see <see cref="Artifacts"/>).</summary>
    private static List<Artifact> Data(MriDriftReport report) =>
    [
        new("velocity.csv", "text/csv", Csv(report.Drift.Velocity)),
        new("concentration.csv", "text/csv", Csv(report.Drift.Concentration)),
        new("metrics.json", "application/json", MetricsJson(report)),
    ];

    /// <summary>
    /// The stage's results, one row per quantity (velocities in µm/h, the unit written <c>um/h</c> as stored): the drift
    /// metrics of spec §5 under the drift version, the onset (and knee) of mass-transport limitation and Sand's time
    /// under their own algorithms. Every row carries the drift analysis' QC flags. The pipeline stores these rows; the
    /// CLI's report shows them.
    /// </summary>
    public static IReadOnlyList<ReportRow> Results(MriDriftReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var d = report.Drift;
        var m = d.Metrics;
        string flags = string.Join(',', d.Flags);
        string drift = $"{DriftVelocityResult.AlgorithmId}@{d.AlgorithmVersion}";
        ReportRow Row(string quantity, double value, string unit, string? text = null, string? algorithm = null) =>
            new(quantity, value, text, unit, null, null, null, algorithm ?? drift, flags);
        var rows = new List<ReportRow>
        {
            Row("vMaxAbs", m.VMaxAbs, "um/h"),
            Row("vMaxX1", m.VMaxX1, "1"),
            Row("vMaxProfileIndex", m.VMaxProfileIndex, "1"),
            Row("kCc", m.KCc, "1"),
            Row("vFirstPlating", m.First.AtPlating, "um/h"),
            Row("vFirstCounter", m.First.AtCounter, "um/h"),
            Row("vAfterCcPlating", m.AfterCc.AtPlating, "um/h"),
            Row("vAfterCcCounter", m.AfterCc.AtCounter, "um/h"),
            Row("vLastPlating", m.Last.AtPlating, "um/h"),
            Row("vLastCounter", m.Last.AtCounter, "um/h"),
            Row("spatialDiffPct", m.SpatialDiffPct, "%"),
            Row("cvChangePctPlating", m.CvChangePctPlating, "%"),
            Row("cvChangePctCounter", m.CvChangePctCounter, "%"),
            Row("profilesUsed", d.ProfileCount, "1"),
            Row("qcFlags", double.NaN, "", text: flags.Length == 0 ? "none" : flags),
        };
        if (report.Onset is { } onset)
        {
            rows.Add(Row("mtlOnsetMin", onset.OnsetS / 60, "min", onset.Censored ? "censored" : null, OnsetResult.AlgorithmVersion));
            if (onset.KneeS is { } knee)
            {
                rows.Add(Row("mtlKneeMin", knee / 60, "min", null, OnsetResult.AlgorithmVersion));
            }
        }
        if (report.SandsTimeS is { } sand)
        {
            rows.Add(Row("sandsTimeMin", sand / 60, "min", sand.ToString("F1", CultureInfo.InvariantCulture) + " s", SandsTime.AlgorithmVersion));
        }
        return rows;
    }

    /// <summary>
    /// The events a reader of the seed paper looks for, in minutes of the polarisation record (whose start is profile 0's):
    /// the CC→CV switch, the onset of mass-transport limitation (unless censored) and Sand's time after the CC step's start.
    /// </summary>
    private static List<PlotEvent> Events(MriDriftReport report)
    {
        var events = new List<PlotEvent>();
        var steps = report.Segmentation.Steps;
        var cc = steps.FirstOrDefault(s => s.Type == StepType.ConstantCurrent);
        var cv = steps.FirstOrDefault(s => s.Type == StepType.ConstantVoltage && (cc is null || s.StartTimeS >= cc.EndTimeS));
        if (cv is not null)
        {
            events.Add(new PlotEvent(cv.StartTimeS / 60, "CC→CV"));
        }
        if (report.Onset is { Censored: false } onset)
        {
            events.Add(new PlotEvent(onset.OnsetS / 60, "onset of mass-transport limitation"));
        }
        if (report.SandsTimeS is { } sand && cc is not null)
        {
            events.Add(new PlotEvent((cc.StartTimeS + sand) / 60, $"Sand's time ({sand / 60:F1} min)"));
        }
        return events;
    }

    private static string StepName(StepType type) => type switch
    {
        StepType.Ocv => "OCV",
        StepType.ConstantCurrent => "CC",
        StepType.ConstantVoltage => "CV",
        _ => type.ToString(),
    };

    /// <summary>
    /// Max |v_a| of each profile from the stage's own <c>velocity.csv</c> (one row per ROI point, one column per profile):
    /// what the EIS series draws beside R_int.
    /// </summary>
    /// <exception cref="FormatException">The text is not such a file.</exception>
    public static IReadOnlyList<double> MaxAbsPerProfile(string velocityCsv)
    {
        ArgumentNullException.ThrowIfNull(velocityCsv);
        double[]? max = null;
        foreach (string line in velocityCsv.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var cells = line.Split(',');
            max ??= new double[cells.Length];
            if (cells.Length != max.Length)
            {
                throw new FormatException($"velocity.csv: a row has {cells.Length} columns, the first had {max.Length}.");
            }
            for (int k = 0; k < cells.Length; k++)
            {
                max[k] = Math.Max(max[k], Math.Abs(double.Parse(cells[k], NumberStyles.Float, CultureInfo.InvariantCulture)));
            }
        }
        return max ?? [];
    }

    private static string Csv(double[][] field)
    {
        var sb = new StringBuilder();
        int points = field[0].Length;
        for (int j = 0; j < points; j++)
        {
            for (int k = 0; k < field.Length; k++)
            {
                if (k > 0)
                {
                    sb.Append(',');
                }
                sb.Append(field[k][j].ToString("R", CultureInfo.InvariantCulture));
            }
            sb.Append('\n');
        }
        return sb.ToString();
    }

    private static string MetricsJson(MriDriftReport report)
    {
        var d = report.Drift;
        var cc = report.Segmentation.Steps.FirstOrDefault(s => s.Type == StepType.ConstantCurrent);
        var document = new MriDriftDocument(
            DriftVelocityResult.AlgorithmId,
            d.AlgorithmVersion,
            Provenance.ParameterHash(d.Parameters),
            d.Parameters,
            report.Inputs,
            d.Metrics,
            d.Flags,
            d.Warnings,
            new MriDriftGrid(d.ProfileCount, d.FileCount, d.VoltageSamplesPerProfile, [d.RoiStart, d.RoiEnd], [d.RoiRaw.Start, d.RoiRaw.End],
                d.PositionsMm[^1] - d.PositionsMm[0], d.BulkLevel, d.Centre.I1, d.Centre.I2, d.Centre.C0),
            new MriDriftElectrochemistry(
                Segmentation.AlgorithmVersion,
                [.. report.Segmentation.Steps.Select(s => new MriDriftStep(s.Type.ToString(), s.StartIndex, s.EndIndex, s.DurationS / 60, s.Setpoint, s.EndReason.ToString()))],
                report.Segmentation.GapCount,
                report.Onset is { } o
                    ? new MriDriftOnset(OnsetResult.AlgorithmVersion, o.OnsetS / 60, o.OnsetIndex, o.MaxRateVPerH, o.ReferenceRateVPerH, o.KneeS / 60, o.Censored,
                        o.StepEndS / 60, o.StepEndReason.ToString())
                    : null,
                report.SandsTimeS / 60,
                report.Onset is { } on && report.SandsTimeS is { } sand ? (on.OnsetS - sand) / 60 : null,
                cc?.Setpoint));
        return JsonSerializer.Serialize(document, CoreJsonContext.Default.MriDriftDocument);
    }
}

/// <summary><c>metrics.json</c> of the MRI drift stage (camelCase in the file; typed, so it serialises without reflection).</summary>
internal sealed record MriDriftDocument(string Algorithm, string Version, string ParameterHash, DriftVelocityParameters Parameters,
    IReadOnlyList<InputReference> Inputs, DriftVelocityMetrics Metrics, IReadOnlyList<string> Flags, IReadOnlyList<string> Warnings,
    MriDriftGrid Grid, MriDriftElectrochemistry Electrochemistry);

/// <summary>The grid the drift analysis worked on: profile counts, ROI (oriented and raw indices), bulk level and centre.</summary>
internal sealed record MriDriftGrid(int Profiles, int Files, int VoltageSamplesPerProfile, int[] RoiOriented, int[] RoiRaw, double RoiLengthMm,
    double BulkLevel, int I1, int I2, int C0);

/// <summary>The polarisation record's segmentation, onset and Sand's time.</summary>
internal sealed record MriDriftElectrochemistry(string Segmentation, IReadOnlyList<MriDriftStep> Steps, int Gaps, MriDriftOnset? Onset,
    double? SandsTimeMin, double? OnsetMinusSandsTimeMin, double? CcCurrentA);

/// <summary>One step of the record (times in minutes).</summary>
internal sealed record MriDriftStep(string Type, int StartIndex, int EndIndex, double DurationMin, double Setpoint, string EndReason);

/// <summary>The onset of mass-transport limitation in the first CC step (times in minutes from its start).</summary>
internal sealed record MriDriftOnset(string Algorithm, double OnsetMinFromCcStart, int OnsetIndex, double MaxRateVPerH, double ReferenceRateVPerH,
    double? KneeMinFromCcStart, bool Censored, double CcEndMin, string CcEndReason);
