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
    private readonly ExperimentReportWriter _report;
    private readonly ILogger<MriDriftActivity> _logger;

    /// <summary>Creates the activity.</summary>
    public MriDriftActivity(BlobServiceClient blobs, DatasetCatalog catalog, ArtifactStore artifacts, TimeProvider time, StageVersions versions, ExperimentReportWriter report,
        ILogger<MriDriftActivity> logger)
    {
        _blobs = blobs;
        _catalog = catalog;
        _artifacts = artifacts;
        _time = time;
        _versions = versions;
        _report = report;
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
        await _report.WriteAsync(request.Site, request.Experiment, cancellationToken);
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
        await _artifacts.WriteAsync(prefix, MriDriftStage.Artifacts(report, _time.GetUtcNow()), ct);
        return prefix;
    }

    /// <summary>The stage's results (<see cref="MriDriftStage.Results"/>) as rows with the experiment's provenance.</summary>
    private List<ResultRecord> ResultRows(ExperimentInput request, string? cellId, MriDriftReport report, string artifactPrefix)
    {
        string hash = Provenance.ParameterHash(report.Drift.Parameters);
        string inputs = JsonSerializer.Serialize(report.Inputs);
        var now = _time.GetUtcNow();
        return [.. MriDriftStage.Results(report).Select(r =>
        {
            int at = r.Algorithm.IndexOf('@', StringComparison.Ordinal);
            string name = r.Algorithm[..at];
            return new ResultRecord
            {
                Site = request.Site,
                Experiment = request.Experiment,
                CellId = cellId,
                Technique = "mri",
                Stage = name == DriftVelocityResult.AlgorithmId ? "mri-drift" : name,
                Quantity = r.Quantity,
                Value = r.Value,
                Text = r.Text,
                Unit = r.Unit,
                Algorithm = name,
                Version = r.Algorithm[(at + 1)..],
                ParameterHash = hash,
                Inputs = inputs,
                ArtifactPrefix = artifactPrefix,
                Flags = r.Flags,
                ComputedAt = now,
            };
        })];
    }
}
