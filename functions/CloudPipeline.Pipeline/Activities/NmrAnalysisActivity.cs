using System.Text.Json;
using Azure.Storage.Blobs;
using CloudPipeline.Core.Analysis.Nmr;
using CloudPipeline.Core.Formats.Nmr;
using CloudPipeline.Core.Pipeline;
using CloudPipeline.Pipeline.Catalog;
using CloudPipeline.Pipeline.Orchestrations;
using CloudPipeline.Pipeline.Telemetry;
using Microsoft.DurableTask;

namespace CloudPipeline.Pipeline.Activities;

/// <summary>
/// The NMR chain of one dataset folder: reads each of its data files once, processes (the vendor's processing when the
/// folder has <c>procs</c>, else the manifest's or automatic phasing), picks peaks and, when the manifest asks for it,
/// runs the ⁷Li Li-metal analysis. Results go to the Results table (one row per quantity, with the input hashes), and
/// nmr.json, spectrum.csv and the plots to <c>artifacts/{site}/{experiment}/nmr/{folder}/{fingerprint}/</c>.
/// </summary>
public sealed class NmrAnalysisActivity(DatasetCatalog catalog, BlobServiceClient blobs, ArtifactStore artifacts, TimeProvider time, ExperimentReportWriter reports)
    : TaskActivity<NmrFolder, NmrSummary>
{
    /// <summary>The activity name.</summary>
    public const string Name = "NmrAnalysisV1";

    /// <inheritdoc/>
    public override async Task<NmrSummary> RunAsync(TaskActivityContext context, NmrFolder input)
    {
        using var span = PipelineTelemetry.StartWork("nmr-analysis", context.InstanceId, $"{input.Site}/{input.Experiment}/{input.Folder}");
        var ct = CancellationToken.None;
        var files = await NmrFolderFiles.FindAsync(catalog, blobs, input, ct);
        var manifest = await (await ExperimentFiles.FindAsync(catalog, blobs, input.Site, input.Experiment, ct)).ReadManifestAsync(ct);
        var settings = manifest.Nmr ?? new NmrSettings();
        string name = input.Folder.Length == 0 ? input.Experiment : input.Folder;
        var dataset = NmrDatasetReader.Read(name, await files.ReadAsync(ct));
        var report = NmrStage.Run(dataset, settings);
        string fingerprint = files.Fingerprint;
        string prefix = $"{input.Site}/{input.Experiment}/nmr/{(input.Folder.Length == 0 ? "_root" : input.Folder)}/{fingerprint[..12]}/";
        await artifacts.WriteAsync(prefix, NmrStage.Artifacts(report, [.. files.Data.Values.OrderBy(d => d.Path, StringComparer.Ordinal).Select(d => new InputReference(d.BlobName, d.Sha256))],
            time.GetUtcNow(), manifest.CellId), ct);
        await catalog.WriteResultsAsync(Rows(input, manifest.CellId, files, report, settings, prefix), context.InstanceId, ct);
        await artifacts.WriteAsync($"{input.Site}/{input.Experiment}/nmr/", NmrStage.SeriesArtifacts(Series(ResultRecord.NewestPerQuantity(await catalog.ListLatestResultsAsync(input.Site, input.Experiment, ct)))), ct);
        if (files.Anchor is { } anchor)
        {
            await catalog.UpdateAsync(anchor with
            {
                Status = DatasetStatus.Completed,
                Summary = $"NMR analysed: {report.Spectrum.Count} points{(report.Peaks.Count > 0 ? $", main peak {report.Peaks[0].Ppm:0.###} ppm" : "")}",
                UpdatedAt = time.GetUtcNow(),
            }, ct);
        }
        await reports.WriteAsync(input.Site, input.Experiment, ct);
        return new NmrSummary(fingerprint, report.Spectrum.Count, report.Peaks.Count > 0 ? report.Peaks[0].Ppm : null, prefix);
    }

    /// <summary>
    /// The experiment's series from its NMR result rows (every analysed folder, this one included): acquisition time
    /// and the Li-metal component centres, or the highest peak. Rebuilt after each analysis; two folders analysed at
    /// the same moment may each miss the other's point until the next analysis rebuilds it.
    /// </summary>
    private static List<NmrSeriesPoint> Series(IReadOnlyList<ResultRecord> results)
    {
        var byFolder = results.Where(r => r.Technique == "nmr" && r.Quantity.Contains(':', StringComparison.Ordinal))
            .GroupBy(r => r.Quantity[..r.Quantity.LastIndexOf(':')]);
        var points = new List<NmrSeriesPoint>();
        foreach (var folder in byFolder)
        {
            var rows = folder.ToDictionary(r => r.Quantity[(r.Quantity.LastIndexOf(':') + 1)..], StringComparer.Ordinal);
            var components = Enumerable.Range(1, 8).Select(k => rows.GetValueOrDefault($"liMetalComponent{k}Ppm")).TakeWhile(r => r is not null).Select(r => r!).ToList();
            if (components.Count == 0 && rows.GetValueOrDefault("peak1Ppm") is { } peak)
            {
                components.Add(peak);
            }
            DateTimeOffset? acquired = rows.GetValueOrDefault("acquiredAt") is { } a ? DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(a.Value * 1000)) : null;
            points.Add(new NmrSeriesPoint(Uri.UnescapeDataString(folder.Key), acquired, components.Select(c => c.Value).ToList(), components.Select(c => c.Text ?? "").ToList()));
        }
        return points;
    }

    private List<ResultRecord> Rows(NmrFolder input, string? cellId, NmrFolderFiles files, NmrReport report, NmrSettings settings, string prefix)
    {
        var results = new ResultRows(input.Site, input.Experiment, cellId, "nmr", Keys.Escape(input.Folder.Length == 0 ? "_root" : input.Folder), Provenance.ParameterHash(settings),
            JsonSerializer.Serialize(files.Data.Values.OrderBy(d => d.Path, StringComparer.Ordinal).Select(d => new InputReference(d.BlobName, d.Sha256))), prefix, time.GetUtcNow());
        return [.. NmrStage.Results(report).Select(results.From)];
    }
}
