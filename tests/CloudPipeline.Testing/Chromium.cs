using System.Diagnostics;
using Xunit;

namespace CloudPipeline.Testing;

/// <summary>Headless Chromium (Debian's <c>chromium</c> package), for tests that render the HTML reports.</summary>
public static class Chromium
{
    private static readonly Lazy<string?> Executable = new(() =>
        new[] { Environment.GetEnvironmentVariable("CLOUDPIPELINE_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }
            .FirstOrDefault(p => p is { Length: > 0 } && File.Exists(p)));

    /// <summary>The browser's path, or null where it is not installed.</summary>
    public static string? Path => Executable.Value;

    /// <summary>Runs the browser headless on a local file with extra arguments; returns its standard output.</summary>
    public static async Task<string> RunAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(Path ?? throw new InvalidOperationException("Chromium is not installed."))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--allow-file-access-from-files" }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }
        start.ArgumentList.Add(new Uri(file).AbsoluteUri);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"Chromium did not finish with {file} in 2 minutes: {await error}");
        }
        return await output;
    }
}

/// <summary>A theory that needs headless Chromium and ../shared/data/real; skipped with the reason where either is absent.</summary>
public sealed class ChromiumTheoryAttribute : TheoryAttribute
{
    /// <summary>Sets the skip reason.</summary>
    public ChromiumTheoryAttribute()
    {
        if (Chromium.Path is null)
        {
            Skip = "Headless Chromium is not installed (Debian: apt-get install chromium; or set CLOUDPIPELINE_CHROMIUM), so the reports are not rendered here.";
        }
        else if (SharedData.RealDataDirectory is null)
        {
            Skip = "../shared/data/real is not beside the repository (set CLOUDPIPELINE_SHARED to the shared folder).";
        }
    }
}
