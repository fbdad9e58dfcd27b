using CloudPipeline.Contracts;
using System.Text;
using CloudPipeline.Core.Analysis.Mri;
using CloudPipeline.Core.Formats.Electrochemistry;
using CloudPipeline.Core.Formats.Mri;
using Azure.Storage.Blobs;
using CloudPipeline.Core.Pipeline;
using CloudPipeline.Pipeline.Catalog;
using CloudPipeline.Pipeline.Storage;

namespace CloudPipeline.Pipeline.Activities;

/// <summary>
/// The files of one experiment as the catalog knows them: the newest manifest, the newest polarisation
/// record and the newest version of each profile path (rejected datasets are ignored).
/// </summary>
public sealed class ExperimentFiles
{
    private readonly BlobContainerClient _raw;

    private ExperimentFiles(BlobContainerClient raw, DatasetRecord? manifest, DatasetRecord? voltage, IReadOnlyList<DatasetRecord> profiles)
    {
        _raw = raw;
        Manifest = manifest;
        Voltage = voltage;
        Profiles = profiles;
    }

    /// <summary>The manifest dataset, if any.</summary>
    public DatasetRecord? Manifest { get; }

    /// <summary>The polarisation record dataset, if any.</summary>
    public DatasetRecord? Voltage { get; }

    /// <summary>The profile datasets, one per path.</summary>
    public IReadOnlyList<DatasetRecord> Profiles { get; }

    /// <summary>Looks the experiment's files up in the catalog.</summary>
    public static async Task<ExperimentFiles> FindAsync(DatasetCatalog catalog, BlobServiceClient blobs, string site, string experiment, CancellationToken ct)
    {
        var usable = (await catalog.ListAsync(site, experiment, ct))
            .Where(d => d.Status is DatasetStatus.Identified or DatasetStatus.Processing or DatasetStatus.Completed)
            .ToList();
        DatasetRecord? Newest(string role) => usable.Where(d => d.Role == role).MaxBy(d => d.ReceivedAt);
        var profiles = usable.Where(d => d.Role == "profile").GroupBy(d => d.Path).Select(g => g.MaxBy(d => d.ReceivedAt)!).ToList();
        return new ExperimentFiles(blobs.GetBlobContainerClient(StorageLayout.RawContainer), Newest("manifest"), Newest("polarisation"), profiles);
    }

    /// <summary>The manifest (defaults when the experiment has none).</summary>
    public async Task<ExperimentManifest> ReadManifestAsync(CancellationToken ct)
    {
        if (Manifest is null)
        {
            return new ExperimentManifest();
        }
        using var stream = (await _raw.GetBlobClient(Manifest.BlobName).DownloadContentAsync(ct)).Value.Content.ToStream();
        return ExperimentManifest.Read(stream, Manifest.Path);
    }

    /// <summary>The polarisation record in SI units (the manifest's electrode area, 1 cm² if it has none).</summary>
    public async Task<TimeSeries> ReadVoltageAsync(ExperimentManifest manifest, CancellationToken ct)
    {
        var voltage = Voltage ?? throw new InvalidOperationException("The experiment has no polarisation record.");
        var text = (await _raw.GetBlobClient(voltage.BlobName).DownloadContentAsync(ct)).Value.Content.ToString();
        return DelimitedTimeSeriesReader.Read(text, voltage.Path, DelimitedTimeSeriesLayout.ZahnerPolarisation, manifest.ElectrodeAreaCm2 ?? 1.0);
    }

    /// <summary>The profile series.</summary>
    public async Task<ProfileSeries> ReadProfilesAsync(CancellationToken ct)
    {
        var profiles = new TopSpinProfile[Profiles.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, Profiles.Count), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (i, token) =>
        {
            var content = (await _raw.GetBlobClient(Profiles[i].BlobName).DownloadContentAsync(token)).Value.Content;
            profiles[i] = TopSpinProfileReader.Read(content.ToMemory().Span, Path.GetFileName(Profiles[i].Path));
        });
        return ProfileSeries.Create(profiles);
    }

    /// <summary>
    /// How many profiles the analysis needs before it can run: the manifest's <c>maxProfiles</c>, otherwise as
    /// many as the voltage record covers (spec S2). Null while there is no voltage record.
    /// </summary>
    public static int RequiredProfiles(ExperimentManifest manifest, TimeSeries voltage)
    {
        var p = manifest.MriDrift ?? new DriftVelocityParameters();
        if (p.MaxProfiles is { } max)
        {
            return max;
        }
        int pV = (int)Math.Round((p.ProfileDtS - p.EisWindowS) / p.VoltageDtS, MidpointRounding.AwayFromZero);
        return Math.Max((voltage.Count - 1) / pV, Math.Max(2, p.PolyOrderT + 1));
    }

    /// <summary>Input references with content hashes, for provenance.</summary>
    public IReadOnlyList<InputReference> Inputs() =>
        Profiles.Concat(new[] { Voltage, Manifest }.OfType<DatasetRecord>()).Select(d => new InputReference(d.BlobName, d.Sha256)).ToList();
}
