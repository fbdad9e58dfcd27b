using Xunit;

namespace CloudPipeline.Testing;

/// <summary>
/// Locates <c>../shared/data/real</c> (real instrument files kept outside the repository). The folder is
/// found by walking up from the test binaries, or from the <c>CLOUDPIPELINE_SHARED</c> variable.
/// </summary>
public static class SharedData
{
    private static readonly Lazy<string?> Root = new(Find);

    /// <summary>The real-data folder, or null if it is not beside the repository.</summary>
    public static string? RealDataDirectory => Root.Value;

    /// <summary>The full path of a file under the real-data folder.</summary>
    public static string RealFile(params string[] relative) =>
        Path.Combine([RealDataDirectory ?? throw new InvalidOperationException("../shared/data/real is not available."), .. relative]);

    /// <summary>The repository root (the folder with CloudPipeline.sln).</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "CloudPipeline.sln")))
                {
                    return dir.FullName;
                }
            }
            throw new InvalidOperationException("CloudPipeline.sln not found above the test binaries.");
        }
    }

    private static string? Find()
    {
        if (Environment.GetEnvironmentVariable("CLOUDPIPELINE_SHARED") is { Length: > 0 } configured)
        {
            string real = Path.Combine(configured, "data", "real");
            return Directory.Exists(real) ? real : null;
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared", "data", "real");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }
}

/// <summary>A fact that needs <c>../shared/data/real</c>; it is skipped, with the reason shown, where that folder is absent. In CI it is always present.</summary>
public sealed class RealDataFactAttribute : FactAttribute
{
    /// <summary>Sets the skip reason when the data folder is missing.</summary>
    public RealDataFactAttribute()
    {
        if (SharedData.RealDataDirectory is null)
        {
            Skip = "../shared/data/real is not beside the repository (set CLOUDPIPELINE_SHARED to the shared folder).";
        }
    }
}

/// <summary>A theory that needs <c>../shared/data/real</c>; skipped with a reason where it is absent.</summary>
public sealed class RealDataTheoryAttribute : TheoryAttribute
{
    /// <summary>Sets the skip reason when the data folder is missing.</summary>
    public RealDataTheoryAttribute()
    {
        if (SharedData.RealDataDirectory is null)
        {
            Skip = "../shared/data/real is not beside the repository (set CLOUDPIPELINE_SHARED to the shared folder).";
        }
    }
}
