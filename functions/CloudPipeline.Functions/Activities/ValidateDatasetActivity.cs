using System.Text.Json;
using CloudPipeline.Core.Formats;
using CloudPipeline.Durable;
using CloudPipeline.Functions.Catalog;
using CloudPipeline.Functions.Hosting;
using CloudPipeline.Storage.Blobs;

namespace CloudPipeline.Functions.Activities;

/// <summary>Reads a dataset's raw blob with its reader once more (full validation) and marks it Completed.</summary>
public sealed class ValidateDatasetActivity : IActivity
{
    /// <summary>The activity name.</summary>
    public const string ActivityName = "validate-dataset";

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
    public string Name => ActivityName;

    /// <inheritdoc/>
    public async Task<string> RunAsync(ActivityContext context, string input, CancellationToken cancellationToken)
    {
        var request = JsonSerializer.Deserialize<DatasetInput>(input)!;
        var dataset = await _catalog.GetAsync(request.Site, request.Experiment, request.DatasetRowKey, cancellationToken)
                      ?? throw new InvalidOperationException($"Dataset {request.DatasetRowKey} of {request.Site}/{request.Experiment} is not in the catalog.");
        var content = (await _raw.GetBlobClient(dataset.BlobName).DownloadContentAsync(cancellationToken: cancellationToken)).Value.ToArray();
        var identified = _formats.Identify(dataset.Path, content);
        await _catalog.UpdateAsync(dataset with
        {
            Status = DatasetStatus.Completed,
            Summary = identified.Summary,
            Reader = identified.Reader,
            UpdatedAt = _time.GetUtcNow(),
        }, cancellationToken);
        return JsonSerializer.Serialize(new { dataset.BlobName, identified.FormatId, identified.Summary });
    }
}
