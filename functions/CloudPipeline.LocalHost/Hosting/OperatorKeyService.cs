using CloudPipeline.Pipeline.Consortium;
using Microsoft.Extensions.Options;

namespace CloudPipeline.LocalHost.Hosting;

/// <summary>
/// Gives the person who runs the local host the consortium operator's key: at start, when
/// <see cref="LocalHostOptions.OperatorKeyFile"/> holds no key this storage accepts, a new operator key is created (its
/// salted hash in the ApiKeys table) and written to that file, readable by its owner only. The CLI finds the file
/// (cloudpipeline site add, key create, ...); the key itself is never logged. In Azure there is no such file: the
/// operator signs in with Entra ID (app role CloudPipeline.Operator).
/// </summary>
internal sealed partial class OperatorKeyService(ApiKeys keys, IOptions<LocalHostOptions> options, IOptions<AuthOptions> auth, ILogger<OperatorKeyService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        string path = Path.GetFullPath(options.Value.OperatorKeyFile ?? DefaultPath());
        if (File.Exists(path) && (await keys.VerifyAsync((await File.ReadAllTextAsync(path, cancellationToken)).Trim(), cancellationToken)).Caller is { IsOperator: true })
        {
            LogFound(path);
            return;
        }
        var created = await keys.CreateAsync(null, "local operator (" + Environment.MachineName + ")", auth.Value.MaxKeyLifetime, "local-host", cancellationToken);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var fileOptions = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        await using (var file = new FileStream(path, fileOptions))
        await using (var writer = new StreamWriter(file))
        {
            await writer.WriteLineAsync(created.Key.AsMemory(), cancellationToken);
        }
        LogCreated(created.Info.Id, path);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary><c>.cloudpipeline/operator.key</c> in the repository root when running from it (beside <c>.azurite</c>), else beside the host.</summary>
    public static string DefaultPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CloudPipeline.sln")))
            {
                return Path.Combine(dir.FullName, ".cloudpipeline", "operator.key");
            }
        }
        return Path.Combine(AppContext.BaseDirectory, ".cloudpipeline", "operator.key");
    }

    [LoggerMessage(EventId = 2802, Level = LogLevel.Information, Message = "Operator key in {Path} is valid.")]
    private partial void LogFound(string path);

    [LoggerMessage(EventId = 2803, Level = LogLevel.Information, Message = "Created operator key {KeyId} and wrote it to {Path} (owner-only); the CLI uses it for site and key management.")]
    private partial void LogCreated(string keyId, string path);
}
