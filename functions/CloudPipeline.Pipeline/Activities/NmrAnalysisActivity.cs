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
public sealed class NmrAnalysisActivity(DatasetCatalog catalog, BlobServiceClient blobs, ArtifactStore artifacts, TimeProvider time) : TaskActivity<NmrFolder, NmrSummary>
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
        await artifacts.WriteAsync(prefix, NmrStage.Artifacts(report), ct);
        await catalog.WriteResultsAsync(Rows(input, manifest.CellId, files, report, settings, prefix), ct);
        if (files.Anchor is { } anchor)
        {
            await catalog.UpdateAsync(anchor with
            {
                Status = DatasetStatus.Completed,
                Summary = $"NMR analysed: {report.Spectrum.Count} points{(report.Peaks.Count > 0 ? $", main peak {report.Peaks[0].Ppm:0.###} ppm" : "")}",
                UpdatedAt = time.GetUtcNow(),
            }, ct);
        }
        return new NmrSummary(fingerprint, report.Spectrum.Count, report.Peaks.Count > 0 ? report.Peaks[0].Ppm : null, prefix);
    }

    private List<ResultRecord> Rows(NmrFolder input, string? cellId, NmrFolderFiles files, NmrReport report, NmrSettings settings, string prefix)
    {
        var now = time.GetUtcNow();
        string inputs = JsonSerializer.Serialize(files.Data.Values.OrderBy(d => d.Path, StringComparer.Ordinal).Select(d => new InputReference(d.BlobName, d.Sha256)));
        string folder = Keys.Escape(input.Folder.Length == 0 ? "_root" : input.Folder);
        string hash = Provenance.ParameterHash(settings);
        ResultRecord Row(string quantity, double value, string unit, string algorithm, string? text = null, double? uncertainty = null, string? flags = null) => new()
        {
            Site = input.Site,
            Experiment = input.Experiment,
            CellId = cellId,
            Technique = "nmr",
            Stage = algorithm.Split('@')[0],
            Quantity = $"{folder}:{quantity}",
            Value = value,
            Text = text,
            Unit = unit,
            Uncertainty = uncertainty,
            Algorithm = algorithm.Split('@')[0],
            Version = algorithm.Split('@')[1],
            ParameterHash = hash,
            Inputs = inputs,
            ArtifactPrefix = prefix,
            Flags = flags,
            ComputedAt = now,
        };
        var rows = new List<ResultRecord>();
        if (report.Processing is { } p)
        {
            string flags = string.Join(',', p.Flags);
            rows.Add(Row("phaseP0", p.P0, "deg", ProcessedNmr.AlgorithmVersion, report.PhaseSource, flags: flags));
            rows.Add(Row("phaseP1", p.P1, "deg", ProcessedNmr.AlgorithmVersion, report.PhaseSource, flags: flags));
        }
        if (report.VendorCorrelation is { } c)
        {
            rows.Add(Row("vendorCorrelation", c, "1", ProcessedNmr.AlgorithmVersion));
        }
        for (int k = 0; k < Math.Min(5, report.Peaks.Count); k++)
        {
            rows.Add(Row($"peak{k + 1}Ppm", report.Peaks[k].Ppm, "ppm", ProcessedNmr.AlgorithmVersion));
        }
        if (report.LiMetal is { } li)
        {
            string flags = string.Join(',', li.Flags);
            rows.Add(Row("liMetalRSquared", li.RSquared, "1", LiMetalResult.AlgorithmVersion, li.Status, flags: flags));
            rows.Add(Row("liMetalReferenceShift", li.ReferenceShiftPpm, "ppm", LiMetalResult.AlgorithmVersion, flags: flags));
            for (int k = 0; k < li.Components.Count; k++)
            {
                var comp = li.Components[k];
                rows.Add(Row($"liMetalComponent{k + 1}Ppm", comp.CentrePpm, "ppm", LiMetalResult.AlgorithmVersion, $"{comp.Label} ({li.LookupVersion})", comp.CentreSe, flags));
                rows.Add(Row($"liMetalComponent{k + 1}Fwhm", comp.FwhmPpm, "ppm", LiMetalResult.AlgorithmVersion, flags: flags));
                rows.Add(Row($"liMetalComponent{k + 1}AreaFraction", comp.AreaFraction, "1", LiMetalResult.AlgorithmVersion, "semi-quantitative", flags: flags));
            }
        }
        return rows;
    }
}
