using System.Diagnostics;

namespace CloudPipeline.Durable.Tests;

/// <summary>A real worker process (CloudPipeline.Durable.TestHost) that tests can start and kill by its PID.</summary>
internal sealed class WorkerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private WorkerProcess(Process process) => _process = process;

    public int Pid => _process.Id;

    public static async Task<WorkerProcess> StartAsync(string connectionString, string prefix)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "CloudPipeline.Durable.TestHost.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add(connectionString);
        start.ArgumentList.Add(prefix);
        var worker = new WorkerProcess(Process.Start(start)!);
        worker._process.OutputDataReceived += (_, e) =>
        {
            if (e.Data == "worker ready")
            {
                worker._ready.TrySetResult();
            }
        };
        worker._process.ErrorDataReceived += (_, _) => { };
        worker._process.BeginOutputReadLine();
        worker._process.BeginErrorReadLine();
        await worker._ready.Task.WaitAsync(TimeSpan.FromSeconds(60));
        return worker;
    }

    /// <summary>SIGKILL: no shutdown code runs, exactly like a crashed machine.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }
        _process.Dispose();
    }
}
