using CloudPipeline.Storage.Events;
using System.Text.Json;
using Azure;
using CloudPipeline.Core.Formats;
using CloudPipeline.Core.Pipeline;
using CloudPipeline.Durable;
using CloudPipeline.Functions.Activities;
using CloudPipeline.Functions.Catalog;
using CloudPipeline.Functions.Hosting;
using CloudPipeline.Functions.Orchestrations;
using CloudPipeline.Storage.Blobs;

namespace CloudPipeline.Functions.Ingestion;

/// <summary>
/// Turns a BlobCreated event into a dataset: checks the idempotency key (container + name + ETag), hashes the
/// content (same content again: no new work; new content under the same name: a new dataset version), identifies
/// the format by content, rejects what no reader accepts with the reader's reason, starts the dataset's
/// orchestration, and lets the experiment's coordinator know. The raw blob is only read, never changed.
/// </summary>
public sealed class DatasetIngestor
{
    private readonly BlobContainerClient _raw;
    private readonly BlobServiceClient _blobs;
    private readonly DatasetCatalog _catalog;
    private readonly FormatRegistry _formats;
    private readonly DurableClient _durable;
    private readonly TimeProvider _time;
    private readonly ILogger<DatasetIngestor> _logger;

    /// <summary>Creates the ingestor.</summary>
    public DatasetIngestor(BlobServiceClient blobs, DatasetCatalog catalog, FormatRegistry formats, DurableClient durable, TimeProvider time, ILogger<DatasetIngestor> logger)
    {
        _blobs = blobs;
        _raw = blobs.GetBlobContainerClient(StorageLayout.RawContainer);
        _catalog = catalog;
        _formats = formats;
        _durable = durable;
        _time = time;
        _logger = logger;
    }

    /// <summary>Ingests one event. Safe to call any number of times for the same event.</summary>
    public async Task IngestAsync(BlobCreatedEvent blobEvent, CancellationToken ct)
    {
        var (container, name) = blobEvent.Blob;
        if (container != StorageLayout.RawContainer)
        {
            return;
        }
        var segments = name.Split('/', 3);
        string site = segments.Length == 3 ? segments[0] : "(unsorted)";
        string experiment = segments.Length == 3 ? segments[1] : "(unsorted)";
        string path = segments.Length == 3 ? segments[2] : name;
        string etag = blobEvent.Data.ETag;
        if (await _catalog.SeenAsync(site, experiment, path, etag, ct))
        {
            return; // duplicate event
        }

        byte[] content;
        ETag actualETag;
        try
        {
            var download = (await _raw.GetBlobClient(name).DownloadContentAsync(cancellationToken: ct)).GetRawResponse();
            content = download.Content.ToArray();
            actualETag = download.Headers.ETag ?? new ETag(etag);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            _logger.LogWarning("Blob {Name} of an event no longer exists; nothing to ingest.", name);
            return;
        }

        var now = _time.GetUtcNow();
        var dataset = new DatasetRecord
        {
            Site = site,
            Experiment = experiment,
            Path = path,
            BlobName = name,
            Sha256 = Provenance.Sha256(content),
            ETag = actualETag.ToString(),
            Size = content.Length,
            Status = DatasetStatus.Received,
            ReceivedAt = now,
            UpdatedAt = now,
        };
        if (!await _catalog.TryAddAsync(dataset, ct))
        {
            var existing = await _catalog.GetAsync(site, experiment, dataset.RowKey, ct);
            if (existing is not null && existing.Status != DatasetStatus.Received)
            {
                await _catalog.MarkSeenAsync(site, experiment, path, etag, dataset.RowKey, ct); // same content again: no new work
                return;
            }
            dataset = existing ?? dataset; // an earlier attempt stopped after recording it: carry on
        }

        if (segments.Length != 3)
        {
            await RejectAsync(dataset, $"{name}: the blob name must be {{site}}/{{experiment}}/{{file}} so the dataset can be grouped; move it under a site and experiment folder.", ct);
            await _catalog.MarkSeenAsync(site, experiment, path, etag, dataset.RowKey, ct);
            return;
        }

        IdentifiedFile identified;
        try
        {
            identified = _formats.Identify(path, content);
        }
        catch (InstrumentFileException ex)
        {
            await RejectAsync(dataset, ex.Message, ct);
            await _catalog.MarkSeenAsync(site, experiment, path, etag, dataset.RowKey, ct);
            return;
        }

        string instanceId = PipelineOrchestrations.DatasetInstanceId(site, experiment, dataset.RowKey);
        dataset = dataset with
        {
            Status = DatasetStatus.Processing,
            FormatId = identified.FormatId,
            Technique = identified.Technique,
            Role = identified.Role,
            Reader = identified.Reader,
            Summary = identified.Summary,
            InstanceId = instanceId,
            UpdatedAt = _time.GetUtcNow(),
        };
        await _catalog.UpdateAsync(dataset, ct);
        string definition = identified.Technique == "eis" ? PipelineOrchestrations.EisDataset : PipelineOrchestrations.Dataset;
        await _durable.StartAsync(definition, instanceId, JsonSerializer.Serialize(new DatasetInput(site, experiment, dataset.RowKey)), ct);
        await _catalog.MarkSeenAsync(site, experiment, path, etag, dataset.RowKey, ct);
        _logger.LogInformation("Dataset {Site}/{Experiment}/{Path} identified as {Format} ({Summary}).", site, experiment, path, identified.FormatId, identified.Summary);

        if (identified.Technique is "mri" or "electrochemistry" or "manifest")
        {
            await CoordinateMriAsync(site, experiment, ct);
        }
    }

