using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using CloudPipeline.Storage.Blobs;
using CloudPipeline.Storage.Queues;
using CloudPipeline.Storage.Tables;

namespace CloudPipeline.Durable.Internal;

/// <summary>
/// The engine's storage model and state machine, shared by <see cref="DurableClient"/> and
/// <see cref="DurableWorker"/>. Rows of an instance partition: <c>state</c>; history <c>h…</c> (time-ordered
/// keys, so attempts can be logged without touching the state row); fan-out elements <c>i{step}-{n}</c> and
/// results <c>r{step}-{n}</c>; raised events <c>e-{name}</c>.
/// </summary>
internal sealed class Engine
{
    private const int InlineLimit = 30_000;
    private readonly Dictionary<(string, string), OrchestrationDefinition> _definitions;

    public Engine(TableClient table, QueueClient work, QueueClient poison, BlobContainerClient payloads, IEnumerable<OrchestrationDefinition> definitions, DurableOptions options)
    {
        Table = table;
        Work = work;
        Poison = poison;
        Payloads = payloads;
        Options = options;
        _definitions = new();
        foreach (var definition in definitions)
        {
            definition.Validate();
            _definitions[(definition.Name, definition.Version)] = definition;
        }
    }

    public TableClient Table { get; }
    public QueueClient Work { get; }
    public QueueClient Poison { get; }
    public BlobContainerClient Payloads { get; }
    public DurableOptions Options { get; }

    public DateTimeOffset Now => Options.TimeProvider.GetUtcNow();

    public OrchestrationDefinition? Definition(string name, string version) =>
        _definitions.TryGetValue((name, version), out var d) ? d : null;

    public OrchestrationDefinition? LatestDefinition(string name) =>
        _definitions.Values.Where(d => d.Name == name).OrderByDescending(d => d.Version, StringComparer.Ordinal).FirstOrDefault();

    public async Task EnsureStorageAsync(CancellationToken ct)
    {
        await Table.CreateIfNotExistsAsync(ct).ConfigureAwait(false);
        await Work.CreateIfNotExistsAsync(ct).ConfigureAwait(false);
        await Poison.CreateIfNotExistsAsync(ct).ConfigureAwait(false);
        await Payloads.CreateIfNotExistsAsync(ct).ConfigureAwait(false);
    }

    // ---- rows and payloads -------------------------------------------------------------------------------

    public async Task<StateRow?> ReadStateAsync(string instanceId, CancellationToken ct)
    {
        var entity = (await Table.GetEntityIfExistsAsync(instanceId, StateRow.RowKey, cancellationToken: ct).ConfigureAwait(false)).Value;
        return entity is null ? null : StateRow.FromEntity(entity);
    }

    public TableEntity HistoryRow(string instanceId, string eventType, string? step, int index = -1, int attempt = 0, string? detail = null)
    {
        var now = Now;
        // Time-ordered and unique without a shared counter: ticks, then a random suffix.
        string key = $"h{now.UtcTicks:D19}-{Guid.NewGuid().ToString("N")[..8]}";
        var row = new TableEntity(instanceId, key)
        {
            ["EventType"] = eventType,
            ["At"] = now,
            ["ItemIndex"] = index,
            ["Attempt"] = attempt,
        };
        row["Step"] = step;
        row["Detail"] = detail is { Length: > InlineLimit } ? detail[..InlineLimit] : detail;
        return row;
    }

    public Task AppendHistoryAsync(TableEntity row, CancellationToken ct) => Table.AddEntityAsync(row, ct);

    public static string StepKey(int step, int index, char prefix) => string.Create(CultureInfo.InvariantCulture, $"{prefix}{step:D3}-{index:D6}");

    public async Task<string> WritePayloadAsync(string name, string json, CancellationToken ct)
    {
        await Payloads.GetBlobClient(name).UploadAsync(BinaryData.FromString(json), new BlobUploadOptions { ContentType = "application/json" }, ct).ConfigureAwait(false);
        return name;
    }

