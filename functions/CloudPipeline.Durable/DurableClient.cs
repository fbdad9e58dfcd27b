using CloudPipeline.Durable.Internal;
using CloudPipeline.Storage.Blobs;
using CloudPipeline.Storage.Queues;
using CloudPipeline.Storage.Tables;

namespace CloudPipeline.Durable;

/// <summary>
/// Starts instances, raises external events and reads status, history and output. Holds no state of its own:
/// any number of clients and workers on any number of machines may share one storage account.
/// </summary>
public sealed class DurableClient
{
    internal DurableClient(Engine engine) => Engine = engine;

    internal Engine Engine { get; }

    /// <summary>Creates a client (and the engine's table, queues and container if missing).</summary>
    public static async Task<DurableClient> CreateAsync(string connectionString, IEnumerable<OrchestrationDefinition> definitions, DurableOptions? options = null, CancellationToken cancellationToken = default)
    {
        var client = Create(connectionString, definitions, options);
        await client.Engine.EnsureStorageAsync(cancellationToken).ConfigureAwait(false);
        return client;
    }

    /// <summary>Creates a client without any request; the engine's table, queues and container must exist (see <see cref="EnsureStorageAsync"/>).</summary>
    public static DurableClient Create(string connectionString, IEnumerable<OrchestrationDefinition> definitions, DurableOptions? options = null)
    {
        options ??= new DurableOptions();
        return new DurableClient(new Engine(
            new TableClient(connectionString, options.TableName, options.StorageOptions),
            new QueueClient(connectionString, options.WorkQueueName, options.StorageOptions),
            new QueueClient(connectionString, options.PoisonQueueName, options.StorageOptions),
            new BlobContainerClient(connectionString, options.PayloadContainerName, options.StorageOptions),
            definitions,
            options));
    }

    /// <summary>Creates the engine's table, queues and container if they are missing.</summary>
    public Task EnsureStorageAsync(CancellationToken cancellationToken = default) => Engine.EnsureStorageAsync(cancellationToken);

    /// <summary>The input an instance was started with (JSON), or null if it does not exist.</summary>
    public async Task<string?> GetInputAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        var blob = Engine.Payloads.GetBlobClient($"{instanceId}/input.json");
        return (await blob.ExistsAsync(cancellationToken).ConfigureAwait(false)).Value
            ? (await blob.DownloadContentAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value.ToString()
            : null;
    }

