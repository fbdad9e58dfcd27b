using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using CloudPipeline.Contracts;
using CloudPipeline.Core.Pipeline;
using CloudPipeline.Core.Plotting;
using CloudPipeline.Pipeline.Catalog;

namespace CloudPipeline.Pipeline.Activities;

/// <summary>
/// Writes an experiment's report, <c>artifacts/{site}/{experiment}/report.html</c> (<see cref="HtmlReport"/>), from its
/// latest results (one section per technique, newest computation of each quantity and version) and the SVG figures under
/// those results' artifact prefixes (at most <see cref="FiguresPerTechnique"/> per technique, newest first, the series'
/// figures included). Each chain writes it again when it finishes, so it always shows what the experiment has now.
/// </summary>
public sealed class ExperimentReportWriter(DatasetCatalog catalog, BlobServiceClient blobs, TimeProvider time)
{
    /// <summary>The report's name in the experiment's artifact folder.</summary>
    public const string FileName = "report.html";

    /// <summary>Most figures one technique contributes (an EIS experiment of hundreds of spectra shows its series and its newest spectra).</summary>
    public const int FiguresPerTechnique = 12;

    private static readonly IReadOnlyDictionary<string, string> Headings = new Dictionary<string, string>
    {
        ["mri"] = "19F MRI: anion drift velocity",
        ["eis"] = "Impedance",
        ["cycler"] = "Cycling",
        ["nmr"] = "NMR",
    };

    /// <summary>Writes the report and returns its blob name.</summary>
    public async Task<string> WriteAsync(string site, string experiment, CancellationToken ct)
    {
        var artifacts = blobs.GetBlobContainerClient(StorageLayout.ArtifactsContainer);
        var latest = await catalog.ListLatestResultsAsync(site, experiment, ct);
        var sections = new List<ReportSection>();
        foreach (var technique in latest.GroupBy(r => r.Technique).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var rows = technique.OrderBy(r => r.Quantity, StringComparer.Ordinal).ThenBy(r => r.Version, StringComparer.Ordinal).ToList();
            var prefixes = rows.Where(r => r.ArtifactPrefix is { Length: > 0 }).GroupBy(r => r.ArtifactPrefix!).OrderByDescending(g => g.Max(r => r.ComputedAt)).Select(g => g.Key)
                .Prepend($"{site}/{experiment}/{technique.Key}/").Distinct(StringComparer.Ordinal);
            var figures = new List<(string, string)>();
            foreach (string prefix in prefixes)
            {
                // The technique's own folder holds only its series' figures directly; a computation's folder holds its figures.
                await foreach (var blob in artifacts.GetBlobsByHierarchyAsync(BlobTraits.None, BlobStates.None, "/", prefix, ct))
                {
                    if (figures.Count < FiguresPerTechnique && blob.IsBlob && blob.Blob.Name.EndsWith(".svg", StringComparison.Ordinal))
                    {
                        string svg = (await artifacts.GetBlobClient(blob.Blob.Name).DownloadContentAsync(ct)).Value.Content.ToString();
                        figures.Add((blob.Blob.Name[(site.Length + experiment.Length + 2)..], svg));
                    }
                }
            }
            sections.Add(new ReportSection(Headings.GetValueOrDefault(technique.Key, technique.Key), figures,
                [.. rows.Select(r => new ReportRow(r.Quantity, r.Value, r.Text, r.Unit, r.Uncertainty, r.Ci95Low, r.Ci95High, $"{r.Algorithm}@{r.Version}", r.Flags))]));
        }
        string cell = latest.Select(r => r.CellId).FirstOrDefault(c => c is { Length: > 0 }) ?? "";
        string html = HtmlReport.Render($"{site} / {experiment}", cell.Length > 0 ? $"cell {cell}" : "no cell id in the manifest", sections,
            [.. latest.SelectMany(r => r.InputFiles)], time.GetUtcNow());
        string name = $"{site}/{experiment}/{FileName}";
        await artifacts.GetBlobClient(name).UploadAsync(BinaryData.FromString(html), new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "text/html; charset=utf-8" } }, ct);
        return name;
    }
}
