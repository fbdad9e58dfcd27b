using CloudPipeline.Core.Analysis.Mri;
using CloudPipeline.Core.Formats.Electrochemistry;
using CloudPipeline.Core.Formats.Mri;
using CloudPipeline.Core.Pipeline;

namespace CloudPipeline.Cli.Commands;

/// <summary>Loads the inputs of the MRI drift stage from local files.</summary>
internal static class MriInputs
{
    public static (ProfileSeries Profiles, TimeSeries Voltage, List<InputReference> Inputs) Load(DirectoryInfo profileDirectory, FileInfo voltageFile, ExperimentManifest manifest)
    {
        var inputs = new List<InputReference>();
        var profiles = new List<TopSpinProfile>();
        foreach (var file in profileDirectory.EnumerateFiles().OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            if (file.FullName == voltageFile.FullName)
            {
                continue;
            }
            var bytes = File.ReadAllBytes(file.FullName);
            var text = System.Text.Encoding.UTF8.GetString(bytes);
            if (!TopSpinProfileReader.Sniff(text.AsSpan(0, Math.Min(text.Length, 2048))))
            {
                continue;
            }
            profiles.Add(TopSpinProfileReader.Read(text, file.Name));
            inputs.Add(new InputReference(file.Name, Provenance.Sha256(bytes)));
        }
        if (profiles.Count == 0)
        {
            throw new InvalidOperationException($"{profileDirectory.FullName}: no TopSpin profile exports found (files starting with a '#' header holding 'SIZE =' and 'LEFT =').");
        }
        var voltageBytes = File.ReadAllBytes(voltageFile.FullName);
        inputs.Add(new InputReference(voltageFile.Name, Provenance.Sha256(voltageBytes)));
        var voltage = DelimitedTimeSeriesReader.Read(System.Text.Encoding.UTF8.GetString(voltageBytes), voltageFile.Name,
            DelimitedTimeSeriesLayout.ZahnerPolarisation, manifest.ElectrodeAreaCm2 ?? 1.0);
        return (ProfileSeries.Create(profiles), voltage, inputs);
    }

    public static ExperimentManifest Manifest(FileInfo? file)
    {
        if (file is null)
        {
            return new ExperimentManifest();
        }
        using var stream = file.OpenRead();
        return ExperimentManifest.Read(stream, file.Name);
    }
}
