using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CloudPipeline.Azurite;

/// <summary>
/// A local Azurite process on loopback, started from the npm package pinned in <c>infra/local</c>
/// (installed with <c>npm ci</c> on first use). Disposing stops it, and only it, by its process id.
/// </summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    private readonly Process _process;

    /// <summary>The well-known development storage account name.</summary>
    public const string DevelopmentAccountName = "devstoreaccount1";

    /// <summary>The well-known (published) key of the development storage account; it protects nothing.</summary>
    public const string DevelopmentAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private AzuriteProcess(Process process, int blobPort, int queuePort, int tablePort, string dataDirectory)
    {
        _process = process;
        BlobPort = blobPort;
        QueuePort = queuePort;
        TablePort = tablePort;
        DataDirectory = dataDirectory;
    }

    /// <summary>The Blob service endpoint.</summary>
    public Uri BlobEndpoint => Endpoint(BlobPort);

    /// <summary>The Queue service endpoint.</summary>
    public Uri QueueEndpoint => Endpoint(QueuePort);

    /// <summary>The Table service endpoint.</summary>
    public Uri TableEndpoint => Endpoint(TablePort);

    private Uri Endpoint(int port) => new($"http://127.0.0.1:{port}/{DevelopmentAccountName}");

    /// <summary>The Blob service port.</summary>
    public int BlobPort { get; }

    /// <summary>The Queue service port.</summary>
    public int QueuePort { get; }

    /// <summary>The Table service port.</summary>
    public int TablePort { get; }

    /// <summary>Azurite's data folder.</summary>
    public string DataDirectory { get; }

    /// <summary>The operating-system process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>A connection string with the development account and this instance's endpoints.</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={DevelopmentAccountName};" +
        $"AccountKey={DevelopmentAccountKey};BlobEndpoint={BlobEndpoint};QueueEndpoint={QueueEndpoint};TableEndpoint={TableEndpoint};";

    /// <summary>True if something accepts TCP connections on all three ports of 127.0.0.1.</summary>
    public static async Task<bool> IsListeningAsync(int blobPort, int queuePort, int tablePort, CancellationToken cancellationToken = default)
    {
        foreach (var port in new[] { blobPort, queuePort, tablePort })
        {
            if (!await CanConnectAsync(port, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Installs Azurite if needed, starts it and waits until all three services accept connections.</summary>
    /// <exception cref="InvalidOperationException">Node or npm is missing, the install failed, or Azurite did not come up in time; the message says which and shows Azurite's last output.</exception>
    public static async Task<AzuriteProcess> StartAsync(AzuriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new AzuriteOptions();
        string install = options.InstallDirectory ?? FindInstallDirectory();
        string entry = Path.Combine(install, "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(entry))
        {
            // Several test assemblies may start at once: one installs, the others wait for it.
            await using var installLock = await AcquireFileLockAsync(Path.Combine(install, ".npm-install.lock"), cancellationToken).ConfigureAwait(false);
            if (!File.Exists(entry))
            {
                await NpmCiAsync(install, options.Log, cancellationToken).ConfigureAwait(false);
            }
        }

        string data = options.DataDirectory ?? Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(install))!, ".azurite");
        Directory.CreateDirectory(data);
        int blob = options.BlobPort == 0 ? FreePort() : options.BlobPort;
        int queue = options.QueuePort == 0 ? FreePort() : options.QueuePort;
        int table = options.TablePort == 0 ? FreePort() : options.TablePort;

        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = install,
        };
        foreach (var arg in new[]
                 {
                     entry, "--silent", "--skipApiVersionCheck",
                     "--blobHost", "127.0.0.1", "--blobPort", blob.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--queueHost", "127.0.0.1", "--queuePort", queue.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--tableHost", "127.0.0.1", "--tablePort", table.ToString(System.Globalization.CultureInfo.InvariantCulture),
                 })
        {
            start.ArgumentList.Add(arg);
        }
        start.ArgumentList.Add(options.InMemory ? "--inMemoryPersistence" : "--location");
        if (!options.InMemory)
        {
            start.ArgumentList.Add(data);
        }

        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        void Capture(string? line)
        {
            if (line is null)
            {
                return;
            }
            output.Enqueue(line);
            while (output.Count > 50 && output.TryDequeue(out _))
            {
            }
            options.Log?.Invoke(line);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("Azurite needs Node.js: 'node' was not found on PATH. Install Node 20 or later.", ex);
        }
        process.OutputDataReceived += (_, e) => Capture(e.Data);
        process.ErrorDataReceived += (_, e) => Capture(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var azurite = new AzuriteProcess(process, blob, queue, table, data);
        var deadline = Stopwatch.StartNew();
        while (!await IsListeningAsync(blob, queue, table, cancellationToken).ConfigureAwait(false))
        {
            bool exited = process.HasExited;
            if (exited || deadline.Elapsed > options.StartupTimeout)
            {
                await azurite.DisposeAsync().ConfigureAwait(false);
                throw new InvalidOperationException(
                    $"Azurite did not start on ports {blob}/{queue}/{table} within {options.StartupTimeout.TotalSeconds:0} s " +
                    $"(exited: {exited}). Last output:{Environment.NewLine}{string.Join(Environment.NewLine, output)}");
            }
            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
        azurite.WriteOwnerFile();
        return azurite;
    }

    private const string OwnerFileName = "azurite.owner";

    private void WriteOwnerFile() =>
        File.WriteAllText(Path.Combine(DataDirectory, OwnerFileName), $"{_process.Id} {Environment.ProcessId}");

    /// <summary>
    /// Adopts an Azurite that an earlier host started on <paramref name="dataDirectory"/> and that outlived it
    /// (the host was killed with SIGKILL, so it could not stop its child): the owner file names Azurite's process
    /// id and its owner's, and the owner is gone. The adopted process is stopped when the returned object is
    /// disposed. Null when there is nothing to adopt (no owner file, Azurite gone, or its owner still running).
    /// </summary>
    public static AzuriteProcess? TryAdoptOrphan(string dataDirectory, int blobPort, int queuePort, int tablePort)
    {
        string file = Path.Combine(dataDirectory, OwnerFileName);
        if (!File.Exists(file))
        {
            return null;
        }
        var ids = File.ReadAllText(file).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (ids.Length != 2 || !int.TryParse(ids[0], out int azuritePid) || !int.TryParse(ids[1], out int ownerPid)
            || IsRunning(ownerPid) || !IsRunning(azuritePid, "node"))
        {
            return null;
        }
        var adopted = new AzuriteProcess(Process.GetProcessById(azuritePid), blobPort, queuePort, tablePort, dataDirectory);
        adopted.WriteOwnerFile();
        return adopted;
    }

    private static bool IsRunning(int pid, string? name = null)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited && (name is null || process.ProcessName == name);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Stops the process (and any children) by its id and waits for it to exit.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        catch (OperationCanceledException)
        {
            // It did not exit in time; nothing more we can do without touching other processes.
        }
        _process.Dispose();
        try
        {
            File.Delete(Path.Combine(DataDirectory, OwnerFileName));
        }
        catch (IOException)
        {
            // A stale owner file is harmless: its owner is gone, so the next start finds nothing to adopt.
        }
    }

    /// <summary>
    /// The folder with Azurite's <c>package.json</c>: <c>azurite/</c> beside the application (a published host
    /// carries its own copy), else the repository's <c>infra/local</c> found by walking up from the application folder.
    /// </summary>
    public static string FindInstallDirectory()
    {
        string beside = Path.Combine(AppContext.BaseDirectory, "azurite");
        if (File.Exists(Path.Combine(beside, "package.json")))
        {
            return beside;
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "infra", "local");
            if (File.Exists(Path.Combine(candidate, "package.json")))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException(
            $"Could not find azurite/package.json beside {AppContext.BaseDirectory} nor infra/local/package.json above it; set CloudPipeline:Azurite:InstallDirectory.");
    }

    private static async Task NpmCiAsync(string install, Action<string>? log, CancellationToken cancellationToken)
    {
        log?.Invoke($"Installing Azurite with 'npm ci' in {install} ...");
        var start = new ProcessStartInfo("npm")
        {
            WorkingDirectory = install,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "ci", "--no-audit", "--no-fund", "--loglevel=error" })
        {
            start.ArgumentList.Add(arg);
        }
        Process npm;
        try
        {
            npm = Process.Start(start) ?? throw new InvalidOperationException("Could not start npm.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("Installing Azurite needs npm (Node.js 20 or later) on PATH.", ex);
        }
        using (npm)
        {
            var stdout = npm.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = npm.StandardError.ReadToEndAsync(cancellationToken);
            await npm.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            if (npm.ExitCode != 0)
            {
                throw new InvalidOperationException($"'npm ci' in {install} failed with exit code {npm.ExitCode}:{Environment.NewLine}{await stderr.ConfigureAwait(false)}{await stdout.ConfigureAwait(false)}");
            }
        }
    }

    private static async Task<FileStream> AcquireFileLockAsync(string path, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException)
            {
                await Task.Delay(250, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<bool> CanConnectAsync(int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(1));
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
