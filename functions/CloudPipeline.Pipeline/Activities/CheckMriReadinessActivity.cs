using Azure.Storage.Blobs;
using CloudPipeline.Core.Formats;
using CloudPipeline.Pipeline.Catalog;
using CloudPipeline.Pipeline.Orchestrations;
using CloudPipeline.Pipeline.Telemetry;
using Microsoft.DurableTask;

namespace CloudPipeline.Pipeline.Activities;

/// <summary>
/// Compares an MRI experiment's catalogued files with what the analysis needs: a polarisation record and the
/// profiles it covers (or the manifest's <c>maxProfiles</c>). The record and manifest are read only until the
/// required count is known; the orchestration passes the count back in. Writes the experiment row
/// (WaitingForInputs with what is missing, or Processing).
/// </summary>
public sealed class CheckMriReadinessActivity(DatasetCatalog catalog, BlobServiceClient blobs, TimeProvider time) : TaskActivity<MriReadinessRequest, MriReadiness>
{
    /// <summary>The activity name.</summary>
    public const string Name = "CheckMriReadinessV1";

    /// <inheritdoc/>
    public override async Task<MriReadiness> RunAsync(TaskActivityContext context, MriReadinessRequest input)
    {
        using var span = PipelineTelemetry.StartWork("check-mri-readiness", context.InstanceId, $"{input.Site}/{input.Experiment}");
        var ct = CancellationToken.None;
        var files = await ExperimentFiles.FindAsync(catalog, blobs, input.Site, input.Experiment, ct);
        MriReadiness readiness;
        if (files.Voltage is null)
        {
            readiness = new MriReadiness(false, null, $"{files.Profiles.Count} profile(s); waiting for the polarisation record");
        }
        else
        {
            int? required = input.RequiredProfiles;
            if (required is null)
            {
                try
                {
                    var manifest = await files.ReadManifestAsync(ct);
                    required = ExperimentFiles.RequiredProfiles(manifest, await files.ReadVoltageAsync(manifest, ct));
                }
                catch (InstrumentFileException ex)
                {
                    readiness = new MriReadiness(false, null, $"waiting for a valid manifest or record: {ex.Message}");
                    await RecordAsync(input, readiness, ct);
                    return readiness;
                }
            }
            bool ready = files.Profiles.Count >= required;
            readiness = new MriReadiness(ready, required, $"{files.Profiles.Count} of {required} profile(s), polarisation record present");
        }
        await RecordAsync(input, readiness, ct);
        return readiness;
    }

    private Task RecordAsync(MriReadinessRequest input, MriReadiness readiness, CancellationToken ct) =>
        catalog.SetExperimentAsync(new ExperimentRecord(input.Site, input.Experiment, readiness.Ready ? "Processing" : "WaitingForInputs",
            input.InstanceId, readiness.Detail, time.GetUtcNow()), ct);
}
