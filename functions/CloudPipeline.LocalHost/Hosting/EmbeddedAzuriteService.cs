using CloudPipeline.Azurite;
using CloudPipeline.Pipeline;
using Microsoft.Extensions.Options;

namespace CloudPipeline.LocalHost.Hosting;

/// <summary>
/// Starts Azurite when the host is configured for development storage and nothing listens on the development
/// ports, and stops that process (only that one) when the host stops. An Azurite left behind by a host that was
/// killed (SIGKILL) is adopted: this host stops it on exit.
/// </summary>
internal sealed partial class EmbeddedAzuriteService(IOptions<PipelineOptions> pipeline, IOptions<AzuriteSettings> settings, ILogger<EmbeddedAzuriteService> logger)
    : IHostedService, IAsyncDisposable
{
    private AzuriteProcess? _azurite;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var options = settings.Value;
        if (!pipeline.Value.Storage.ConnectionString.Replace(" ", "", StringComparison.Ordinal).Contains("UseDevelopmentStorage=true", StringComparison.OrdinalIgnoreCase)
            || pipeline.Value.Storage.AccountName is not null || !options.AutoStart)
        {
            return;
        }
        string data = options.DataDirectory ?? DefaultDataDirectory();
        if (await AzuriteProcess.IsListeningAsync(10000, 10001, 10002, cancellationToken))
        {
            _azurite = AzuriteProcess.TryAdoptOrphan(data, 10000, 10001, 10002);
            if (_azurite is null)
            {
                LogUsingRunning();
            }
            else
            {
                LogAdopted(_azurite.ProcessId);
            }
            return;
        }
        LogStarting();
        _azurite = await AzuriteProcess.StartAsync(new AzuriteOptions
        {
            InstallDirectory = options.InstallDirectory,
            DataDirectory = data,
            Log = line => LogAzurite(line),
            StartupTimeout = TimeSpan.FromMinutes(5),
        }, cancellationToken);
        LogStarted(_azurite.ProcessId, _azurite.DataDirectory);
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        if (_azurite is { } azurite)
        {
            _azurite = null;
            int pid = azurite.ProcessId;
            await azurite.DisposeAsync();
            LogStopped(pid);
        }
    }

    /// <summary><c>.azurite</c> in the repository root when running from it, else beside the host.</summary>
    private static string DefaultDataDirectory()
    {
        string install = AzuriteProcess.FindInstallDirectory();
        return Path.GetFileName(install) == "azurite"
            ? Path.Combine(AppContext.BaseDirectory, ".azurite")
            : Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(install))!, ".azurite");
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Development storage is already listening on 127.0.0.1:10000-10002; using it.")]
    private partial void LogUsingRunning();

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Adopted Azurite (pid {Pid}) left running by a host that was killed; it stops when this host stops.")]
    private partial void LogAdopted(int pid);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Starting embedded Azurite on 127.0.0.1:10000-10002 ...")]
    private partial void LogStarting();

    [LoggerMessage(EventId = 2004, Level = LogLevel.Information, Message = "Embedded Azurite started (pid {Pid}, data in {DataDirectory}).")]
    private partial void LogStarted(int pid, string dataDirectory);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Information, Message = "Embedded Azurite (pid {Pid}) stopped.")]
    private partial void LogStopped(int pid);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Debug, Message = "azurite: {Line}")]
    private partial void LogAzurite(string line);
}
