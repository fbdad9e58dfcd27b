using CloudPipeline.Contracts;
using System.Text.Json;
using Azure.Storage.Blobs;
using CloudPipeline.Core.Analysis.Eis;
using CloudPipeline.Core.Formats.Eis;
using CloudPipeline.Core.Pipeline;
using CloudPipeline.Pipeline.Catalog;
using CloudPipeline.Pipeline.Orchestrations;
using CloudPipeline.Pipeline.Storage;
using CloudPipeline.Pipeline.Telemetry;
using Microsoft.DurableTask;

namespace CloudPipeline.Pipeline.Activities;

/// <summary>
/// The EIS chain of one spectrum dataset: Lin-KK validation, DRT, and the manifest's circuit fit if it names one.
/// Results go to the Results table (one row per quantity, fitted parameters with their standard errors) and
/// eis.json with the Nyquist, Bode and DRT plots to <c>artifacts/{site}/{experiment}/eis/{file}/{hash}/</c>. Names
/// depend only on the dataset, so a rerun overwrites instead of adding. The experiment's series is built by
/// <see cref="EisSeriesActivity"/> once the experiment's orchestration has fanned in.
/// </summary>
public sealed class EisSpectrumActivity : TaskActivity<DatasetInput, IReadOnlyList<EisSpectrumSummary>>
{
    /// <summary>The activity name.</summary>
    public const string Name = "EisSpectrumV1";

    private readonly BlobServiceClient _blobs;
    private readonly DatasetCatalog _catalog;
    private readonly ArtifactStore _artifacts;
    private readonly TimeProvider _time;

    /// <summary>Creates the activity.</summary>
    public EisSpectrumActivity(BlobServiceClient blobs, DatasetCatalog catalog, ArtifactStore artifacts, TimeProvider time)
    {
        _blobs = blobs;
        _catalog = catalog;
        _artifacts = artifacts;
        _time = time;
    }


    /// <inheritdoc/>
    public override async Task<IReadOnlyList<EisSpectrumSummary>> RunAsync(TaskActivityContext context, DatasetInput request)
    {
        using var span = PipelineTelemetry.StartWork("eis-spectrum", context.InstanceId, $"{request.Site}/{request.Experiment}/{request.DatasetRowKey}");
        var cancellationToken = CancellationToken.None;
        var dataset = await _catalog.RequireAsync(request, cancellationToken);
        var manifest = await (await ExperimentFiles.FindAsync(_catalog, _blobs, request.Site, request.Experiment, cancellationToken)).ReadManifestAsync(cancellationToken);
        var settings = manifest.Eis ?? new EisSettings();
        var content = (await _blobs.GetBlobContainerClient(StorageLayout.RawContainer).GetBlobClient(dataset.BlobName).DownloadContentAsync(cancellationToken)).Value.Content.ToArray();
        var spectrum = EisFormats.Read(Path.GetFileName(dataset.Path), content);
        if (settings.CapacitiveOnly)
        {
            spectrum = EisPreprocessing.KeepCapacitiveOnly(spectrum);
        }
        var drt = new DrtParameters { Lambda = settings.DrtLambda, ElectrodeAreaCm2 = manifest.ElectrodeAreaCm2, Symmetric = manifest.CellType == "symmetric" };

        // A file with repeated sweeps gives one spectrum (and one result set) per sweep.
        var sweeps = EisPreprocessing.SplitSweeps(spectrum);
        var summaries = new List<EisSpectrumSummary>();
        for (int k = 0; k < sweeps.Count; k++)
        {
            var sweep = sweeps[k];
            var report = EisStage.Run(sweep, settings.Circuit, settings.InitialGuess, drt);
            string label = sweeps.Count == 1 ? dataset.Path : $"{dataset.Path}#{k + 1}";
            string prefix = $"{request.Site}/{request.Experiment}/eis/{label}/{dataset.Sha256[..12]}/";
            await _artifacts.WriteAsync(prefix, EisStage.Artifacts(report, [new InputReference(dataset.BlobName, dataset.Sha256)], _time.GetUtcNow(), manifest.CellId), cancellationToken);
            await _catalog.WriteResultsAsync(Rows(request, manifest.CellId, dataset, label, report, settings, prefix), context.InstanceId, cancellationToken);
            summaries.Add(new EisSpectrumSummary(label, report.Validation.Passed, report.Drt.InterphaseResistance, prefix));
        }
        await _catalog.UpdateAsync(dataset with
        {
            Status = DatasetStatus.Completed,
            Summary = sweeps.Count == 1 ? $"{spectrum.Count} points" : $"{spectrum.Count} points in {sweeps.Count} sweeps",
            UpdatedAt = _time.GetUtcNow(),
        }, cancellationToken);
        return summaries;
    }

    private List<ResultRecord> Rows(DatasetInput request, string? cellId, DatasetRecord dataset, string label, EisReport report, EisSettings settings, string prefix)
    {
        var results = new ResultRows(request.Site, request.Experiment, cellId, "eis", Keys.Escape(label), Provenance.ParameterHash(settings),
            JsonSerializer.Serialize(new[] { new InputReference(dataset.BlobName, dataset.Sha256) }), prefix, _time.GetUtcNow());
        return [.. EisStage.Results(report).Select(results.From)];
    }
}