    public async Task<string> ReadPayloadAsync(string? name, CancellationToken ct) =>
        name is null ? "null" : (await Payloads.GetBlobClient(name).DownloadContentAsync(cancellationToken: ct).ConfigureAwait(false)).Value.ToString();

    /// <summary>Stores text inline on a row when small, otherwise in a blob referenced from the row.</summary>
    public async Task StoreTextAsync(TableEntity row, string property, string blobName, string text, CancellationToken ct)
    {
        if (text.Length <= InlineLimit)
        {
            row[property] = text;
        }
        else
        {
            row[property + "Ref"] = await WritePayloadAsync(blobName, text, ct).ConfigureAwait(false);
        }
    }

    public async Task<string> LoadTextAsync(TableEntity row, string property, CancellationToken ct) =>
        row.GetString(property) ?? await ReadPayloadAsync(row.GetString(property + "Ref"), ct).ConfigureAwait(false);

    // ---- transitions -------------------------------------------------------------------------------------

    /// <summary>
    /// Reads the state, lets <paramref name="decide"/> build a transition (or null for "nothing to do"), and
    /// commits it with If-Match on the state's ETag; on a conflict it reads again and decides again. After a
    /// commit the new work items are sent and the outbox is marked sent.
    /// </summary>
    public async Task<bool> TransitionAsync(string instanceId, Func<StateRow, Task<Transition?>> decide, CancellationToken ct)
    {
        for (int attempt = 0; ; attempt++)
        {
            var state = await ReadStateAsync(instanceId, ct).ConfigureAwait(false);
            if (state is null)
            {
                return false;
            }
            var transition = await decide(state).ConfigureAwait(false);
            if (transition is null)
            {
                return false;
            }
            var s = transition.State;
            s.UpdatedAt = Now;
            var messages = transition.Messages.Select(m => m.Serialize()).ToList();
            s.Outbox = transition.UseOutbox ? messages : [];
            s.OutboxSent = s.Outbox.Count == 0;
            var actions = new List<TableTransactionAction> { new(TableTransactionActionType.UpdateReplace, s.ToEntity(), s.ETag) };
            actions.AddRange(transition.History.Select(h => new TableTransactionAction(TableTransactionActionType.Add, h)));
            actions.AddRange(transition.NewRows.Select(r => new TableTransactionAction(TableTransactionActionType.Add, r)));
            actions.AddRange(transition.Rows.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r)));
            try
            {
                await Table.SubmitTransactionAsync(actions, ct).ConfigureAwait(false);
            }
            catch (TableTransactionFailedException ex) when (ex.Status == 409 && transition.NewRows.Count > 0)
            {
                return false; // a duplicate delivery recorded this completion first
            }
            catch (TableTransactionFailedException ex) when (ex.Status == 412 && attempt < 500)
            {
                // Another host changed the instance first; decide again on the fresh state.
                await Task.Delay(Random.Shared.Next(1, 5 + Math.Min(attempt, 20) * 5), ct).ConfigureAwait(false);
                continue;
            }
            if (transition.UseOutbox)
            {
                await SendOutboxAsync(s, ct).ConfigureAwait(false);
            }
            else
            {
                await SendMessagesAsync(messages, ct).ConfigureAwait(false);
            }
            return true;
        }
    }

    /// <summary>Sends a committed state's outbox, then marks it sent unless a later transition replaced it.</summary>
    public async Task SendOutboxAsync(StateRow state, CancellationToken ct)
    {
        if (state.Outbox.Count == 0)
        {
            return;
        }
        await SendMessagesAsync(state.Outbox, ct).ConfigureAwait(false);
        // Mark the outbox sent; if someone changed the state meanwhile, the next transition replaces it anyway.
        var fresh = await ReadStateAsync(state.InstanceId, ct).ConfigureAwait(false);
        if (fresh is { OutboxSent: false } && fresh.Outbox.SequenceEqual(state.Outbox))
        {
            fresh.OutboxSent = true;
            try
            {
                await Table.UpdateEntityAsync(fresh.ToEntity(), fresh.ETag, TableUpdateMode.Replace, ct).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.Status == 412)
            {
            }
        }
    }

    /// <summary>Raised after work items were sent, so workers in this process can poll at once instead of after their idle delay.</summary>
    public event Action? WorkSent;

    public async Task SendMessagesAsync(IEnumerable<string> messages, CancellationToken ct)
    {
        await SendCoreAsync(messages, ct).ConfigureAwait(false);
        WorkSent?.Invoke();
    }

    private async Task SendCoreAsync(IEnumerable<string> messages, CancellationToken ct)
    {
        foreach (var text in messages)
        {
            var message = WorkItemMessage.TryParse(text);
            TimeSpan? delay = message is { DelaySeconds: > 0 } ? TimeSpan.FromSeconds(Math.Min(message.DelaySeconds, TimeSpan.FromDays(7).TotalSeconds)) : null;
            await Work.SendMessageAsync(text, delay, Timeout.InfiniteTimeSpan, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Moves the instance into step <paramref name="stepIndex"/> with <paramref name="inputRef"/> as its input:
    /// schedules the activity, the fan-out's first elements, the timer or the wait; or completes the instance.
    /// Steps that need no work (an empty fan-out, inputs that already arrived) are passed through at once.
    /// </summary>
    public async Task EnterStepAsync(Transition t, OrchestrationDefinition definition, int stepIndex, string inputRef, CancellationToken ct)
    {
        var s = t.State;
        while (true)
        {
            s.StepIndex = stepIndex;
            s.InputRef = inputRef;
            s.FanTotal = s.FanScheduled = s.FanCompleted = 0;
            s.WaitingFor = [];
            s.Deadline = null;
            if (stepIndex >= definition.Steps.Count)
            {
                s.Status = InstanceStatus.Completed;
                s.OutputRef = inputRef;
                t.History.Add(HistoryRow(s.InstanceId, "Completed", null, detail: inputRef));
                return;
            }
            s.Status = InstanceStatus.Running;
            var step = definition.Steps[stepIndex];
            switch (step)
            {
                case ActivityStep:
                    t.Messages.Add(new WorkItemMessage(s.InstanceId, stepIndex, -1, WorkItemKind.Run, s.Version));
                    return;

                case DelayStep delay:
                    t.Messages.Add(new WorkItemMessage(s.InstanceId, stepIndex, -1, WorkItemKind.Timer, s.Version, delay.Delay.TotalSeconds));
                    s.Deadline = Now + delay.Delay;
                    t.History.Add(HistoryRow(s.InstanceId, "TimerScheduled", step.Name, detail: delay.Delay.ToString()));
                    return;

                case FanOutStep fan:
                {
                    var items = JsonNode.Parse(await ReadPayloadAsync(inputRef, ct).ConfigureAwait(false)) as JsonArray
                                ?? throw new InvalidOperationException($"Step '{fan.Name}' fans out over its input, which must be a JSON array.");
                    if (items.Count == 0)
                    {
                        inputRef = await WritePayloadAsync(OutputName(s.InstanceId, stepIndex, fan.Name), "[]", ct).ConfigureAwait(false);
                        stepIndex++;
                        continue;
                    }
                    await WriteItemsAsync(s.InstanceId, stepIndex, items, ct).ConfigureAwait(false);
                    s.FanTotal = items.Count;
                    s.FanScheduled = Math.Min(fan.MaxParallelism, items.Count);
                    for (int i = 0; i < s.FanScheduled; i++)
                    {
                        t.Messages.Add(new WorkItemMessage(s.InstanceId, stepIndex, i, WorkItemKind.Run, s.Version));
                    }
                    t.History.Add(HistoryRow(s.InstanceId, "StepScheduled", fan.Name, detail: $"fan-out over {items.Count} elements, at most {fan.MaxParallelism} at once"));
                    return;
                }

                case WaitForInputsStep wait:
                {
                    var arrived = await ArrivedEventsAsync(s.InstanceId, ct).ConfigureAwait(false);
                    var missing = wait.Inputs.Where(name => !arrived.ContainsKey(name)).ToList();
                    if (missing.Count == 0)
                    {
                        inputRef = await CombineEventsAsync(s.InstanceId, stepIndex, wait, arrived, ct).ConfigureAwait(false);
                        t.History.Add(HistoryRow(s.InstanceId, "InputArrived", wait.Name, detail: string.Join(',', wait.Inputs)));
                        stepIndex++;
                        continue;
                    }
                    s.Status = InstanceStatus.WaitingForInput;
                    s.WaitingFor = missing;
                    s.Deadline = Now + wait.Timeout;
                    t.Messages.Add(new WorkItemMessage(s.InstanceId, stepIndex, -1, WorkItemKind.Deadline, s.Version, wait.Timeout.TotalSeconds));
                    t.History.Add(HistoryRow(s.InstanceId, "InputAwaited", wait.Name, detail: $"{string.Join(',', missing)} until {s.Deadline:O}"));
                    return;
                }

                default:
                    throw new InvalidOperationException($"Unknown step type {step.GetType().Name}.");
            }
        }
    }

    public static string OutputName(string instanceId, int step, string stepName) =>
        string.Create(CultureInfo.InvariantCulture, $"{instanceId}/{step:D3}-{stepName}/output.json");

    private async Task WriteItemsAsync(string instanceId, int step, JsonArray items, CancellationToken ct)
    {
        var rows = new List<TableTransactionAction>();
        for (int i = 0; i < items.Count; i++)
        {
            var row = new TableEntity(instanceId, StepKey(step, i, 'i'));
            await StoreTextAsync(row, "Item", $"{instanceId}/{step:D3}/items/{i:D6}.json", items[i]?.ToJsonString() ?? "null", ct).ConfigureAwait(false);
            rows.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, row));
            if (rows.Count == 100)
            {
                await Table.SubmitTransactionAsync(rows, ct).ConfigureAwait(false);
                rows.Clear();
            }
        }
        if (rows.Count > 0)
        {
            await Table.SubmitTransactionAsync(rows, ct).ConfigureAwait(false);
        }
    }

    public async Task<Dictionary<string, string>> ArrivedEventsAsync(string instanceId, CancellationToken ct)
    {
        var events = new Dictionary<string, string>(StringComparer.Ordinal);
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {instanceId} and RowKey ge {"e-"} and RowKey lt {"e."}");
        await foreach (var row in Table.QueryAsync(filter, cancellationToken: ct).ConfigureAwait(false))
        {
            events[row.RowKey[2..]] = row.GetString("PayloadRef")!;
        }
        return events;
    }

    private async Task<string> CombineEventsAsync(string instanceId, int step, WaitForInputsStep wait, Dictionary<string, string> arrived, CancellationToken ct)
    {
        var combined = new JsonObject();
        foreach (var name in wait.Inputs)
        {
            combined[name] = JsonNode.Parse(await ReadPayloadAsync(arrived[name], ct).ConfigureAwait(false));
        }
        return await WritePayloadAsync(OutputName(instanceId, step, wait.Name), combined.ToJsonString(), ct).ConfigureAwait(false);
    }

    /// <summary>Reads a fan-out step's results in element order as one JSON array.</summary>
    public async Task<string> CollectResultsAsync(string instanceId, int step, TableEntity pending, CancellationToken ct)
    {
        var outputs = new SortedDictionary<string, string>(StringComparer.Ordinal) { [pending.RowKey] = await LoadTextAsync(pending, "Output", ct).ConfigureAwait(false) };
        string from = StepKey(step, 0, 'r'), to = StepKey(step, 999_999, 'r');
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {instanceId} and RowKey ge {from} and RowKey le {to}");
        await foreach (var row in Table.QueryAsync(filter, cancellationToken: ct).ConfigureAwait(false))
        {
            if (!outputs.ContainsKey(row.RowKey))
            {
                outputs[row.RowKey] = await LoadTextAsync(row, "Output", ct).ConfigureAwait(false);
            }
        }
        return "[" + string.Join(',', outputs.Values) + "]";
    }

    public static string Serialize(object value) => JsonSerializer.Serialize(value);
}
