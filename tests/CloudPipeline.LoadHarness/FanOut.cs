using System.Diagnostics;
using System.Globalization;
using CloudPipeline.Azurite;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.Logging.Abstractions;

/// <summary>
/// A fan-out of N activities and a fan-in to their sum, on the engine and settings of the local host (DTFx's
/// Azure Storage provider, 4 partitions, 8 activities and 16 episodes at once, 0.5 s longest poll), in-process.
/// The aggregate is checked against the closed form Σ i² = (N−1)N(2N−1)/6.
/// </summary>
internal static class FanOut
{
    public static async Task RunAsync(AzuriteProcess azurite, int items, bool extendedSessions)
    {
        var service = new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            StorageAccountClientProvider = new StorageAccountClientProvider(azurite.ConnectionString),
            TaskHubName = "fanout" + Guid.NewGuid().ToString("N")[..8],
            PartitionCount = 4,
            MaxConcurrentTaskActivityWorkItems = 8,
            MaxConcurrentTaskOrchestrationWorkItems = 16,
            MaxQueuePollingInterval = TimeSpan.FromMilliseconds(500),
            ExtendedSessionsEnabled = extendedSessions,
            ExtendedSessionIdleTimeout = TimeSpan.FromSeconds(30),
        });
        await service.CreateIfNotExistsAsync();
        var shims = new DurableTaskShimFactory(new DurableTaskWorkerOptions(), NullLoggerFactory.Instance);
        var worker = new TaskHubWorker(service, NullLoggerFactory.Instance);
        worker.AddTaskOrchestrations(new Creator<TaskOrchestration>(nameof(SumOfSquares), () => shims.CreateOrchestration(nameof(SumOfSquares), new SumOfSquares())));
        worker.AddTaskActivities(new Creator<DurableTask.Core.TaskActivity>(nameof(Square), () => shims.CreateActivity(nameof(Square), new Square())));
        await worker.StartAsync();
        try
        {
            var client = new TaskHubClient(service, loggerFactory: NullLoggerFactory.Instance);
            var watch = Stopwatch.StartNew();
            var instance = await client.CreateOrchestrationInstanceAsync(nameof(SumOfSquares), "", items);
            var state = await client.WaitForOrchestrationAsync(instance, TimeSpan.FromMinutes(30));
            long expected = (long)(items - 1) * items * (2L * items - 1) / 6;
            long actual = long.Parse(state.Output, CultureInfo.InvariantCulture);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"fan-out of {items} activities (extended sessions {(extendedSessions ? "on" : "off")}): {state.OrchestrationStatus} in {watch.Elapsed.TotalSeconds:F1} s, sum {actual} (expected {expected}: {(actual == expected ? "correct" : "WRONG")})"));
            if (actual != expected)
            {
                Environment.ExitCode = 1;
            }
        }
        finally
        {
            await worker.StopAsync(isForced: true);
        }
    }

    private sealed class SumOfSquares : TaskOrchestrator<int, long>
    {
        public override async Task<long> RunAsync(TaskOrchestrationContext context, int input)
        {
            var squares = await Task.WhenAll(Enumerable.Range(0, input).Select(i => context.CallActivityAsync<long>(nameof(Square), i)));
            return squares.Sum();
        }
    }

    private sealed class Square : Microsoft.DurableTask.TaskActivity<int, long>
    {
        public override Task<long> RunAsync(TaskActivityContext context, int input) => Task.FromResult((long)input * input);
    }

    private sealed class Creator<T> : ObjectCreator<T>
    {
        private readonly Func<T> _create;

        public Creator(string name, Func<T> create)
        {
            Name = name;
            Version = "";
            _create = create;
        }

        public override T Create() => _create();
    }
}
