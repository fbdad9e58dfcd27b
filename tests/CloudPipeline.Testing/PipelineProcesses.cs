using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CloudPipeline.Testing;

/// <summary>Starts the real host and CLI from their build outputs (same configuration as the caller).</summary>
public static class Processes
{
    private static string Configuration => new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;

    public static string HostDll => Path.Combine(SharedData.RepositoryRoot, "functions", "CloudPipeline.LocalHost", "bin", Configuration, "net10.0", "CloudPipeline.LocalHost.dll");

    /// <summary>The Functions app's build output folder (with functions.metadata).</summary>
    public static string FunctionsAppFolder => Path.Combine(SharedData.RepositoryRoot, "functions", "CloudPipeline.Functions", "bin", Configuration, "net10.0");

    public static string CliDll => Path.Combine(SharedData.RepositoryRoot, "functions", "CloudPipeline.Cli", "bin", Configuration, "net10.0", "cloudpipeline.dll");

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Runs the CLI to completion and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> CliAsync(string connectionString, Uri? api, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(CliDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["CloudPipeline__Storage__ConnectionString"] = connectionString;
        if (api is not null)
        {
            start.Environment["CLOUDPIPELINE_API"] = api.AbsoluteUri;
            if (HostProcess.OperatorKeyFileOf(api) is { } keyFile)
            {
                // The CLI reads the API as the operator of the host it talks to (uploads still use the connection string).
                start.Environment["CLOUDPIPELINE_KEY_FILE"] = keyFile;
            }
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>Starts a long-running CLI command (watch); dispose to stop it.</summary>
    public static Process StartCli(string connectionString, StringBuilder output, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(CliDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["CloudPipeline__Storage__ConnectionString"] = connectionString;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}

/// <summary>A real local host process (CloudPipeline.LocalHost) against the test's Azurite, on a free loopback port.</summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Uri, string> KeyFiles = new();

    private HostProcess(Process process, Uri api, string operatorKeyFile)
    {
        _process = process;
        Api = api;
        OperatorKeyFile = operatorKeyFile;
        KeyFiles[api] = operatorKeyFile;
    }

    public Uri Api { get; }

    /// <summary>The file the host wrote its operator key to (its own, in the test's temp folder).</summary>
    public string OperatorKeyFile { get; }

    /// <summary>The operator key (read once the host is healthy).</summary>
    public string OperatorKey => File.ReadAllText(OperatorKeyFile).Trim();

    /// <summary>The operator key file of the host serving <paramref name="api"/>, if a test started one.</summary>
    public static string? OperatorKeyFileOf(Uri api) => KeyFiles.TryGetValue(api, out var file) ? file : null;

    /// <summary>An HTTP client for the host's API with the operator key (or <paramref name="key"/>; empty: no credential).</summary>
    public HttpClient CreateClient(string? key = null)
    {
        var http = new HttpClient { BaseAddress = Api };
        string credential = key ?? OperatorKey;
        if (credential.Length > 0)
        {
            http.DefaultRequestHeaders.Add("X-Api-Key", credential);
        }
        return http;
    }

    public int Pid => _process.Id;

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Starts a host and waits until its health endpoint answers.</summary>
    /// <param name="connectionString">The test's Azurite.</param>
    /// <param name="changeDetector">Run the change detector (every second).</param>
    /// <param name="taskHub">The Durable Task hub; hosts that share work pass the same one. Default: a fresh one, so no test sees another's work.</param>
    /// <param name="maxConcurrentWorkItems">Activities at once.</param>
    /// <param name="settings">More configuration, as environment variables (e.g. <c>CloudPipeline__Telemetry__Console</c>).</param>
    public static async Task<HostProcess> StartAsync(string connectionString, bool changeDetector = true, string? taskHub = null, int maxConcurrentWorkItems = 8,
        IReadOnlyDictionary<string, string>? settings = null)
    {
        var api = new Uri($"http://127.0.0.1:{Processes.FreePort()}/");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(Processes.HostDll)!,
        };
        start.ArgumentList.Add(Processes.HostDll);
        start.Environment["CloudPipeline__Storage__ConnectionString"] = connectionString;
        start.Environment["CloudPipeline__ChangeDetectorEnabled"] = changeDetector ? "true" : "false";
        start.Environment["CloudPipeline__ChangeDetectorSchedule"] = "* * * * * *";
        start.Environment["CloudPipeline__LocalHost__MaxConcurrentActivities"] = maxConcurrentWorkItems.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["CloudPipeline__LocalHost__TaskHub"] = taskHub ?? NewTaskHub();
        start.Environment["Urls"] = api.AbsoluteUri;
        string keyFile = settings?.GetValueOrDefault("CloudPipeline__LocalHost__OperatorKeyFile")
            ?? Path.Combine(Path.GetTempPath(), "cloudpipeline-tests", Guid.NewGuid().ToString("N"), "operator.key");
        start.Environment["CloudPipeline__LocalHost__OperatorKeyFile"] = keyFile;
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        var host = new HostProcess(Process.Start(start)!, api, keyFile);
        host._process.OutputDataReceived += (_, e) => { lock (host._log) { host._log.AppendLine(e.Data); } };
        host._process.ErrorDataReceived += (_, e) => { lock (host._log) { host._log.AppendLine(e.Data); } };
        host._process.BeginOutputReadLine();
        host._process.BeginErrorReadLine();
        using var http = new HttpClient { BaseAddress = api };
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                if ((await http.GetAsync("health")).IsSuccessStatusCode)
                {
                    return host;
                }
            }
            catch (HttpRequestException)
            {
            }
            if (host._process.HasExited || DateTimeOffset.UtcNow > deadline)
            {
                string log = host.Log;
                await host.DisposeAsync();
                throw new InvalidOperationException($"The host did not become healthy:{Environment.NewLine}{log}");
            }
            await Task.Delay(200);
        }
    }

    /// <summary>A task hub name of its own (letters and digits, as Durable Task requires).</summary>
    public static string NewTaskHub() => "t" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Kills the host at once with SIGKILL, as a crash would: nothing is released or flushed.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>Stops the host with SIGTERM (a graceful stop that releases its partition leases), SIGKILL after 30 s.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        _process.Dispose();
    }
}