    /// <summary>
    /// Starts an instance of the newest registered version of <paramref name="definitionName"/> with
    /// <paramref name="inputJson"/>. Idempotent: starting an existing instance id changes nothing and returns false.
    /// Use a deterministic id (e.g. derived from the dataset's content key) so that duplicate triggers collapse.
    /// </summary>
    public async Task<bool> StartAsync(string definitionName, string instanceId, string inputJson, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceId);
        var definition = Engine.LatestDefinition(definitionName) ?? throw new ArgumentException($"No orchestration named '{definitionName}' is registered.", nameof(definitionName));
        if (await Engine.ReadStateAsync(instanceId, cancellationToken).ConfigureAwait(false) is not null)
        {
            return false;
        }
        string inputRef = await Engine.WritePayloadAsync($"{instanceId}/input.json", inputJson, cancellationToken).ConfigureAwait(false);
        var now = Engine.Now;
        var state = new StateRow
        {
            InstanceId = instanceId,
            Definition = definition.Name,
            Version = definition.Version,
            CreatedAt = now,
            UpdatedAt = now,
        };
        var transition = new Transition(state);
        transition.History.Add(Engine.HistoryRow(instanceId, "Started", null, detail: $"{definition.Name} {definition.Version}"));
        await Engine.EnterStepAsync(transition, definition, 0, inputRef, cancellationToken).ConfigureAwait(false);
        state.Outbox = transition.Messages.Select(m => m.Serialize()).ToList();
        state.OutboxSent = state.Outbox.Count == 0;
        var actions = new List<TableTransactionAction> { new(TableTransactionActionType.Add, state.ToEntity()) };
        actions.AddRange(transition.History.Select(h => new TableTransactionAction(TableTransactionActionType.Add, h)));
        try
        {
            await Engine.Table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
        }
        catch (TableTransactionFailedException ex) when (ex.Status == 409)
        {
            return false; // Started concurrently by someone else.
        }
        await Engine.SendOutboxAsync(state, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Delivers an input to an instance. Idempotent per name (raising the same name again replaces the
    /// payload until it is consumed). Inputs raised before the instance waits for them are kept and used
    /// when it gets there. Returns false if the instance does not exist.
    /// </summary>
    public async Task<bool> RaiseEventAsync(string instanceId, string eventName, string payloadJson, CancellationToken cancellationToken = default)
    {
        if (await Engine.ReadStateAsync(instanceId, cancellationToken).ConfigureAwait(false) is null)
        {
            return false;
        }
        string payloadRef = await Engine.WritePayloadAsync($"{instanceId}/events/{eventName}.json", payloadJson, cancellationToken).ConfigureAwait(false);
        await Engine.Table.UpsertEntityAsync(new TableEntity(instanceId, "e-" + eventName) { ["PayloadRef"] = payloadRef, ["At"] = Engine.Now }, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        await Engine.TransitionAsync(instanceId, async state =>
        {
            if (state.Status != InstanceStatus.WaitingForInput)
            {
                return null;
            }
            var definition = Engine.Definition(state.Definition, state.Version);
            if (definition?.Steps[state.StepIndex] is not WaitForInputsStep)
            {
                return null;
            }
            var transition = new Transition(state);
            // Re-entering the wait step passes it when every input is there, or records what is still missing.
            await Engine.EnterStepAsync(transition, definition, state.StepIndex, state.InputRef!, cancellationToken).ConfigureAwait(false);
            if (transition.State.Status == InstanceStatus.WaitingForInput)
            {
                transition.Messages.Clear(); // the original deadline message still stands
                transition.History.Clear();
                transition.History.Add(Engine.HistoryRow(state.InstanceId, "InputArrived", definition.Steps[state.StepIndex].Name, detail: eventName));
            }
            return transition;
        }, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>The instance's state, or null if it does not exist.</summary>
    public async Task<InstanceState?> GetStateAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        var state = await Engine.ReadStateAsync(instanceId, cancellationToken).ConfigureAwait(false);
        return state?.ToPublic(Engine.Definition(state.Definition, state.Version));
    }

    /// <summary>The instance's history in time order.</summary>
    public async Task<IReadOnlyList<HistoryEvent>> GetHistoryAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        var events = new List<HistoryEvent>();
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {instanceId} and RowKey ge {"h"} and RowKey lt {"i"}");
        await foreach (var row in Engine.Table.QueryAsync(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            events.Add(new HistoryEvent(row.GetDateTimeOffset("At") ?? default, row.GetString("EventType")!, row.GetString("Step"),
                row.GetInt32("ItemIndex") ?? -1, row.GetInt32("Attempt") ?? 0, row.GetString("Detail")));
        }
        return events;
    }

    /// <summary>The output of a completed instance (JSON), or null if it has not completed.</summary>
    public async Task<string?> GetOutputAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        var state = await Engine.ReadStateAsync(instanceId, cancellationToken).ConfigureAwait(false);
        return state is { Status: InstanceStatus.Completed } ? await Engine.ReadPayloadAsync(state.OutputRef, cancellationToken).ConfigureAwait(false) : null;
    }

    /// <summary>Waits until the instance is terminal (or waiting, if <paramref name="untilWaiting"/>), polling storage.</summary>
    public async Task<InstanceState> WaitForStatusAsync(string instanceId, TimeSpan timeout, bool untilWaiting = false, CancellationToken cancellationToken = default)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var state = await GetStateAsync(instanceId, cancellationToken).ConfigureAwait(false);
            if (state is not null && (state.IsTerminal || (untilWaiting && state.Status == InstanceStatus.WaitingForInput)))
            {
                return state;
            }
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"Instance {instanceId} is still {state?.Status.ToString() ?? "missing"} at step {state?.StepName} after {timeout}.");
            }
            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
    }
}
