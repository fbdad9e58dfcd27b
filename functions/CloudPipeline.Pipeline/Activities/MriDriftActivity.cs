using System.Globalization;
using System.Text.Json;
using CloudPipeline.Core.Analysis.Mri;
using Azure.Storage.Blobs;
using CloudPipeline.Core.Pipeline;
using CloudPipeline.Pipeline.Catalog;
using CloudPipeline.Pipeline.Orchestrations;
using CloudPipeline.Pipeline.Telemetry;
using CloudPipeline.Pipeline.Campaigns;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace CloudPipeline.Pipeline.Activities;

/// <summary>
/// Runs the MRI drift stage of an experiment with the manifest's D model and with each other version the host computes
/// side by side (<see cref="StageVersions.MriDrift"/>: by default the published mol/L cubic and the EO:Li-ratio model),
/// so the versions' results stand side by side. Artifacts go to
/// <c>artifacts/{site}/{experiment}/mri-drift/{version}-{parameterHash}/</c>, result rows to the Results table;
/// names depend only on inputs, version and parameters, so a rerun overwrites instead of adding. A version whose
/// results are already stored for the same inputs and parameters is not computed again (an activity redelivered after
/// a crash, a campaign that adds a version): its stored summary is returned.
/// </summary>
public sealed partial class MriDriftActivity : TaskActivity<ExperimentInput, IReadOnlyList<MriDriftSummary>>
{
    /// <summary>The activity name.</summary>
    public const string Name = "MriDriftV1";

    private readonly BlobServiceClient _blobs;
    private readonly DatasetCatalog _catalog;
    private readonly ArtifactStore _artifacts;
    private readonly TimeProvider _time;
    private readonly StageVersions _versions;
    private readonly ILogger<MriDriftActivity> _logger;

    /// <summary>Creates the activity.</summary>
    public MriDriftActivity(BlobServiceClient blobs, DatasetCatalog catalog, ArtifactStore artifacts, TimeProvider time, StageVersions versions, ILogger<MriDriftActivity> logger)
    {
        _blobs = blobs;
        _catalog = catalog;
        _artifacts = artifacts;
        _time = time;
        _versions = versions;
        _logger = logger;
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

        string inputsJson = JsonSerializer.Serialize(inputs);
        var summaries = new List<MriDriftSummary>();
        foreach (var variant in Variants(manifest))
        {
            var parameters = MriDriftStage.EffectiveParameters(variant);
            string version = DriftVelocityResult.VersionOf(parameters.DModel);
            string hash = Provenance.ParameterHash(parameters);
            var stored = await _catalog.GetLatestAsync(request.Site, request.Experiment, $"mri~vMaxAbs~{DriftVelocityResult.AlgorithmId}@{version}", cancellationToken);
            if (stored is not null && stored.ParameterHash == hash && stored.Inputs == inputsJson)
            {
                await _catalog.Versions.RecordAsync([stored], cancellationToken); // in case a crash came between the results and their index
                LogAlreadyStored(request.Site, request.Experiment, DriftVelocityResult.AlgorithmId, version, hash);
                summaries.Add(new MriDriftSummary(version, stored.Value, [.. (stored.Flags ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)], stored.ArtifactPrefix ?? ""));
                continue;
            }
            var report = MriDriftStage.Run(profiles, voltage, variant, inputs);
            string prefix = await WriteArtifactsAsync(request, report, cancellationToken);
            await _catalog.WriteResultsAsync(ResultRows(request, manifest.CellId, report, prefix), context.InstanceId, cancellationToken);
            LogAnalysed(request.Site, request.Experiment, DriftVelocityResult.AlgorithmId, version, hash, report.Drift.Metrics.VMaxAbs);
            summaries.Add(new MriDriftSummary(report.Drift.AlgorithmVersion, report.Drift.Metrics.VMaxAbs, [.. report.Drift.Flags], prefix));
        }
        await _catalog.SetExperimentAsync(new ExperimentRecord(request.Site, request.Experiment, "Completed", context.InstanceId,
            $"{profiles.Profiles.Count} profiles, {voltage.Count} voltage samples", _time.GetUtcNow()), cancellationToken);
        return summaries;
    }

    /// <summary>The manifest as it is, then with each other side-by-side version's standard D model.</summary>
    private IEnumerable<ExperimentManifest> Variants(ExperimentManifest manifest)
    {
        yield return manifest;
        var parameters = manifest.MriDrift ?? new DriftVelocityParameters();
        string own = DriftVelocityResult.VersionOf(parameters.DModel);
        foreach (string version in _versions.MriDrift.Where(v => v != own))
        {
            yield return manifest with { MriDrift = parameters with { DModel = DriftVelocityResult.StandardModel(version)! } };
        }
    }

    [LoggerMessage(EventId = 2601, Level = LogLevel.Information, Message = "Analysed {Site}/{Experiment} with {Algorithm}@{Version} (parameters {ParameterHash}): v_max {VMaxAbs:F1} um/h.")]
    private partial void LogAnalysed(string site, string experiment, string algorithm, string version, string parameterHash, double vMaxAbs);

    [LoggerMessage(EventId = 2602, Level = LogLevel.Information, Message = "{Site}/{Experiment} already has {Algorithm}@{Version} results for these inputs and parameters {ParameterHash}; kept, not computed again.")]
    private partial void LogAlreadyStored(string site, string experiment, string algorithm, string version, string parameterHash);

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
