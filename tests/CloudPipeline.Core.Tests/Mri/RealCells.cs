using CloudPipeline.Core.Analysis.Mri;
using CloudPipeline.Core.Formats.Electrochemistry;
using CloudPipeline.Core.Formats.Mri;
using CloudPipeline.Core.Pipeline;
using CloudPipeline.Testing;

namespace CloudPipeline.Core.Tests.Mri;

/// <summary>Loads the two real cells of the seed paper from ../shared/data/real/thienenkamp-mri.</summary>
internal static class RealCells
{
    public const double ElectrodeAreaCm2 = 0.2827433; // 6 mm disc

    public static string Folder(string cell) => SharedData.RealFile("thienenkamp-mri", cell);

    /// <summary>The cell's folder through the CLI's loader: every profile export and POL.txt, each with its hash.</summary>
    public static MriCellInputs Read(string cell) => MriCellFolder.Read(Folder(cell), Path.Combine(Folder(cell), "POL.txt"), ElectrodeAreaCm2);

    public static ProfileSeries Profiles(string cell) => Read(cell).Profiles;

    public static TopSpinProfile ReadProfile(string path) => TopSpinProfileReader.Read(File.ReadAllBytes(path), Path.GetFileName(path));

    public static TimeSeries Polarisation(string cell) => Read(cell).Voltage;

    public static DriftVelocityParameters Parameters(string cell) => new() { FlipProfile = cell == "Li_Li" };

    public static DriftVelocityResult Analyse(string cell, DriftVelocityParameters? parameters = null) =>
        DriftVelocityAnalysis.Run(Profiles(cell), Polarisation(cell), parameters ?? Parameters(cell));
}
