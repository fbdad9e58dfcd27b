using CloudPipeline.Storage;
using CloudPipeline.Storage.Emulator;
using Microsoft.Extensions.Options;

namespace CloudPipeline.Functions.Hosting;

/// <summary>
/// Starts Azurite when the host is configured for development storage and nothing listens on the
/// development ports, and stops that process (only that one) when the host stops.
/// </summary>
internal sealed class EmbeddedAzuriteService : IHostedService, IAsyncDisposable
{
    private readonly PipelineOptions _options;
    private readonly ILogger<EmbeddedAzuriteService> _logger;
    private AzuriteProcess? _azurite;

    public EmbeddedAzuriteService(IOptions<PipelineOptions> options, ILogger<EmbeddedAzuriteService> logger)
    {
        _options = options.Value;
        _logger = logger;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var connection = StorageConnectionString.Parse(_options.Storage.ConnectionString);
        if (!connection.IsDevelopmentStorage || !_options.Azurite.AutoStart)
        {
            return;
        }
        if (await AzuriteProcess.IsListeningAsync(10000, 10001, 10002, cancellationToken))
        {
            _logger.LogInformation("Development storage is already listening on 127.0.0.1:10000-10002; using it.");
            return;
        }
        _logger.LogInformation("Starting embedded Azurite on 127.0.0.1:10000-10002 ...");
        _azurite = await AzuriteProcess.StartAsync(new AzuriteOptions
        {
            InstallDirectory = _options.Azurite.InstallDirectory,
            DataDirectory = _options.Azurite.DataDirectory,
            Log = line => _logger.LogDebug("azurite: {Line}", line),
            StartupTimeout = TimeSpan.FromMinutes(5),
        }, cancellationToken);
        _logger.LogInformation("Embedded Azurite started (pid {Pid}, data in {DataDirectory}).", _azurite.ProcessId, _azurite.DataDirectory);
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        if (_azurite is { } azurite)
        {
            _azurite = null;
            int pid = azurite.ProcessId;
            await azurite.DisposeAsync();
            _logger.LogInformation("Embedded Azurite (pid {Pid}) stopped.", pid);
        }
    }
}
