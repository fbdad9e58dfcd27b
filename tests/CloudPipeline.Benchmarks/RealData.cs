namespace CloudPipeline.Benchmarks;

/// <summary>Finds ../shared/data/real upwards from the working directory (BenchmarkDotNet runs its jobs from the build output).</summary>
internal static class RealData
{
    /// <summary>The full path of a file or folder under the real-data folder, or null where it is absent.</summary>
    public static string? Find(string relative)
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared", "data", "real", relative);
            if (File.Exists(candidate) || Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }
}