    private async Task RejectAsync(DatasetRecord dataset, string reason, CancellationToken ct)
    {
        await _catalog.UpdateAsync(dataset with { Status = DatasetStatus.Rejected, Reason = reason, UpdatedAt = _time.GetUtcNow() }, ct);
        _logger.LogWarning("Rejected {Blob}: {Reason}", dataset.BlobName, reason);
    }

    /// <summary>
    /// Starts the experiment's MRI orchestration once it has both a profile and a polarisation record, and
    /// releases its wait when the profiles the record covers (or the manifest's maxProfiles) have all arrived.
    /// </summary>
    private async Task CoordinateMriAsync(string site, string experiment, CancellationToken ct)
    {
        var files = await ExperimentFiles.FindAsync(_catalog, _blobs, site, experiment, ct);
        if (files.Profiles.Count == 0 && files.Voltage is null)
        {
            return;
        }
        string instanceId = PipelineOrchestrations.MriInstanceId(site, experiment);
        var payload = JsonSerializer.Serialize(new ExperimentInput(site, experiment));
        await _durable.StartAsync(PipelineOrchestrations.MriDrift, instanceId, payload, ct);
        var state = await _durable.GetStateAsync(instanceId, ct);
        if (state is null || state.StepIndex > 0 || state.IsTerminal)
        {
            return; // already released (reanalysis of later uploads is a separate, versioned run)
        }

        string detail;
        bool ready = false;
        if (files.Voltage is null)
        {
            detail = $"{files.Profiles.Count} profile(s); waiting for the polarisation record";
        }
        else
        {
            ExperimentManifest manifest;
            try
            {
                manifest = await files.ReadManifestAsync(ct);
            }
            catch (InstrumentFileException ex)
            {
                await _catalog.SetExperimentAsync(new ExperimentRecord(site, experiment, "WaitingForInputs", instanceId, $"manifest invalid: {ex.Message}", _time.GetUtcNow()), ct);
                return;
            }
            int required = ExperimentFiles.RequiredProfiles(manifest, await files.ReadVoltageAsync(manifest, ct));
            ready = files.Profiles.Count >= required;
            detail = $"{files.Profiles.Count} of {required} profile(s), polarisation record present";
        }
        await _catalog.SetExperimentAsync(new ExperimentRecord(site, experiment, ready ? "Processing" : "WaitingForInputs", instanceId, detail, _time.GetUtcNow()), ct);
        if (ready)
        {
            await _durable.RaiseEventAsync(instanceId, PipelineOrchestrations.InputsReady, payload, ct);
        }
    }
}
