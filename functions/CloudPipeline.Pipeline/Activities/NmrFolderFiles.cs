using CloudPipeline.Contracts;
using Azure.Storage.Blobs;
using CloudPipeline.Core.Formats.Nmr;
using CloudPipeline.Core.Pipeline;
using CloudPipeline.Pipeline.Catalog;
using CloudPipeline.Pipeline.Orchestrations;
using CloudPipeline.Pipeline.Storage;

namespace CloudPipeline.Pipeline.Activities;

/// <summary>
/// The catalogued files of one NMR dataset folder: the newest usable version of each path that <see cref="NmrLayout"/>
/// places in the folder, keyed by the path relative to the folder.
/// </summary>
public sealed class NmrFolderFiles
{
    private readonly BlobContainerClient _raw;

    private NmrFolderFiles(BlobContainerClient raw, string vendor, IReadOnlyDictionary<string, DatasetRecord> data, DatasetRecord? manifest)
    {
        _raw = raw;
        Vendor = vendor;
        Data = data;
        Manifest = manifest;
    }

    /// <summary>The experiment's newest usable manifest, whose settings the analysis reads.</summary>
    public DatasetRecord? Manifest { get; }

    /// <summary>The vendor layout.</summary>
    public string Vendor { get; }

    /// <summary>Data files (relative path → newest dataset), auxiliary files left out.</summary>
    public IReadOnlyDictionary<string, DatasetRecord> Data { get; }

    /// <summary>Required files still missing.</summary>
    public IReadOnlyList<string> Missing => NmrLayout.Missing(Vendor, Data.Keys.ToList());

    /// <summary>A hash of the data files' paths and content hashes and of the manifest's content (a new manifest is a new analysis).</summary>
    public string Fingerprint => Provenance.Sha256(System.Text.Encoding.UTF8.GetBytes(string.Join('\n',
        Data.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key} {kv.Value.Sha256}").Append($"manifest {Manifest?.Sha256}"))));

    /// <summary>The dataset that carries the folder's outcome.</summary>
    public DatasetRecord? Anchor => new[] { "acqus", "procpar", "acqu.par", "" }.Select(k => Data.GetValueOrDefault(k)).FirstOrDefault(d => d is not null)
        ?? (Data.Count == 1 ? Data.Values.Single() : null);

    /// <summary>Looks the folder up in the catalog.</summary>
    public static async Task<NmrFolderFiles> FindAsync(DatasetCatalog catalog, BlobServiceClient blobs, NmrFolder folder, CancellationToken ct)
    {
        var all = await catalog.ListAsync(folder.Site, folder.Experiment, ct);
        var manifest = all.Where(d => d.Role == "manifest" && d.Status is DatasetStatus.Identified or DatasetStatus.Processing or DatasetStatus.Completed).MaxBy(d => d.ReceivedAt);
        var parts = all
            .Where(d => d.Status is DatasetStatus.Identified or DatasetStatus.Processing or DatasetStatus.Completed or DatasetStatus.Failed && d.Technique == "nmr")
            .Select(d => (Dataset: d, Part: NmrLayout.Classify(d.Path, d.Role)))
            .Where(x => x.Part is { Kind: not NmrPartKind.Auxiliary } p && p.Folder == folder.Folder)
            .GroupBy(x => x.Dataset.Path)
            .Select(g => g.MaxBy(x => x.Dataset.ReceivedAt))
            .ToList();
        string vendor = parts.Select(x => x.Part!.Vendor).FirstOrDefault() ?? "bruker";
        var data = parts.ToDictionary(x => Relative(folder.Folder, x.Dataset.Path), x => x.Dataset, StringComparer.Ordinal);
        return new NmrFolderFiles(blobs.GetBlobContainerClient(StorageLayout.RawContainer), vendor, data, manifest);
    }

    /// <summary>Reads every data file once (relative path → content).</summary>
    public async Task<Dictionary<string, byte[]>> ReadAsync(CancellationToken ct)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (path, dataset) in Data)
        {
            files[path.Length == 0 ? Path.GetFileName(dataset.Path) : path] = (await _raw.GetBlobClient(dataset.BlobName).DownloadContentAsync(ct)).Value.Content.ToArray();
        }
        return files;
    }

    private static string Relative(string folder, string path) =>
        path == folder ? "" : folder.Length == 0 ? path : path[(folder.Length + 1)..];
}
