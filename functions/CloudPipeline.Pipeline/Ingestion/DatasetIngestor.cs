using CloudPipeline.Contracts;
using Azure;
using Azure.Storage.Blobs;
using CloudPipeline.Core.Formats;
using CloudPipeline.Core.Formats.Nmr;
using CloudPipeline.Core.Pipeline;
using CloudPipeline.Pipeline.Catalog;
using CloudPipeline.Pipeline.Orchestrations;
using CloudPipeline.Pipeline.Storage;
using CloudPipeline.Pipeline.Telemetry;
using System.Diagnostics;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CloudPipeline.Pipeline.Ingestion;

/// <summary>
/// Turns a BlobCreated event into a dataset: checks the idempotency key (container + name + ETag), hashes the
/// content (same content again: no new work; new content under the same name: a new dataset version), identifies
/// the format by content, rejects what no reader accepts with the reader's reason, starts the dataset's
/// orchestration, and tells the experiment's orchestration that a dataset arrived. The raw blob is only read.
/// </summary>
public sealed partial class DatasetIngestor
{
    private readonly BlobContainerClient _raw;
    private readonly DatasetCatalog _catalog;
    private readonly FormatRegistry _formats;
    private readonly TimeProvider _time;
    private readonly PipelineOptions _options;
    private readonly ILogger<DatasetIngestor> _logger;

