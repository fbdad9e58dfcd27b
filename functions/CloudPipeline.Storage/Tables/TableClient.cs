using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Core;
using CloudPipeline.Storage.Internal;

namespace CloudPipeline.Storage.Tables;

/// <summary>One table. Immutable and safe to share between threads.</summary>
public class TableClient
{
    private const string JsonAccept = "application/json;odata=fullmetadata";
    private readonly ServiceConnection _connection;

    /// <summary>Connects to a table with a connection string.</summary>
    public TableClient(string connectionString, string tableName, StorageClientOptions? options = null)
        : this(ServiceConnection.FromConnectionString(connectionString, StorageService.Table, options), tableName)
    {
    }

    /// <summary>Connects to a table with an account key.</summary>
    public TableClient(Uri serviceUri, string tableName, AzureNamedKeyCredential credential, StorageClientOptions? options = null)
        : this(ServiceConnection.FromSharedKey(serviceUri, credential, StorageService.Table, options), tableName)
    {
    }

    /// <summary>Connects to a table with a shared access signature.</summary>
    public TableClient(Uri serviceUri, string tableName, AzureSasCredential credential, StorageClientOptions? options = null)
        : this(ServiceConnection.FromSas(serviceUri, credential, StorageService.Table, options), tableName)
    {
    }

    /// <summary>Connects to a table with an Entra ID token.</summary>
    public TableClient(Uri serviceUri, string tableName, TokenCredential credential, StorageClientOptions? options = null)
        : this(ServiceConnection.FromToken(serviceUri, credential, StorageService.Table, options), tableName)
    {
    }

    internal TableClient(ServiceConnection connection, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _connection = connection;
        Name = name;
    }

    /// <summary>For mocking frameworks only.</summary>
    protected TableClient()
    {
        _connection = null!;
        Name = null!;
    }

    /// <summary>The table name.</summary>
    public virtual string Name { get; }

    /// <summary>
    /// Builds an OData filter from an interpolated string, quoting and escaping each value by its type:
    /// <c>CreateQueryFilter($"PartitionKey eq {site} and Count gt {10L}")</c>.
    /// </summary>
    public static string CreateQueryFilter(FormattableString filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var args = filter.GetArguments().Select(FormatFilterValue).ToArray();
        return string.Format(CultureInfo.InvariantCulture, filter.Format, args);
    }

