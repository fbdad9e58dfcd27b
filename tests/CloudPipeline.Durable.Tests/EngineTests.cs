using System.Globalization;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using CloudPipeline.Durable.TestHost;
using CloudPipeline.Storage;
using CloudPipeline.Storage.Queues;
using CloudPipeline.Storage.Tables;
using CloudPipeline.Testing;
using Xunit;

namespace CloudPipeline.Durable.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class EngineTests
{
    private readonly AzuriteFixture _azurite;

    public EngineTests(AzuriteFixture azurite) => _azurite = azurite;

    private static string NewPrefix() => "t" + Guid.NewGuid().ToString("N")[..10];

    private async Task<(DurableClient Client, DurableWorker Worker, string Prefix)> EngineAsync(string? prefix = null)
    {
        prefix ??= NewPrefix();
        var client = await DurableClient.CreateAsync(_azurite.ConnectionString, TestOrchestrations.Definitions, TestOrchestrations.Options(prefix));
        return (client, new DurableWorker(client, TestOrchestrations.Activities(_azurite.ConnectionString)), prefix);
    }

    private async Task<int> ExecutionsAsync(string instanceId)
    {
        var table = new TableClient(_azurite.ConnectionString, "TestExecutions");
        await table.CreateIfNotExistsAsync();
        int count = 0;
        await foreach (var _ in table.QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {instanceId}")))
        {
            count++;
        }
        return count;
    }

    private async Task<List<TableEntity>> EffectsAsync(string instanceId)
    {
        var table = new TableClient(_azurite.ConnectionString, "TestEffects");
        await table.CreateIfNotExistsAsync();
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {instanceId}")))
        {
            rows.Add(row);
        }
        return rows;
    }

    private static async Task WithWorkerAsync(DurableWorker worker, Func<Task> body)
    {
        using var stop = new CancellationTokenSource();
        var run = worker.RunAsync(stop.Token);
        try
        {
            await body();
        }
        finally
        {
            await stop.CancelAsync();
            await run;
        }
    }

    [Fact]
    public async Task A_chain_passes_outputs_from_step_to_step_and_completes()
    {
        var (client, worker, _) = await EngineAsync();
        string id = "chain-" + Guid.NewGuid().ToString("N");
        Assert.True(await client.StartAsync("chain", id, "21"));
        await WithWorkerAsync(worker, async () =>
        {
            var state = await client.WaitForStatusAsync(id, TimeSpan.FromSeconds(60));
            Assert.Equal(InstanceStatus.Completed, state.Status);
        });
        Assert.Equal("{\"recorded\":true}", await client.GetOutputAsync(id));
        Assert.Equal("84", Assert.Single(await EffectsAsync(id)).GetString("Input"));
        var history = await client.GetHistoryAsync(id);
        Assert.Equal(["Started", "StepStarted", "StepCompleted", "StepStarted", "StepCompleted", "StepStarted", "StepCompleted", "Completed"], history.Select(h => h.EventType));
    }

    [Fact]
    public async Task Starting_the_same_instance_five_times_gives_one_instance_and_one_result()
    {
        var (client, worker, _) = await EngineAsync();
        string id = "dup-" + Guid.NewGuid().ToString("N");
        var starts = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => client.StartAsync("record-one", id, "{}")));
        Assert.Equal(1, starts.Count(s => s));
        await WithWorkerAsync(worker, () => client.WaitForStatusAsync(id, TimeSpan.FromSeconds(60)));
        Assert.Single(await EffectsAsync(id));
        Assert.Equal(1, await ExecutionsAsync(id));
    }

    [Fact]
    public async Task A_permanent_error_fails_the_instance_with_its_message()
    {
        var (client, worker, _) = await EngineAsync();
        string id = "fail-" + Guid.NewGuid().ToString("N");
        await client.StartAsync("fail", id, "{}");
        await WithWorkerAsync(worker, async () =>
        {
            var state = await client.WaitForStatusAsync(id, TimeSpan.FromSeconds(60));
            Assert.Equal(InstanceStatus.Failed, state.Status);
            Assert.Contains("profile 7 has SIZE 128, expected 256", state.Error, StringComparison.Ordinal);
            Assert.Contains("validate", state.Error, StringComparison.Ordinal);
        });
        var history = await client.GetHistoryAsync(id);
        Assert.Equal(1, history.Count(h => h.EventType == "StepStarted")); // failed fast, no retry
        Assert.Contains(history, h => h.EventType == "StepFailed");
    }

    [Fact]
    public async Task Transient_errors_are_retried_with_backoff_and_complete()
    {
        var (client, worker, _) = await EngineAsync();
        string id = "flaky-" + Guid.NewGuid().ToString("N");
        await client.StartAsync("flaky", id, "\"payload\"");
        await WithWorkerAsync(worker, async () => Assert.Equal(InstanceStatus.Completed, (await client.WaitForStatusAsync(id, TimeSpan.FromSeconds(60))).Status));
        var history = await client.GetHistoryAsync(id);
        var retries = history.Where(h => h.EventType == "RetryScheduled").ToList();
        Assert.Equal(2, retries.Count);
        Assert.Equal([1, 2], retries.Select(r => r.Attempt));
        Assert.Contains("storage busy", retries[0].Detail, StringComparison.Ordinal);
        double first = double.Parse(retries[0].Detail!.Split(' ')[1], CultureInfo.InvariantCulture);
        double second = double.Parse(retries[1].Detail!.Split(' ')[1], CultureInfo.InvariantCulture);
        Assert.True(second > first, $"backoff should grow: {first} s then {second} s");
        Assert.Equal("\"payload\"", await client.GetOutputAsync(id));
    }

    [Fact]
    public async Task Injected_transient_storage_faults_are_retried_with_backoff_and_the_instance_completes()
    {
        string prefix = NewPrefix();
        var faults = new FailEveryNthWrite(5);
        var options = TestOrchestrations.Options(prefix);
        options.StorageOptions = new StorageClientOptions();
        options.StorageOptions.Retry.Delay = TimeSpan.FromMilliseconds(50);
        options.StorageOptions.AddPolicy(faults, HttpPipelinePosition.PerRetry);
        var client = await DurableClient.CreateAsync(_azurite.ConnectionString, TestOrchestrations.Definitions, options);
        var worker = new DurableWorker(client, TestOrchestrations.Activities(_azurite.ConnectionString));
        string id = "faults-" + Guid.NewGuid().ToString("N");
        await client.StartAsync("chain", id, "1");
        await WithWorkerAsync(worker, async () => Assert.Equal(InstanceStatus.Completed, (await client.WaitForStatusAsync(id, TimeSpan.FromSeconds(60))).Status));
        Assert.Equal("4", Assert.Single(await EffectsAsync(id)).GetString("Input"));
        Assert.True(faults.Injected >= 3, $"only {faults.Injected} faults were injected");
    }

    [Fact]
    public async Task A_poison_message_ends_in_the_poison_queue_after_the_attempt_limit()
    {
        var (client, worker, prefix) = await EngineAsync();
        string id = "poison-" + Guid.NewGuid().ToString("N");
        await client.StartAsync("poison", id, "{}");
        var poison = new QueueClient(_azurite.ConnectionString, prefix + "-poison");
        var work = new QueueClient(_azurite.ConnectionString, prefix + "-work");
        await WithWorkerAsync(worker, async () =>
        {
            var state = await client.WaitForStatusAsync(id, TimeSpan.FromSeconds(60));
            Assert.Equal(InstanceStatus.Quarantined, state.Status);
            Assert.Contains("service unavailable", state.Error, StringComparison.Ordinal);
            // The state turns Quarantined first; the message moves to the poison queue right after (crash-safe order).
            var deadline = DateTimeOffset.UtcNow.AddSeconds(15);
            while ((await work.GetPropertiesAsync()).Value.ApproximateMessagesCount > 0 || (await poison.PeekMessagesAsync(32)).Value.Count == 0)
            {
                Assert.True(DateTimeOffset.UtcNow < deadline, "the work item did not move to the poison queue");
                await Task.Delay(100);
            }
        });
        var message = Assert.Single((await poison.PeekMessagesAsync(32)).Value);
        Assert.Contains(id, message.MessageText, StringComparison.Ordinal);
        Assert.Contains("service unavailable", message.MessageText, StringComparison.Ordinal);
        var history = await client.GetHistoryAsync(id);
        Assert.Equal(3, history.Count(h => h.EventType == "StepStarted"));
        Assert.Single(history, h => h.EventType == "Quarantined");
    }

    [Fact]
    public async Task An_instance_waiting_for_a_second_input_resumes_when_it_arrives()
    {
        var (client, worker, _) = await EngineAsync();
        string id = "wait-" + Guid.NewGuid().ToString("N");
        await client.StartAsync("wait-long", id, "{}");
        await client.RaiseEventAsync(id, "profiles", "{\"count\":46}");
        await WithWorkerAsync(worker, async () =>
        {
            var waiting = await client.GetStateAsync(id);
            Assert.Equal(InstanceStatus.WaitingForInput, waiting!.Status);
            Assert.Equal(["voltage"], waiting.WaitingFor);
            await Task.Delay(500);
            await client.RaiseEventAsync(id, "voltage", "{\"rows\":1022}");
            Assert.Equal(InstanceStatus.Completed, (await client.WaitForStatusAsync(id, TimeSpan.FromSeconds(60))).Status);
        });
        var effect = Assert.Single(await EffectsAsync(id));
        Assert.Equal("{\"profiles\":{\"count\":46},\"voltage\":{\"rows\":1022}}", effect.GetString("Input"));
    }

    [Fact]
    public async Task Inputs_raised_before_the_wait_count_and_the_wait_passes_at_once()
    {
        var (client, worker, _) = await EngineAsync();
        string id = "early-" + Guid.NewGuid().ToString("N");
        await client.StartAsync("wait-long", id, "{}");
        await client.RaiseEventAsync(id, "voltage", "1");
        await client.RaiseEventAsync(id, "profiles", "2");
        await WithWorkerAsync(worker, async () => Assert.Equal(InstanceStatus.Completed, (await client.WaitForStatusAsync(id, TimeSpan.FromSeconds(60))).Status));
    }

    [Fact]
    public async Task A_wait_that_never_gets_its_input_times_out_with_a_clear_status()
    {
        var (client, worker, _) = await EngineAsync();
        string id = "timeout-" + Guid.NewGuid().ToString("N");
        await client.StartAsync("wait-short", id, "{}");
        await client.RaiseEventAsync(id, "profiles", "{}");
        await WithWorkerAsync(worker, async () =>
        {
            var state = await client.WaitForStatusAsync(id, TimeSpan.FromSeconds(60));
            Assert.Equal(InstanceStatus.Failed, state.Status);
            Assert.Equal("Timed out after 00:00:03 waiting for input(s): voltage.", state.Error);
        });
        Assert.Contains(await client.GetHistoryAsync(id), h => h.EventType == "TimedOut");
        Assert.Empty(await EffectsAsync(id));
    }

    [Fact]
    public async Task A_durable_timer_delays_the_next_step()
    {
        var (client, worker, _) = await EngineAsync();
        string id = "timer-" + Guid.NewGuid().ToString("N");
        var started = DateTimeOffset.UtcNow;
        await client.StartAsync("timer", id, "5");
        await WithWorkerAsync(worker, () => client.WaitForStatusAsync(id, TimeSpan.FromSeconds(60)));
        Assert.True(DateTimeOffset.UtcNow - started >= TimeSpan.FromSeconds(2));
        Assert.Equal("10", await client.GetOutputAsync(id));
        Assert.Contains(await client.GetHistoryAsync(id), h => h.EventType == "TimerFired");
    }

    [Fact]
    public async Task A_5000_item_fan_out_with_parallelism_50_gives_the_right_fan_in()
    {
        var (client, worker, prefix) = await EngineAsync();
        var second = new DurableWorker(client, TestOrchestrations.Activities(_azurite.ConnectionString));
        string id = "fan-" + Guid.NewGuid().ToString("N");
        await client.StartAsync("fan", id, "5000");
        using var stop = new CancellationTokenSource();
        var runs = new[] { worker.RunAsync(stop.Token), second.RunAsync(stop.Token) };
        var observedInFlight = 0;
        try
        {
            while (true)
            {
                var state = (await client.GetStateAsync(id))!;
                if (state.IsTerminal)
                {
                    Assert.Equal(InstanceStatus.Completed, state.Status);
                    break;
                }
                if (state.FanOut.Total > 0)
                {
                    observedInFlight = Math.Max(observedInFlight, state.FanOut.Scheduled - state.FanOut.Completed);
                }
                await Task.Delay(250);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(runs);
        }
        long n = 5000;
        Assert.Equal(((n - 1) * n * (2 * n - 1) / 6).ToString(CultureInfo.InvariantCulture), await client.GetOutputAsync(id));
        Assert.InRange(observedInFlight, 1, 50);
        Assert.Equal(prefix, prefix);
    }

    /// <summary>Fails every Nth write attempt with an I/O error before it reaches Azurite (the pipeline's retry resends it).</summary>
    private sealed class FailEveryNthWrite(int n) : HttpPipelinePolicy
    {
        private int _writes;
        private int _injected;

        public int Injected => _injected;

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) => throw new NotSupportedException();

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            if (message.Request.Method != RequestMethod.Get && Interlocked.Increment(ref _writes) % n == 0)
            {
                Interlocked.Increment(ref _injected);
                throw new IOException("injected: connection reset by peer");
            }
            await ProcessNextAsync(message, pipeline);
        }
    }
}
