using Azure;
using Azure.Storage.Blobs;
using CloudPipeline.Contracts;
using CloudPipeline.Core.Analysis.Eis;
using CloudPipeline.Core.Analysis.Mri;
using CloudPipeline.Core.Pipeline;
using CloudPipeline.Pipeline.Catalog;
using CloudPipeline.Pipeline.Orchestrations;
using CloudPipeline.Pipeline.Telemetry;
using Microsoft.DurableTask;

namespace CloudPipeline.Pipeline.Activities;

/// <summary>
/// Builds an experiment's EIS series (interphase resistance and DRT peak over time, paired with its MRI profiles)
/// from every analysed spectrum's result rows, as <c>eis-series.csv</c> and its plot under
/// <c>artifacts/{site}/{experiment}/eis/</c>. Runs once per fan-in of the experiment's orchestration, which is the
/// only writer, so no two builds race. Idempotent: a rerun writes the same files from the same rows.
/// </summary>
public sealed class EisSeriesActivity(DatasetCatalog catalog, BlobServiceClient blobs, ArtifactStore artifacts, ExperimentReportWriter report) : TaskActivity<ExperimentInput, int>
{
    /// <summary>The activity name.</summary>
    public const string Name = "EisSeriesV1";

    /// <inheritdoc/>
    public override async Task<int> RunAsync(TaskActivityContext context, ExperimentInput input)
    {
        using var span = PipelineTelemetry.StartWork("eis-series", context.InstanceId, $"{input.Site}/{input.Experiment}");
        var ct = CancellationToken.None;
        var files = await ExperimentFiles.FindAsync(catalog, blobs, input.Site, input.Experiment, ct);
        var manifest = await files.ReadManifestAsync(ct);
        var settings = manifest.Eis ?? new EisSettings();
        // The newest computation of each quantity: after a new manifest, the spectra's results with its settings.
        var rows = ResultRecord.NewestPerQuantity(await catalog.ListLatestResultsAsync(input.Site, input.Experiment, ct)).Where(r => r.Technique == "eis").ToList();
        var points = rows.GroupBy(r => r.Quantity.Split(':')[0])
            .Where(g => g.Any(r => r.Quantity.EndsWith(":drtInterphaseResistance", StringComparison.Ordinal)))
            .Select(g => new EisSeriesPoint(
                Uri.UnescapeDataString(g.Key),
                g.FirstOrDefault(r => r.Quantity.EndsWith(":startTimeS", StringComparison.Ordinal))?.Value,
                g.First(r => r.Quantity.EndsWith(":drtInterphaseResistance", StringComparison.Ordinal)).Value,
                g.FirstOrDefault(r => r.Quantity.EndsWith(":drtPeakLog10Tau", StringComparison.Ordinal))?.Value,
                g.Any(r => r.Quantity.EndsWith(":linKkVerdict", StringComparison.Ordinal) && r.Text == "pass")))
            .ToList();
        var profiles = files.Profiles.Select(p => p.Path).Order(StringComparer.Ordinal).ToList();
        var mriVMax = await MriVMaxAsync(input, manifest, ct);
        await artifacts.WriteAsync($"{input.Site}/{input.Experiment}/eis/", EisSeries.Artifacts(points, settings.SeriesIncludesKkFailures, profiles, mriVMax), ct);
        await report.WriteAsync(input.Site, input.Experiment, ct);
        return points.Count;
    }

    /// <summary>
    /// Max |v_a| per profile of the experiment's MRI analysis with the manifest's own D model (from its velocity.csv), or
    /// null when the experiment has none yet.
    /// </summary>
    private async Task<IReadOnlyList<double>?> MriVMaxAsync(ExperimentInput input, ExperimentManifest manifest, CancellationToken ct)
    {
        string version = DriftVelocityResult.VersionOf((manifest.MriDrift ?? new DriftVelocityParameters()).DModel);
        var row = await catalog.GetLatestAsync(input.Site, input.Experiment, $"mri~vMaxAbs~{DriftVelocityResult.AlgorithmId}@{version}", ct);
        if (row?.ArtifactPrefix is not { Length: > 0 } prefix)
        {
            return null;
        }
        var blob = blobs.GetBlobContainerClient(StorageLayout.ArtifactsContainer).GetBlobClient(prefix + "velocity.csv");
        try
        {
            return MriDriftStage.MaxAbsPerProfile((await blob.DownloadContentAsync(ct)).Value.Content.ToString());
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }
}
