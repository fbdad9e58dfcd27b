using Azure.Storage.Blobs;
using CloudPipeline.Pipeline.Catalog;
using CloudPipeline.Pipeline.Orchestrations;
using CloudPipeline.Pipeline.Telemetry;
using Microsoft.DurableTask;

namespace CloudPipeline.Pipeline.Activities;

/// <summary>Compares an NMR folder's catalogued files with what its vendor's reader needs (Bruker: acqus and fid).</summary>
public sealed class CheckNmrReadinessActivity(DatasetCatalog catalog, BlobServiceClient blobs) : TaskActivity<NmrFolder, NmrReadiness>
{
    /// <summary>The activity name.</summary>
    public const string Name = "CheckNmrReadinessV1";

    /// <inheritdoc/>
    public override async Task<NmrReadiness> RunAsync(TaskActivityContext context, NmrFolder input)
    {
        using var span = PipelineTelemetry.StartWork("check-nmr-readiness", context.InstanceId, $"{input.Site}/{input.Experiment}/{input.Folder}");
        var files = await NmrFolderFiles.FindAsync(catalog, blobs, input, CancellationToken.None);
        var missing = files.Missing;
        string name = input.Folder.Length == 0 ? "the experiment's NMR folder" : input.Folder;
        string detail = files.Data.Count == 0
            ? $"{name}: no data files yet"
            : missing.Count == 0
                ? $"{name}: {files.Vendor}, {files.Data.Count} data file(s) present"
                : $"{name}: {files.Vendor}, has {string.Join(", ", files.Data.Keys.Order(StringComparer.Ordinal))}; waiting for {string.Join(" and ", missing)}";
        return new NmrReadiness(files.Data.Count > 0 && missing.Count == 0, files.Fingerprint, detail, files.Anchor?.RowKey);
    }
}