    private static string FormatFilterValue(object? value) => value switch
    {
        null => "null",
        string s => $"'{s.Replace("'", "''", StringComparison.Ordinal)}'",
        bool b => b ? "true" : "false",
        int i => i.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture) + "L",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        DateTimeOffset dt => $"datetime'{dt.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffffffZ}'",
        DateTime dt => $"datetime'{dt.ToUniversalTime():yyyy-MM-ddTHH:mm:ss.fffffffZ}'",
        Guid g => $"guid'{g:D}'",
        byte[] bytes => $"X'{Convert.ToHexString(bytes)}'",
        _ => throw new ArgumentException($"Values of type {value.GetType().Name} cannot be used in a table filter."),
    };

    /// <summary>Creates the table unless it exists. Returns true if this call created it.</summary>
    public virtual async Task<Response<bool>> CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        var request = JsonRequest(RequestMethod.Post, _connection.Uri("Tables"));
        request.Headers.SetValue("Prefer", "return-no-content");
        SetJsonContent(request, JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["TableName"] = Name }));
        var response = await _connection.SendAsync(request, cancellationToken, 201, 204, 409).ConfigureAwait(false);
        return Response.FromValue(response.Status != 409, response);
    }

    /// <summary>Deletes the table and all its entities.</summary>
    public virtual async Task<Response> DeleteAsync(CancellationToken cancellationToken = default)
    {
        var uri = _connection.Uri();
        uri.AppendPath($"/Tables('{EscapeKey(Name)}')", escape: false);
        return await _connection.SendAsync(JsonRequest(RequestMethod.Delete, uri), cancellationToken, 204).ConfigureAwait(false);
    }

    /// <summary>Inserts an entity; 409 (<c>EntityAlreadyExists</c>) if one with the same keys exists.</summary>
    public virtual async Task<Response> AddEntityAsync(TableEntity entity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var request = JsonRequest(RequestMethod.Post, _connection.Uri(Name));
        request.Headers.SetValue("Prefer", "return-no-content");
        SetJsonContent(request, TableEntityJson.Serialize(entity));
        return await _connection.SendAsync(request, cancellationToken, 204).ConfigureAwait(false);
    }

    /// <summary>Inserts the entity, or replaces or merges it into an existing one, without any ETag check.</summary>
    public virtual Task<Response> UpsertEntityAsync(TableEntity entity, TableUpdateMode mode = TableUpdateMode.Merge, CancellationToken cancellationToken = default) =>
        WriteEntityAsync(entity, mode, ifMatch: null, cancellationToken);

    /// <summary>
    /// Updates an existing entity if its ETag still equals <paramref name="ifMatch"/> (use
    /// <see cref="ETag.All"/> for any); 412 (<c>UpdateConditionNotSatisfied</c>) if someone changed it since,
    /// 404 if it does not exist.
    /// </summary>
    public virtual Task<Response> UpdateEntityAsync(TableEntity entity, ETag ifMatch, TableUpdateMode mode = TableUpdateMode.Merge, CancellationToken cancellationToken = default) =>
        WriteEntityAsync(entity, mode, ifMatch == default ? ETag.All : ifMatch, cancellationToken);

    private async Task<Response> WriteEntityAsync(TableEntity entity, TableUpdateMode mode, ETag? ifMatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var request = JsonRequest(mode == TableUpdateMode.Merge ? Merge : RequestMethod.Put, EntityUri(entity.PartitionKey, entity.RowKey));
        if (ifMatch is { } etag)
        {
            request.Headers.SetValue("If-Match", etag.ToString("H"));
        }
        SetJsonContent(request, TableEntityJson.Serialize(entity));
        return await _connection.SendAsync(request, cancellationToken, 204).ConfigureAwait(false);
    }

    /// <summary>Deletes an entity if its ETag matches (default: any). 404 if it does not exist.</summary>
    public virtual async Task<Response> DeleteEntityAsync(string partitionKey, string rowKey, ETag ifMatch = default, CancellationToken cancellationToken = default)
    {
        var request = JsonRequest(RequestMethod.Delete, EntityUri(partitionKey, rowKey));
        request.Headers.SetValue("If-Match", (ifMatch == default ? ETag.All : ifMatch).ToString("H"));
        return await _connection.SendAsync(request, cancellationToken, 204).ConfigureAwait(false);
    }

    /// <summary>Reads one entity; 404 (<c>ResourceNotFound</c>) if it does not exist.</summary>
    public virtual async Task<Response<TableEntity>> GetEntityAsync(string partitionKey, string rowKey, IEnumerable<string>? select = null, CancellationToken cancellationToken = default)
    {
        var response = await GetEntityCoreAsync(partitionKey, rowKey, select, throwIfMissing: true, cancellationToken).ConfigureAwait(false);
        return Response.FromValue(Entity(response), response);
    }

    /// <summary>Reads one entity, or null if it does not exist.</summary>
    public virtual async Task<Response<TableEntity?>> GetEntityIfExistsAsync(string partitionKey, string rowKey, IEnumerable<string>? select = null, CancellationToken cancellationToken = default)
    {
        var response = await GetEntityCoreAsync(partitionKey, rowKey, select, throwIfMissing: false, cancellationToken).ConfigureAwait(false);
        return Response.FromValue<TableEntity?>(response.Status == 404 ? null : Entity(response), response);
    }

    private async Task<Response> GetEntityCoreAsync(string partitionKey, string rowKey, IEnumerable<string>? select, bool throwIfMissing, CancellationToken cancellationToken)
    {
        var uri = EntityUri(partitionKey, rowKey);
        if (select is not null)
        {
            uri.AppendQuery("$select", string.Join(',', select));
        }
        return throwIfMissing
            ? await _connection.SendAsync(JsonRequest(RequestMethod.Get, uri), cancellationToken, 200).ConfigureAwait(false)
            : await _connection.SendAsync(JsonRequest(RequestMethod.Get, uri), cancellationToken, 200, 404).ConfigureAwait(false);
    }

    private static TableEntity Entity(Response response)
    {
        using var json = JsonDocument.Parse(response.Content.ToMemory());
        return TableEntityJson.Deserialize(json.RootElement, response.Headers.ETag);
    }

    /// <summary>
    /// Queries entities. Pages follow the service's continuation (at most 1,000 entities per page, fewer if
    /// <paramref name="maxPerPage"/> says so); iterate the pageable to read them all.
    /// </summary>
    /// <param name="filter">An OData filter such as <c>PartitionKey eq 'x'</c>; see <see cref="CreateQueryFilter"/>.</param>
    /// <param name="select">Properties to return; default all.</param>
    /// <param name="maxPerPage">The <c>$top</c> of each page request.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    public virtual AsyncPageable<TableEntity> QueryAsync(string? filter = null, IEnumerable<string>? select = null, int? maxPerPage = null, CancellationToken cancellationToken = default)
    {
        var selected = select?.ToArray();
        return new FuncAsyncPageable<TableEntity>(async (token, pageSize, ct) =>
        {
            var uri = _connection.Uri();
            uri.AppendPath("/", escape: false);
            uri.AppendPath(Name, escape: true);
            uri.AppendPath("()", escape: false);
            if (!string.IsNullOrEmpty(filter))
            {
                uri.AppendQuery("$filter", filter);
            }
            if (selected is { Length: > 0 })
            {
                uri.AppendQuery("$select", string.Join(',', selected));
            }
            if ((pageSize ?? maxPerPage) is { } top)
            {
                uri.AppendQuery("$top", top.ToString(CultureInfo.InvariantCulture));
            }
            if (!string.IsNullOrEmpty(token))
            {
                var parts = token.Split(' ', 2);
                uri.AppendQuery("NextPartitionKey", parts[0]);
                if (parts.Length > 1 && parts[1].Length > 0)
                {
                    uri.AppendQuery("NextRowKey", parts[1]);
                }
            }
            var response = await _connection.SendAsync(JsonRequest(RequestMethod.Get, uri), ct, 200).ConfigureAwait(false);
            using var json = JsonDocument.Parse(response.Content.ToMemory());
            var entities = json.RootElement.GetProperty("value").EnumerateArray().Select(e => TableEntityJson.Deserialize(e)).ToList();
            response.Headers.TryGetValue("x-ms-continuation-NextPartitionKey", out var nextPk);
            response.Headers.TryGetValue("x-ms-continuation-NextRowKey", out var nextRk);
            string? next = string.IsNullOrEmpty(nextPk) ? null : $"{nextPk} {nextRk}";
            return Page<TableEntity>.FromValues(entities, next, response);
        }, cancellationToken);
    }

    /// <summary>
    /// Runs up to 100 actions on one partition as an entity-group transaction: all succeed or none is
    /// applied. Throws <see cref="TableTransactionFailedException"/> naming the failing action otherwise.
    /// </summary>
    public virtual async Task<Response<IReadOnlyList<int>>> SubmitTransactionAsync(IEnumerable<TableTransactionAction> actions, CancellationToken cancellationToken = default)
    {
        var list = actions?.ToList() ?? throw new ArgumentNullException(nameof(actions));
        if (list.Count is 0 or > 100)
        {
            throw new ArgumentException($"A transaction holds 1 to 100 actions; this one has {list.Count}.", nameof(actions));
        }
        if (list.Select(a => a.Entity.PartitionKey).Distinct(StringComparer.Ordinal).Count() > 1)
        {
            throw new ArgumentException("All actions of a transaction must share one partition key.", nameof(actions));
        }

        string batch = "batch_" + Guid.NewGuid().ToString("N");
        string changeset = "changeset_" + Guid.NewGuid().ToString("N");
        var body = new StringBuilder();
        body.Append("--").Append(batch).Append("\r\n");
        body.Append("Content-Type: multipart/mixed; boundary=").Append(changeset).Append("\r\n\r\n");
        for (int i = 0; i < list.Count; i++)
        {
            var action = list[i];
            var entity = action.Entity;
            var etag = action.ETag != default ? action.ETag : entity.ETag != default ? entity.ETag : ETag.All;
            (string method, string url, bool ifMatch, bool hasBody) = action.ActionType switch
            {
                TableTransactionActionType.Add => ("POST", _connection.Uri(Name).ToUri().AbsoluteUri, false, true),
                TableTransactionActionType.UpdateMerge => ("MERGE", EntityUri(entity.PartitionKey, entity.RowKey).ToUri().AbsoluteUri, true, true),
                TableTransactionActionType.UpdateReplace => ("PUT", EntityUri(entity.PartitionKey, entity.RowKey).ToUri().AbsoluteUri, true, true),
                TableTransactionActionType.Delete => ("DELETE", EntityUri(entity.PartitionKey, entity.RowKey).ToUri().AbsoluteUri, true, false),
                TableTransactionActionType.UpsertMerge => ("MERGE", EntityUri(entity.PartitionKey, entity.RowKey).ToUri().AbsoluteUri, false, true),
                _ => ("PUT", EntityUri(entity.PartitionKey, entity.RowKey).ToUri().AbsoluteUri, false, true),
            };
            body.Append("--").Append(changeset).Append("\r\n");
            body.Append("Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n");
            body.Append("Content-ID: ").Append(i + 1).Append("\r\n\r\n");
            body.Append(method).Append(' ').Append(url).Append(" HTTP/1.1\r\n");
            body.Append("Accept: application/json;odata=minimalmetadata\r\nDataServiceVersion: 3.0\r\n");
            if (ifMatch)
            {
                body.Append("If-Match: ").Append(etag.ToString("H")).Append("\r\n");
            }
            if (hasBody)
            {
                body.Append("Content-Type: application/json\r\nPrefer: return-no-content\r\n\r\n");
                body.Append(Encoding.UTF8.GetString(TableEntityJson.Serialize(entity))).Append("\r\n");
            }
            else
            {
                body.Append("\r\n");
            }
        }
        body.Append("--").Append(changeset).Append("--\r\n");
        body.Append("--").Append(batch).Append("--\r\n");

        var request = _connection.CreateRequest(RequestMethod.Post, _connection.Uri("$batch"));
        request.Headers.SetValue("Content-Type", "multipart/mixed; boundary=" + batch);
        request.Headers.SetValue("Accept", "application/json");
        request.Headers.SetValue("DataServiceVersion", "3.0");
        request.Headers.SetValue("MaxDataServiceVersion", "3.0;NetFx");
        request.Content = RequestContent.Create(Encoding.UTF8.GetBytes(body.ToString()));
        var response = await _connection.SendAsync(request, cancellationToken, 202).ConfigureAwait(false);
        var statuses = ParseBatchStatuses(response.Content.ToString(), out var failure);
        if (failure is { } f)
        {
            throw new TableTransactionFailedException(f.Status,
                $"Table transaction on '{Name}' failed with HTTP {f.Status}{(f.Code is null ? "" : $", error code {f.Code}")}" +
                $"{(f.Index is { } idx ? $" at action {idx} ({list[idx].ActionType} {list[idx].Entity.RowKey})" : "")}: {f.Message}. No action was applied.",
                f.Code, f.Index);
        }
        return Response.FromValue<IReadOnlyList<int>>(statuses, response);
    }

    private static List<int> ParseBatchStatuses(string body, out (int Status, string? Code, string Message, int? Index)? failure)
    {
        failure = null;
        var statuses = new List<int>();
        var lines = body.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        for (int i = 0; i < lines.Count; i++)
        {
            if (!lines[i].StartsWith("HTTP/1.1 ", StringComparison.Ordinal))
            {
                continue;
            }
            int status = int.Parse(lines[i].AsSpan(9, 3), CultureInfo.InvariantCulture);
            statuses.Add(status);
            if (status < 400 || failure is not null)
            {
                continue;
            }
            string? code = null;
            string message = lines[i];
            int? index = null;
            int jsonLine = lines.FindIndex(i, l => l.TrimStart().StartsWith('{'));
            if (jsonLine >= 0)
            {
                try
                {
                    using var json = JsonDocument.Parse(lines[jsonLine]);
                    if (json.RootElement.TryGetProperty("odata.error", out var error))
                    {
                        code = error.TryGetProperty("code", out var c) ? c.GetString() : null;
                        message = error.TryGetProperty("message", out var m) && m.TryGetProperty("value", out var v) ? v.GetString() ?? message : message;
                    }
                }
                catch (JsonException)
                {
                    message = lines[jsonLine];
                }
            }
            // The service prefixes the message with the zero-based index of the failing action: "2:..."
            int colon = message.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && int.TryParse(message.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out int idx))
            {
                index = idx;
                message = message[(colon + 1)..].Trim();
            }
            failure = (status, code, message.Split('\n')[0], index);
        }
        return statuses;
    }

    private static readonly RequestMethod Merge = new("MERGE");

    private Request JsonRequest(RequestMethod method, RequestUriBuilder uri)
    {
        var request = _connection.CreateRequest(method, uri);
        request.Headers.SetValue("Accept", JsonAccept);
        request.Headers.SetValue("DataServiceVersion", "3.0");
        request.Headers.SetValue("MaxDataServiceVersion", "3.0;NetFx");
        return request;
    }

    /// <summary>
    /// Content-Type goes only on requests with a body: the transport drops it otherwise, and it is part of
    /// the signed string, so a bodiless request carrying it would fail authentication.
    /// </summary>
    private static void SetJsonContent(Request request, byte[] json)
    {
        request.Headers.SetValue("Content-Type", "application/json");
        request.Content = RequestContent.Create(json);
    }

    private RequestUriBuilder EntityUri(string partitionKey, string rowKey)
    {
        var uri = _connection.Uri(Name);
        uri.AppendPath($"(PartitionKey='{EscapeKey(partitionKey)}',RowKey='{EscapeKey(rowKey)}')", escape: false);
        return uri;
    }

    private static string EscapeKey(string key) => Uri.EscapeDataString(key.Replace("'", "''", StringComparison.Ordinal));
}
