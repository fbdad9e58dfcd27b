using System.Reflection;
using Azure;
using Azure.Data.Tables;
using CloudPipeline.Contracts;
using CloudPipeline.Core.Pipeline;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CloudPipeline.Pipeline.Catalog;

/// <summary>A stage version as a host recorded it.</summary>
/// <param name="Name">Algorithm id.</param>
/// <param name="Version">Semantic version.</param>
/// <param name="Technique">Technique.</param>
/// <param name="Description">What it computes.</param>
/// <param name="Parameters">The manifest section that sets its parameters.</param>
/// <param name="ParametersSchema">That section's JSON schema.</param>
/// <param name="Build">The build of the host that last recorded it.</param>
/// <param name="RecordedAt">When.</param>
public sealed record AlgorithmVersionRecord(string Name, string Version, string Technique, string Description, string Parameters, string ParametersSchema, string Build,
    DateTimeOffset RecordedAt);

/// <summary>The AlgorithmVersions table: one row per stage name (partition) and version (row).</summary>
public sealed class AlgorithmVersionsTable(TableServiceClient tables, TimeProvider time)
{
    private TableClient Table => tables.GetTableClient(StorageLayout.AlgorithmVersionsTable);

    /// <summary>The build this host runs (the assembly's informational version).</summary>
    public static string Build { get; } = typeof(AlgorithmRegistry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>Records every stage of <see cref="AlgorithmRegistry"/> (upsert: a version another host recorded is kept, its build and time updated).</summary>
    public async Task RecordAsync(CancellationToken ct)
    {
        await Table.CreateIfNotExistsAsync(ct).ConfigureAwait(false);
        var now = time.GetUtcNow();
        foreach (var byName in AlgorithmRegistry.All.GroupBy(a => a.Name))
        {
            await Table.SubmitTransactionAsync(byName.Select(a => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(Keys.Escape(a.Name), Keys.Escape(a.Version))
            {
                ["Technique"] = a.Technique,
                ["Description"] = a.Description,
                ["Parameters"] = a.Parameters,
                ["ParametersSchema"] = a.ParametersSchema,
                ["Build"] = Build,
                ["RecordedAt"] = now,
            })), ct).ConfigureAwait(false);
        }
    }

    /// <summary>Every recorded stage version.</summary>
    public async Task<IReadOnlyList<AlgorithmVersionRecord>> ListAsync(CancellationToken ct)
    {
        var list = new List<AlgorithmVersionRecord>();
        await foreach (var e in Table.QueryAsync<TableEntity>(cancellationToken: ct).ConfigureAwait(false))
        {
            list.Add(new AlgorithmVersionRecord(Uri.UnescapeDataString(e.PartitionKey), Uri.UnescapeDataString(e.RowKey), e.GetString("Technique") ?? "", e.GetString("Description") ?? "",
                e.GetString("Parameters") ?? "", e.GetString("ParametersSchema") ?? "", e.GetString("Build") ?? "", e.GetDateTimeOffset("RecordedAt") ?? default));
        }
        return list;
    }
}

/// <summary>
/// Records the stages this host runs in the AlgorithmVersions table when it starts. Storage that cannot be reached is
/// logged and does not stop the host: the record is made again at its next start.
/// </summary>
public sealed partial class AlgorithmVersionsRecorder(AlgorithmVersionsTable table, ILogger<AlgorithmVersionsRecorder> logger) : IHostedService
{
    /// <inheritdoc/>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await table.RecordAsync(cancellationToken);
            LogRecorded(AlgorithmRegistry.All.Count, AlgorithmVersionsTable.Build);
        }
        catch (Exception ex) when (ex is RequestFailedException or HttpRequestException or AggregateException)
        {
            LogNotRecorded(ex.Message);
        }
    }

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 2501, Level = LogLevel.Information, Message = "Recorded {Count} algorithm versions of build {Build}.")]
    private partial void LogRecorded(int count, string build);

    [LoggerMessage(EventId = 2502, Level = LogLevel.Warning, Message = "Could not record the algorithm versions ({Reason}); results still carry their versions, and the next start records them.")]
    private partial void LogNotRecorded(string reason);
}
