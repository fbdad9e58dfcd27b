using CloudPipeline.Azurite;
using Xunit;

namespace CloudPipeline.Testing;

/// <summary>
/// One real Azurite process for a test run: free loopback ports, a fresh temporary data folder, started
/// once by xunit's collection fixture and always stopped (and its folder removed) at the end.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private AzuriteProcess? _azurite;

    /// <summary>The running instance.</summary>
    public AzuriteProcess Azurite => _azurite ?? throw new InvalidOperationException("Azurite has not started.");

    /// <summary>The connection string of the running instance.</summary>
    public string ConnectionString => Azurite.ConnectionString;

    /// <inheritdoc/>
    public async Task InitializeAsync()
    {
        string data = Path.Combine(Path.GetTempPath(), "cloudpipeline-tests-" + Guid.NewGuid().ToString("N")[..12]);
        _azurite = await AzuriteProcess.StartAsync(new AzuriteOptions
        {
            DataDirectory = data,
            BlobPort = 0,
            QueuePort = 0,
            TablePort = 0,
            StartupTimeout = TimeSpan.FromMinutes(3),
            InMemory = true, // nothing needs to outlive the run, and disk persistence is most of Azurite's work

        });
    }

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        if (_azurite is null)
        {
            return;
        }
        string data = _azurite.DataDirectory;
        await _azurite.DisposeAsync();
        try
        {
            Directory.Delete(data, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    /// <summary>A unique lowercase name for a container, queue or table of one test.</summary>
    public static string UniqueName(string prefix) => (prefix + Guid.NewGuid().ToString("N")[..10]).ToLowerInvariant();
}
