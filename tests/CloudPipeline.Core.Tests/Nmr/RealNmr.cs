using CloudPipeline.Core.Formats.Nmr;
using CloudPipeline.Testing;

namespace CloudPipeline.Core.Tests.Nmr;

/// <summary>Reads NMR datasets from ../shared/data/real, a folder's files keyed by their path under it.</summary>
internal static class RealNmr
{
    public static Dictionary<string, byte[]> Files(string relative)
    {
        string path = SharedData.RealFile(relative.Split('/'));
        if (File.Exists(path))
        {
            return new() { [Path.GetFileName(path)] = File.ReadAllBytes(path) };
        }
        return Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(path, f).Replace('\\', '/'), File.ReadAllBytes);
    }

    public static NmrDataset Read(string relative) => NmrDatasetReader.Read(relative, Files(relative));

    /// <summary>Pearson correlation (MathNet's).</summary>
    public static double Correlation(IEnumerable<double> a, IEnumerable<double> b) => MathNet.Numerics.Statistics.Correlation.Pearson(a, b);
}
