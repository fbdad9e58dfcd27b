using System.Globalization;
using System.Text.Json;
using CloudPipeline.Core.Analysis.Mri;
using Azure.Storage.Blobs;
using CloudPipeline.Core.Pipeline;
using CloudPipeline.Pipeline.Catalog;
using CloudPipeline.Pipeline.Orchestrations;
using CloudPipeline.Pipeline.Telemetry;
using Microsoft.DurableTask;

namespace CloudPipeline.Pipeline.Activities;

/// <summary>
/// Runs the MRI drift stage of an experiment twice, with the manifest's D model and with its counterpart
/// (published mol/L cubic ⇄ EO:Li-ratio model), so both versions' results stand side by side. Artifacts go to
/// <c>artifacts/{site}/{experiment}/mri-drift/{version}-{parameterHash}/</c>, result rows to the Results table;
/// names depend only on inputs, version and parameters, so a rerun overwrites instead of adding.
/// </summary>
public sealed class MriDriftActivity : TaskActivity<ExperimentInput, IReadOnlyList<MriDriftSummary>>
{
    /// <summary>The activity name.</summary>
    public const string Name = "MriDriftV1";

    private readonly BlobServiceClient _blobs;
    private readonly DatasetCatalog _catalog;
    private readonly ArtifactStore _artifacts;
    private readonly TimeProvider _time;

    /// <summary>Creates the activity.</summary>
    public MriDriftActivity(BlobServiceClient blobs, DatasetCatalog catalog, ArtifactStore artifacts, TimeProvider time)
    {
        _blobs = blobs;
        _catalog = catalog;
        _artifacts = artifacts;
        _time = time;
    }

    /// <inheritdoc/>
    public override async Task<IReadOnlyList<MriDriftSummary>> RunAsync(TaskActivityContext context, ExperimentInput request)
    {
        using var span = PipelineTelemetry.StartWork("mri-drift", context.InstanceId, $"{request.Site}/{request.Experiment}");
        var cancellationToken = CancellationToken.None;
        await _catalog.SetExperimentAsync(new ExperimentRecord(request.Site, request.Experiment, "Processing", context.InstanceId, "analysing", _time.GetUtcNow()), cancellationToken);

        var files = await ExperimentFiles.FindAsync(_catalog, _blobs, request.Site, request.Experiment, cancellationToken);
        var manifest = await files.ReadManifestAsync(cancellationToken);
        var voltage = await files.ReadVoltageAsync(manifest, cancellationToken);
        var profiles = await files.ReadProfilesAsync(cancellationToken);
        var inputs = files.Inputs();

        var parameters = manifest.MriDrift ?? new DriftVelocityParameters();
        var counterpart = parameters.DModel.Variable == DiffusionVariable.ConcentrationMolPerL ? DiffusionModel.EoLiRatioCorrected : DiffusionModel.Published;
        var summaries = new List<MriDriftSummary>();
        foreach (var variant in new[] { manifest, manifest with { MriDrift = parameters with { DModel = counterpart } } })
        {
            var report = MriDriftStage.Run(profiles, voltage, variant, inputs);
            string prefix = await WriteArtifactsAsync(request, report, cancellationToken);
            await _catalog.WriteResultsAsync(ResultRows(request, manifest.CellId, report, prefix), context.InstanceId, cancellationToken);
            summaries.Add(new MriDriftSummary(report.Drift.AlgorithmVersion, report.Drift.Metrics.VMaxAbs, [.. report.Drift.Flags], prefix));
        }
        await _catalog.SetExperimentAsync(new ExperimentRecord(request.Site, request.Experiment, "Completed", context.InstanceId,
            $"{profiles.Profiles.Count} profiles, {voltage.Count} voltage samples", _time.GetUtcNow()), cancellationToken);
        return summaries;
    }

    private async Task<string> WriteArtifactsAsync(ExperimentInput request, MriDriftReport report, CancellationToken ct)
    {
        string prefix = $"{request.Site}/{request.Experiment}/mri-drift/{report.Drift.AlgorithmVersion}-{Provenance.ParameterHash(report.Drift.Parameters)}/";
        await _artifacts.WriteAsync(prefix, MriDriftStage.Artifacts(report), ct);
        return prefix;
    }

    private List<ResultRecord> ResultRows(ExperimentInput request, string? cellId, MriDriftReport report, string artifactPrefix)
    {
        var d = report.Drift;
        var m = d.Metrics;
        string hash = Provenance.ParameterHash(d.Parameters);
        string inputs = JsonSerializer.Serialize(report.Inputs);
        string flags = string.Join(',', d.Flags);
        var now = _time.GetUtcNow();
        ResultRecord Row(string quantity, double value, string unit, string stage = "mri-drift", string? text = null, string? algorithm = null, string? version = null) => new()
        {
            Site = request.Site,
            Experiment = request.Experiment,
            CellId = cellId,
            Technique = "mri",
            Stage = stage,
            Quantity = quantity,
            Value = value,
            Text = text,
            Unit = unit,
            Algorithm = algorithm ?? DriftVelocityResult.AlgorithmId,
            Version = version ?? d.AlgorithmVersion,
            ParameterHash = hash,
            Inputs = inputs,
            ArtifactPrefix = artifactPrefix,
            Flags = flags,
            ComputedAt = now,
        };
        var rows = new List<ResultRecord>
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
            rows.Add(Row("mtlOnsetMin", onset.OnsetS / 60, "min", "ec-mtl-onset", onset.Censored ? "censored" : null, "ec-mtl-onset", "1.0.0"));
            if (onset.KneeS is { } knee)
            {
                rows.Add(Row("mtlKneeMin", knee / 60, "min", "ec-mtl-onset", null, "ec-mtl-onset", "1.0.0"));
            }
        }
        if (report.SandsTimeS is { } sand)
        {
            rows.Add(Row("sandsTimeMin", sand / 60, "min", "ec-sand", sand.ToString("F1", CultureInfo.InvariantCulture) + " s", "ec-sand", "1.0.0"));
        }
        return rows;
    }
}
