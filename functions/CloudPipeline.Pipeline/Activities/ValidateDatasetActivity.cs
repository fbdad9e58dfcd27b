using Azure.Storage.Blobs;
using CloudPipeline.Core.Formats;
using CloudPipeline.Pipeline.Catalog;
using CloudPipeline.Pipeline.Orchestrations;
using CloudPipeline.Pipeline.Storage;
using Microsoft.DurableTask;

namespace CloudPipeline.Pipeline.Activities;

/// <summary>
/// Reads a dataset's raw blob with its reader (full validation) and marks the dataset Completed. Idempotent: a
/// rerun reads the same blob and writes the same row.
/// </summary>
public sealed class ValidateDatasetActivity : TaskActivity<DatasetInput, DatasetSummary>
{
    /// <summary>The activity name.</summary>
    public const string Name = "ValidateDatasetV1";

    private readonly BlobContainerClient _raw;
    private readonly DatasetCatalog _catalog;
    private readonly FormatRegistry _formats;
    private readonly TimeProvider _time;

    /// <summary>Creates the activity.</summary>
    public ValidateDatasetActivity(BlobServiceClient blobs, DatasetCatalog catalog, FormatRegistry formats, TimeProvider time)
    {
        _raw = blobs.GetBlobContainerClient(StorageLayout.RawContainer);
        _catalog = catalog;
        _formats = formats;
        _time = time;
    }

    /// <inheritdoc/>
    public override async Task<DatasetSummary> RunAsync(TaskActivityContext context, DatasetInput input)
    {
        var dataset = await _catalog.RequireAsync(input, CancellationToken.None);
        var content = (await _raw.GetBlobClient(dataset.BlobName).DownloadContentAsync()).Value.Content.ToArray();
        var identified = _formats.Identify(dataset.Path, content);
        await _catalog.UpdateAsync(dataset with
        {
            Status = DatasetStatus.Completed,
            Summary = identified.Summary,
            Reader = identified.Reader,
            UpdatedAt = _time.GetUtcNow(),
        }, CancellationToken.None);
        return new DatasetSummary(identified.FormatId, identified.Summary);
    }
}
