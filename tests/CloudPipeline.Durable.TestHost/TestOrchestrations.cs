using System.Globalization;
using System.Text.Json;
using CloudPipeline.Durable;
using CloudPipeline.Storage.Tables;

namespace CloudPipeline.Durable.TestHost;

/// <summary>Definitions and activities used by the engine tests, in-process and in separate host processes.</summary>
public static class TestOrchestrations
{
    public static readonly IReadOnlyList<OrchestrationDefinition> Definitions =
    [
        new("record-one", "1", [new ActivityStep("record", "record")]),
        new("chain", "1", [new ActivityStep("double", "double"), new ActivityStep("double-again", "double"), new ActivityStep("record", "record")]),
        new("slow", "1", [new ActivityStep("sleep", "sleep-then-record")]),
        new("fan", "1", [new ActivityStep("range", "range"), new FanOutStep("square", "square", 50), new ActivityStep("sum", "sum")]),
        new("fail", "1", [new ActivityStep("validate", "fail-permanent")]),
        new("flaky", "1", [new ActivityStep("fetch", "flaky")]),
        new("poison", "1", [new ActivityStep("fetch", "always-transient")]),
        new("wait-long", "1", [new WaitForInputsStep("inputs", ["profiles", "voltage"], TimeSpan.FromMinutes(5)), new ActivityStep("record", "record")]),
        new("wait-short", "1", [new WaitForInputsStep("inputs", ["profiles", "voltage"], TimeSpan.FromSeconds(3)), new ActivityStep("record", "record")]),
        new("timer", "1", [new DelayStep("pause", TimeSpan.FromSeconds(2)), new ActivityStep("double", "double")]),
    ];

    /// <summary>Options with storage names unique to one test (<paramref name="prefix"/>: lowercase letters and digits).</summary>
    public static DurableOptions Options(string prefix) => new()
    {
        TableName = "Orch" + prefix,
        WorkQueueName = prefix + "-work",
        PoisonQueueName = prefix + "-poison",
        PayloadContainerName = prefix + "-payloads",
        VisibilityTimeout = TimeSpan.FromSeconds(5),
        HeartbeatInterval = TimeSpan.FromSeconds(1.5),
        RetryBaseDelay = TimeSpan.FromMilliseconds(200),
        RetryMaxDelay = TimeSpan.FromSeconds(2),
        MaxAttempts = 3,
        MaxPollInterval = TimeSpan.FromMilliseconds(200),
        OutboxResendAfter = TimeSpan.FromSeconds(10),
    };

    public static IReadOnlyList<IActivity> Activities(string connectionString) =>
    [
        new Delegate("double", (_, input, _) => Task.FromResult((long.Parse(input, CultureInfo.InvariantCulture) * 2).ToString(CultureInfo.InvariantCulture))),
        new Delegate("range", (_, input, _) => Task.FromResult(JsonSerializer.Serialize(Enumerable.Range(0, int.Parse(input, CultureInfo.InvariantCulture))))),
        new Delegate("square", (_, input, _) => Task.FromResult((long.Parse(input, CultureInfo.InvariantCulture) * long.Parse(input, CultureInfo.InvariantCulture)).ToString(CultureInfo.InvariantCulture))),
        new Delegate("sum", (_, input, _) => Task.FromResult(JsonSerializer.Deserialize<long[]>(input)!.Sum().ToString(CultureInfo.InvariantCulture))),
        new Delegate("fail-permanent", (_, _, _) => throw new InvalidOperationException("profile 7 has SIZE 128, expected 256")),
        new Delegate("flaky", (ctx, input, _) => ctx.Attempt < 3 ? throw new TransientActivityException($"storage busy (attempt {ctx.Attempt})") : Task.FromResult(input)),
        new Delegate("always-transient", (ctx, _, _) => throw new TransientActivityException($"service unavailable (attempt {ctx.Attempt})")),
        new Recorder("record", connectionString, TimeSpan.Zero),
        new Recorder("sleep-then-record", connectionString, TimeSpan.FromSeconds(4)),
    ];

    private sealed class Delegate(string name, Func<ActivityContext, string, CancellationToken, Task<string>> run) : IActivity
    {
        public string Name => name;

        public Task<string> RunAsync(ActivityContext context, string input, CancellationToken cancellationToken) => run(context, input, cancellationToken);
    }

    /// <summary>
    /// Logs every execution (one row per run, for counting attempts and which process ran it) and writes
    /// its effect idempotently (one row per work item): the pattern the activity contract asks for.
    /// </summary>
    private sealed class Recorder(string name, string connectionString, TimeSpan delay) : IActivity
    {
        private readonly TableClient _executions = new(connectionString, "TestExecutions");
        private readonly TableClient _effects = new(connectionString, "TestEffects");

        public string Name => name;

        public async Task<string> RunAsync(ActivityContext context, string input, CancellationToken cancellationToken)
        {
            await _executions.CreateIfNotExistsAsync(cancellationToken);
            await _effects.CreateIfNotExistsAsync(cancellationToken);
            await _executions.AddEntityAsync(new TableEntity(context.InstanceId, Guid.NewGuid().ToString("N"))
            {
                ["Attempt"] = context.Attempt,
                ["Pid"] = Environment.ProcessId,
            }, cancellationToken);
            await Task.Delay(delay, cancellationToken);
            await _effects.UpsertEntityAsync(new TableEntity(context.InstanceId, "effect") { ["Key"] = context.IdempotencyKey, ["Input"] = input }, TableUpdateMode.Replace, cancellationToken);
            return "{\"recorded\":true}";
        }
    }
}