    /// <summary>Creates the ingestor.</summary>
    public DatasetIngestor(BlobServiceClient blobs, DatasetCatalog catalog, FormatRegistry formats, TimeProvider time, IOptions<PipelineOptions> options, ILogger<DatasetIngestor> logger)
    {
        _raw = blobs.GetBlobContainerClient(StorageLayout.RawContainer);
        _catalog = catalog;
        _formats = formats;
        _time = time;
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>Ingests one event. Safe to call any number of times for the same event.</summary>
    /// <param name="blob">The written blob.</param>
    /// <param name="durable">The Durable Task client of the host that calls (each host has its own).</param>
    /// <param name="ct">Cancellation.</param>
    /// <returns>The orchestration instance that processes the dataset, or null when nothing was started (a duplicate, a rejection, a vanished blob).</returns>
    public async Task<string?> IngestAsync(BlobCreated blob, DurableTaskClient durable, CancellationToken ct)
    {
        if (blob.Container != StorageLayout.RawContainer)
        {
            return null;
        }
        using var span = PipelineTelemetry.Source.StartActivity("ingest", ActivityKind.Internal);
        span?.SetTag(PipelineTelemetry.BlobTag, blob.BlobName);
        var segments = blob.BlobName.Split('/', 3);
        string site = segments.Length == 3 ? segments[0] : "(unsorted)";
        string experiment = segments.Length == 3 ? segments[1] : "(unsorted)";
        string path = segments.Length == 3 ? segments[2] : blob.BlobName;
        if (blob.ETag is { } seenETag && await _catalog.SeenAsync(site, experiment, path, seenETag, ct))
        {
            return null; // duplicate event
        }

        byte[] content;
        string etag;
        try
        {
            var download = (await _raw.GetBlobClient(blob.BlobName).DownloadContentAsync(ct)).Value;
            content = download.Content.ToArray();
            etag = download.Details.ETag.ToString();
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            LogBlobGone(blob.BlobName);
            return null;
        }

        var now = _time.GetUtcNow();
        var dataset = new DatasetRecord
        {
            Site = site,
            Experiment = experiment,
            Path = path,
            BlobName = blob.BlobName,
            Sha256 = Provenance.Sha256(content),
            ETag = etag,
            Size = content.Length,
            Status = DatasetStatus.Received,
            ReceivedAt = now,
            UpdatedAt = now,
        };
        if (!await _catalog.TryAddAsync(dataset, ct))
        {
            var existing = await _catalog.GetAsync(site, experiment, dataset.RowKey, ct);
            if (existing is not null && existing.Status is not (DatasetStatus.Received or DatasetStatus.Processing))
            {
                await _catalog.MarkSeenAsync(site, experiment, path, etag, dataset.RowKey, ct); // same content again: no new work
                return null;
            }
            // An earlier attempt stopped after recording it (a host died mid-ingestion): carry on. Starting the
            // orchestration again is harmless, as its id is deterministic and an existing instance is kept.
            dataset = existing ?? dataset;
        }

        if (segments.Length != 3)
        {
            await RejectAsync(dataset, $"{blob.BlobName}: the blob name must be {{site}}/{{experiment}}/{{file}} so the dataset can be grouped; move it under a site and experiment folder.", ct);
            await _catalog.MarkSeenAsync(site, experiment, path, etag, dataset.RowKey, ct);
            return null;
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
            return null;
        }

        bool eis = identified.Technique == "eis";
        string instanceId = eis ? PipelineTasks.EisInstanceId(site, experiment) : PipelineTasks.DatasetInstanceId(site, experiment, dataset.RowKey);
        span?.SetTag(PipelineTelemetry.InstanceIdTag, instanceId);
        span?.SetTag(PipelineTelemetry.DatasetTag, $"{site}/{experiment}/{dataset.RowKey}");
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
        var experimentInput = new ExperimentOrchestrationInput(site, experiment, _options.ExperimentInputTimeout);
        if (eis)
        {
            // Spectra are analysed by the experiment's fan-out, which restarts if it had gone idle.
            await StartOnceAsync(durable, PipelineTasks.EisExperimentOrchestration, instanceId, experimentInput, restartIfEnded: true, ct);
            await durable.RaiseEventAsync(instanceId, PipelineTasks.DatasetArrivedEvent, dataset.RowKey, ct);
        }
        else if (identified.Technique == "cycler")
        {
            await StartOnceAsync(durable, PipelineTasks.CyclerDatasetOrchestration, instanceId, new DatasetInput(site, experiment, dataset.RowKey), restartIfEnded: false, ct);
        }
        else
        {
            await StartOnceAsync(durable, PipelineTasks.DatasetOrchestration, instanceId, new DatasetInput(site, experiment, dataset.RowKey), restartIfEnded: false, ct);
            if (identified.Technique == "nmr")
            {
                await SignalNmrDatasetAsync(durable, site, experiment, NmrLayout.Classify(path, identified.Role), dataset.RowKey, ct);
            }
            else if (identified.Role == "manifest")
            {
                await _catalog.Versions.RecordManifestAsync(site, experiment, dataset.Sha256, ct);
                await ReanalyseExperimentAsync(durable, experimentInput, dataset.RowKey, ct);
            }
            else
            {
                await SignalMriExperimentAsync(durable, identified, experimentInput, dataset.RowKey, ct);
            }
        }
        await _catalog.MarkSeenAsync(site, experiment, path, etag, dataset.RowKey, ct);
        LogIdentified(site, experiment, path, identified.FormatId, identified.Summary);
        return instanceId;
    }

    /// <summary>A profile or polarisation record starts the experiment's MRI orchestration (once) and tells it a dataset arrived.</summary>
    private static async Task SignalMriExperimentAsync(DurableTaskClient durable, IdentifiedFile identified, ExperimentOrchestrationInput input, string rowKey, CancellationToken ct)
    {
        if (identified.Role is not ("profile" or "polarisation"))
        {
            return;
        }
        string instanceId = PipelineTasks.MriInstanceId(input.Site, input.Experiment);
        await StartOnceAsync(durable, PipelineTasks.MriExperimentOrchestration, instanceId, input, restartIfEnded: false, ct);
        await durable.RaiseEventAsync(instanceId, PipelineTasks.DatasetArrivedEvent, rowKey, ct);
    }

    /// <summary>
    /// A manifest that arrives after its experiment's data, or a new one that replaces it, has every analysis of the
    /// experiment run again with it: the MRI experiment (started again if it had finished, told if it waits for inputs),
    /// the EIS experiment (every spectrum again, then the series), each cycler dataset and each NMR folder. Results made
    /// with other parameters stay beside the new ones (a result's key carries its parameter hash). Techniques without
    /// data yet have nothing to run; their data, when it comes, is analysed with this manifest.
    /// </summary>
    private async Task ReanalyseExperimentAsync(DurableTaskClient durable, ExperimentOrchestrationInput input, string manifestKey, CancellationToken ct)
    {
        var datasets = (await _catalog.ListAsync(input.Site, input.Experiment, ct))
            .Where(d => d.Status is DatasetStatus.Identified or DatasetStatus.Processing or DatasetStatus.Completed or DatasetStatus.Failed).ToList();
        if (datasets.Any(d => d.Role is "profile" or "polarisation"))
        {
            string mri = PipelineTasks.MriInstanceId(input.Site, input.Experiment);
            await StartOnceAsync(durable, PipelineTasks.MriExperimentOrchestration, mri, input, restartIfEnded: true, ct);
            await durable.RaiseEventAsync(mri, PipelineTasks.DatasetArrivedEvent, manifestKey, ct);
        }
        var spectra = datasets.Where(d => d.Technique == "eis").Select(d => d.RowKey).ToList();
        if (spectra.Count > 0)
        {
            // A fresh instance analyses the spectra it is told of; one that still runs has analysed them already, and
            // the marker asks it to analyse every one again.
            string eis = PipelineTasks.EisInstanceId(input.Site, input.Experiment);
            await StartOnceAsync(durable, PipelineTasks.EisExperimentOrchestration, eis, input, restartIfEnded: true, ct);
            foreach (string key in spectra.Append(PipelineTasks.ReanalyseEvery))
            {
                await durable.RaiseEventAsync(eis, PipelineTasks.DatasetArrivedEvent, key, ct);
            }
        }
        foreach (var cycler in datasets.Where(d => d.Technique == "cycler"))
        {
            await StartOnceAsync(durable, PipelineTasks.CyclerDatasetOrchestration, PipelineTasks.DatasetInstanceId(input.Site, input.Experiment, cycler.RowKey),
                new DatasetInput(input.Site, input.Experiment, cycler.RowKey), restartIfEnded: true, ct);
        }
        var nmrParts = datasets.Where(d => d.Technique == "nmr").Select(d => (Dataset: d, Part: NmrLayout.Classify(d.Path, d.Role)))
            .Where(x => x.Part is { Kind: not NmrPartKind.Auxiliary });
        foreach (var folder in nmrParts.GroupBy(x => x.Part!.Folder, StringComparer.Ordinal))
        {
            await SignalNmrDatasetAsync(durable, input.Site, input.Experiment, folder.First().Part, folder.First().Dataset.RowKey, ct);
        }
        LogReanalysing(input.Site, input.Experiment, manifestKey);
    }

    /// <summary>
    /// A part of an NMR folder (or a JCAMP-DX file) starts the folder's orchestration (again, if it had finished) and
    /// tells it a part arrived; an auxiliary vendor file is kept but starts nothing.
    /// </summary>
    private async Task SignalNmrDatasetAsync(DurableTaskClient durable, string site, string experiment, NmrPart? part, string rowKey, CancellationToken ct)
    {
        if (part is null || part.Kind == NmrPartKind.Auxiliary)
        {
            return;
        }
        string instanceId = PipelineTasks.NmrInstanceId(site, experiment, part.Folder);
        await StartOnceAsync(durable, PipelineTasks.NmrDatasetOrchestration, instanceId, new NmrOrchestrationInput(site, experiment, part.Folder, _options.ExperimentInputTimeout), restartIfEnded: true, ct);
        await durable.RaiseEventAsync(instanceId, PipelineTasks.DatasetArrivedEvent, rowKey, ct);
    }

    /// <summary>
    /// Starts an orchestration under its deterministic id unless it exists (a duplicate event finds the instance it
    /// started). With <paramref name="restartIfEnded"/>, an instance that has finished is started afresh.
    /// </summary>
    private static async Task StartOnceAsync(DurableTaskClient durable, string orchestrator, string instanceId, object input, bool restartIfEnded, CancellationToken ct)
    {
        var existing = await durable.GetInstanceAsync(instanceId, ct);
        if (existing is not null && !(restartIfEnded && existing.IsCompleted))
        {
            return;
        }
        try
        {
            // Dedupe statuses make the storage provider refuse a second start of a live instance atomically: several
            // hosts (or parallel events of one experiment) can pass the look-up above at once, and two start
            // messages for one instance would leave it stuck between them.
            var options = new StartOrchestrationOptions(instanceId).WithDedupeStatuses(restartIfEnded ? LiveStatuses : AllStatuses);
            await durable.ScheduleNewOrchestrationInstanceAsync(orchestrator, input, options, ct);
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            // Another host may have started it between the look-up and the start: the one instance is what counts.
            if (await durable.GetInstanceAsync(instanceId, ct) is not { IsCompleted: false })
            {
                throw;
            }
        }
    }

    private static readonly OrchestrationRuntimeStatus[] LiveStatuses =
        [OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Suspended];

    private static readonly OrchestrationRuntimeStatus[] AllStatuses =
        [.. LiveStatuses, OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated];

    private async Task RejectAsync(DatasetRecord dataset, string reason, CancellationToken ct)
    {
        await _catalog.UpdateAsync(dataset with { Status = DatasetStatus.Rejected, Reason = reason, UpdatedAt = _time.GetUtcNow() }, ct);
        LogRejected(dataset.BlobName, reason);
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Dataset {Site}/{Experiment}/{Path} identified as {Format} ({Summary}).")]
    private partial void LogIdentified(string site, string experiment, string path, string format, string summary);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "Rejected {Blob}: {Reason}")]
    private partial void LogRejected(string blob, string reason);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Information, Message = "Manifest {Manifest} of {Site}/{Experiment}: the experiment's analyses run again with it.")]
    private partial void LogReanalysing(string site, string experiment, string manifest);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning, Message = "Blob {Name} of an event no longer exists; nothing to ingest.")]
    private partial void LogBlobGone(string name);
}
