using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using CloudPipeline.Contracts;
using CloudPipeline.Core.Analysis.Cycler;
using CloudPipeline.Core.Formats.Cycler;
using CloudPipeline.Core.Pipeline;
using CloudPipeline.Pipeline.Catalog;
using CloudPipeline.Pipeline.Orchestrations;
using CloudPipeline.Pipeline.Telemetry;
using Microsoft.DurableTask;

namespace CloudPipeline.Pipeline.Activities;

/// <summary>
/// The cycler chain of one dataset (electrochemistry spec §3, §6): the raw blob is read once, as a stream, feeding the
/// per-cycle summary, the plots and the Battery Data Format time series (written straight to its artifact blob).
/// Results go to the Results table (record totals and a summary of the cycles; every cycle is in
/// <c>cycles.csv</c>) and the artifacts to <c>artifacts/{site}/{experiment}/cycler/{file}/{hash}/</c>; names depend
/// only on the dataset, so a rerun overwrites instead of adding.
/// </summary>
public sealed class CyclerAnalysisActivity : TaskActivity<DatasetInput, DatasetSummary>
{
    /// <summary>The activity name.</summary>
    public const string Name = "CyclerAnalysisV1";

    private readonly BlobServiceClient _blobs;
    private readonly DatasetCatalog _catalog;
    private readonly ArtifactStore _artifacts;
    private readonly TimeProvider _time;
    private readonly ExperimentReportWriter _report;

    /// <summary>Creates the activity.</summary>
    public CyclerAnalysisActivity(BlobServiceClient blobs, DatasetCatalog catalog, ArtifactStore artifacts, TimeProvider time, ExperimentReportWriter report)
    {
        _blobs = blobs;
        _catalog = catalog;
        _artifacts = artifacts;
        _time = time;
        _report = report;
    }

    /// <inheritdoc/>
    public override async Task<DatasetSummary> RunAsync(TaskActivityContext context, DatasetInput request)
    {
        using var span = PipelineTelemetry.StartWork("cycler", context.InstanceId, $"{request.Site}/{request.Experiment}/{request.DatasetRowKey}");
        var ct = CancellationToken.None;
        var dataset = await _catalog.RequireAsync(request, ct);
        var manifest = await (await ExperimentFiles.FindAsync(_catalog, _blobs, request.Site, request.Experiment, ct)).ReadManifestAsync(ct);
        var parameters = manifest.Cycler ?? new CycleSummaryParameters();
        string prefix = $"{request.Site}/{request.Experiment}/cycler/{dataset.Path}/{dataset.Sha256[..12]}/";

        var raw = _blobs.GetBlobContainerClient(StorageLayout.RawContainer).GetBlobClient(dataset.BlobName);
        var bdfBlob = _blobs.GetBlobContainerClient(StorageLayout.ArtifactsContainer).GetBlobClient(prefix + "timeseries.bdf.csv");
        CyclerReport report;
        using (var record = CyclerFormats.Open(await raw.OpenReadAsync(cancellationToken: ct), Path.GetFileName(dataset.Path)))
        {
            var options = new BlobOpenWriteOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "text/csv" } };
            await using var bdfStream = await bdfBlob.OpenWriteAsync(overwrite: true, options, ct);
            await using var bdf = new StreamWriter(bdfStream);
            report = CyclerStage.Run(record, parameters, bdf);
        }
        await _artifacts.WriteAsync(prefix, CyclerStage.Artifacts(report, [new InputReference(dataset.BlobName, dataset.Sha256)], _time.GetUtcNow(), manifest.CellId), ct);
        await _catalog.WriteResultsAsync(Rows(request, manifest.CellId, dataset, report, parameters, prefix), context.InstanceId, ct);

        var a = report.Analysis;
        string summary = $"{a.Samples} rows, {a.Cycles.Count} cycle(s){(report.IncompleteLastRow ? "; the last row is incomplete (the file ends inside it) and not used" : "")}";
        await _catalog.UpdateAsync(dataset with { Status = DatasetStatus.Completed, Summary = summary, UpdatedAt = _time.GetUtcNow() }, ct);
        await _report.WriteAsync(request.Site, request.Experiment, ct);
        return new DatasetSummary(report.File.FormatId, summary);
    }

    private List<ResultRecord> Rows(DatasetInput request, string? cellId, DatasetRecord dataset, CyclerReport report, CycleSummaryParameters parameters, string prefix)
    {
        var results = new ResultRows(request.Site, request.Experiment, cellId, "cycler", Keys.Escape(dataset.Path), Provenance.ParameterHash(parameters),
            JsonSerializer.Serialize(new[] { new InputReference(dataset.BlobName, dataset.Sha256) }), prefix, _time.GetUtcNow());
        return [.. CyclerStage.Results(report).Select(results.From)];
    }
}
