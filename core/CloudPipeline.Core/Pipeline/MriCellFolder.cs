using System.Text;
using CloudPipeline.Core.Analysis.Mri;
using CloudPipeline.Core.Formats;
using CloudPipeline.Core.Formats.Electrochemistry;
using CloudPipeline.Core.Formats.Mri;

namespace CloudPipeline.Core.Pipeline;

/// <summary>The MRI drift stage's inputs read from a local folder, each file once, with its content hash.</summary>
/// <param name="Profiles">The profile series (files in ordinal name order).</param>
/// <param name="Voltage">The polarisation record in SI units.</param>
/// <param name="Inputs">Each file used and its SHA-256, profiles first, the record last.</param>
public sealed record MriCellInputs(ProfileSeries Profiles, TimeSeries Voltage, IReadOnlyList<InputReference> Inputs);

/// <summary>Reads a cell's folder of TopSpin profile exports and its polarisation record (the CLI's local analysis).</summary>
public static class MriCellFolder
{
    /// <summary>
    /// Reads every TopSpin profile export in <paramref name="profileDirectory"/> (other files are passed over) and the
    /// polarisation record <paramref name="voltageFile"/>. Files are read, hashed and parsed in parallel, from bytes.
    /// </summary>
    /// <param name="profileDirectory">The folder of profile exports.</param>
    /// <param name="voltageFile">The Zahner polarisation record (t [h], V [V], j [mA cm⁻²]); skipped if it sits in the folder.</param>
    /// <param name="electrodeAreaCm2">Converts the current density to amperes.</param>
    /// <exception cref="InstrumentFileException">A profile or the record is malformed, or the folder holds no profile export.</exception>
    public static MriCellInputs Read(string profileDirectory, string voltageFile, double electrodeAreaCm2)
    {
        string voltagePath = Path.GetFullPath(voltageFile);
        var files = Directory.GetFiles(profileDirectory).Where(f => Path.GetFullPath(f) != voltagePath).Order(StringComparer.Ordinal).ToArray();
        var read = new (TopSpinProfile Profile, InputReference Input)?[files.Length];
        var errors = new InstrumentFileException?[files.Length];
        Parallel.For(0, files.Length, i =>
        {
            var bytes = File.ReadAllBytes(files[i]);
            string name = Path.GetFileName(files[i]);
            if (TopSpinProfileReader.Sniff(Encoding.UTF8.GetString(bytes.AsSpan(0, Math.Min(bytes.Length, 1024)))))
            {
                try
                {
                    read[i] = (TopSpinProfileReader.Read(bytes, name), new InputReference(name, Provenance.Sha256(bytes)));
                }
                catch (InstrumentFileException ex)
                {
                    errors[i] = ex;
                }
            }
        });
        // The first malformed file in name order, as a serial read would report it (not wrapped by the parallel loop).
        if (errors.FirstOrDefault(e => e is not null) is { } error)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
        }
        var profiles = read.OfType<(TopSpinProfile Profile, InputReference Input)>().ToList();
        if (profiles.Count == 0)
        {
            throw new InstrumentFileException(profileDirectory, "no TopSpin profile exports found", field: "files",
                expected: "files starting with a '#' header holding 'SIZE =' and 'LEFT ='", code: "NO_PROFILES");
        }
        var voltageBytes = File.ReadAllBytes(voltagePath);
        var voltage = DelimitedTimeSeriesReader.Read(Encoding.UTF8.GetString(voltageBytes), Path.GetFileName(voltagePath),
            DelimitedTimeSeriesLayout.ZahnerPolarisation, electrodeAreaCm2);
        return new MriCellInputs(ProfileSeries.Create(profiles.Select(p => p.Profile)),
            voltage, [.. profiles.Select(p => p.Input), new InputReference(Path.GetFileName(voltagePath), Provenance.Sha256(voltageBytes))]);
    }
}
