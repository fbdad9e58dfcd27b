using CloudPipeline.Core.Analysis.Mri;
using CloudPipeline.Core.Formats.Electrochemistry;
using CloudPipeline.Core.Formats.Mri;
using CloudPipeline.Testing;

namespace CloudPipeline.Core.Tests.Mri;

/// <summary>Loads the two real cells of the seed paper from ../shared/data/real/thienenkamp-mri.</summary>
internal static class RealCells
{
    public const double ElectrodeAreaCm2 = 0.2827433; // 6 mm disc

    public static string Folder(string cell) => SharedData.RealFile("thienenkamp-mri", cell);

    public static ProfileSeries Profiles(string cell) =>
        ProfileSeries.Create(Directory.GetFiles(Folder(cell), "MRI*.txt").Select(ReadProfile));

    public static TopSpinProfile ReadProfile(string path) => TopSpinProfileReader.Read(File.ReadAllText(path), Path.GetFileName(path));

    public static TimeSeries Polarisation(string cell) =>
        DelimitedTimeSeriesReader.Read(File.ReadAllText(Path.Combine(Folder(cell), "POL.txt")), "POL.txt", DelimitedTimeSeriesLayout.ZahnerPolarisation, ElectrodeAreaCm2);

    public static DriftVelocityParameters Parameters(string cell) => new() { FlipProfile = cell == "Li_Li" };

    public static DriftVelocityResult Analyse(string cell, DriftVelocityParameters? parameters = null) =>
        DriftVelocityAnalysis.Run(Profiles(cell), Polarisation(cell), parameters ?? Parameters(cell));
}
