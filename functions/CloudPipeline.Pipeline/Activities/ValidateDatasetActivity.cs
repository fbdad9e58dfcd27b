using CloudPipeline.Contracts;
using Azure.Storage.Blobs;
using CloudPipeline.Core.Formats;
using CloudPipeline.Pipeline.Catalog;
using CloudPipeline.Pipeline.Orchestrations;
using CloudPipeline.Pipeline.Storage;
using CloudPipeline.Pipeline.Telemetry;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace CloudPipeline.Pipeline.Activities;

/// <summary>
/// Reads a dataset's raw blob with its reader (full validation) and marks the dataset Completed. Idempotent: a
/// rerun reads the same blob and writes the same row.
/// </summary>
public sealed partial class ValidateDatasetActivity : TaskActivity<DatasetInput, DatasetSummary>
{
    /// <summary>The activity name.</summary>
    public const string Name = "ValidateDatasetV1";

    private readonly BlobContainerClient _raw;
    private readonly DatasetCatalog _catalog;
    private readonly FormatRegistry _formats;
    private readonly TimeProvider _time;
    private readonly ILogger<ValidateDatasetActivity> _logger;

    /// <summary>Creates the activity.</summary>
    public ValidateDatasetActivity(BlobServiceClient blobs, DatasetCatalog catalog, FormatRegistry formats, TimeProvider time, ILogger<ValidateDatasetActivity> logger)
    {
        _logger = logger;
        _raw = blobs.GetBlobContainerClient(StorageLayout.RawContainer);
        _catalog = catalog;
        _formats = formats;
        _time = time;
    }

    /// <inheritdoc/>
    public override async Task<DatasetSummary> RunAsync(TaskActivityContext context, DatasetInput input)
    {
        using var span = PipelineTelemetry.StartWork("validate", context.InstanceId, $"{input.Site}/{input.Experiment}/{input.DatasetRowKey}");
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
        LogValidated(dataset.Site, dataset.Experiment, dataset.Path, identified.FormatId, context.InstanceId);
        return new DatasetSummary(identified.FormatId, identified.Summary);
    }

    [LoggerMessage(EventId = 1301, Level = LogLevel.Information, Message = "Dataset {Site}/{Experiment}/{Path} validated as {Format} and Completed (instance {InstanceId}).")]
    private partial void LogValidated(string site, string experiment, string path, string format, string instanceId);
}
