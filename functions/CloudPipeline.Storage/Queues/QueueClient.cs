using System.Globalization;
using System.Security;
using System.Text;
using System.Xml.Linq;
using Azure;
using Azure.Core;
using CloudPipeline.Storage.Internal;

namespace CloudPipeline.Storage.Queues;

/// <summary>
/// One storage queue. Messages are plain text (XML-escaped on the wire) of at most 64 KiB; put larger
/// payloads in a blob and send a reference. Immutable and safe to share between threads.
/// </summary>
public class QueueClient
{
    private readonly ServiceConnection _connection;

    /// <summary>Connects to a queue with a connection string.</summary>
    public QueueClient(string connectionString, string queueName, StorageClientOptions? options = null)
        : this(ServiceConnection.FromConnectionString(connectionString, StorageService.Queue, options), queueName)
    {
    }

    /// <summary>Connects to a queue with an account key.</summary>
    public QueueClient(Uri serviceUri, string queueName, AzureNamedKeyCredential credential, StorageClientOptions? options = null)
        : this(ServiceConnection.FromSharedKey(serviceUri, credential, StorageService.Queue, options), queueName)
    {
    }

    /// <summary>Connects to a queue with a shared access signature.</summary>
    public QueueClient(Uri serviceUri, string queueName, AzureSasCredential credential, StorageClientOptions? options = null)
        : this(ServiceConnection.FromSas(serviceUri, credential, StorageService.Queue, options), queueName)
    {
    }

    /// <summary>Connects to a queue with an Entra ID token.</summary>
    public QueueClient(Uri serviceUri, string queueName, TokenCredential credential, StorageClientOptions? options = null)
        : this(ServiceConnection.FromToken(serviceUri, credential, StorageService.Queue, options), queueName)
    {
    }

    internal QueueClient(ServiceConnection connection, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _connection = connection;
        Name = name;
    }

    /// <summary>For mocking frameworks only.</summary>
    protected QueueClient()
    {
        _connection = null!;
        Name = null!;
    }

    /// <summary>The queue name.</summary>
    public virtual string Name { get; }

    /// <summary>The queue URI.</summary>
    public virtual Uri Uri => _connection.Uri(Name).ToUri();

    /// <summary>Creates the queue unless it exists. Returns true if this call created it.</summary>
    public virtual async Task<Response<bool>> CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        var response = await _connection.SendAsync(_connection.CreateRequest(RequestMethod.Put, _connection.Uri(Name)), cancellationToken, 201, 204).ConfigureAwait(false);
        return Response.FromValue(response.Status == 201, response);
    }

    /// <summary>Deletes the queue and its messages.</summary>
    public virtual async Task<Response> DeleteAsync(CancellationToken cancellationToken = default) =>
        await _connection.SendAsync(_connection.CreateRequest(RequestMethod.Delete, _connection.Uri(Name)), cancellationToken, 204).ConfigureAwait(false);

    /// <summary>Sends a message.</summary>
    /// <param name="messageText">The content (at most 64 KiB after XML escaping).</param>
    /// <param name="visibilityTimeout">Delay before the message becomes visible (0 to 7 days). Default: at once.</param>
    /// <param name="timeToLive">How long the message lives; default 7 days; <see cref="Timeout.InfiniteTimeSpan"/> for never.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public virtual async Task<Response<SendReceipt>> SendMessageAsync(string messageText, TimeSpan? visibilityTimeout = null, TimeSpan? timeToLive = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messageText);
        var uri = MessagesUri();
        if (visibilityTimeout is { } delay)
        {
            uri.AppendQuery("visibilitytimeout", Seconds(delay));
        }
        if (timeToLive is { } ttl)
        {
            uri.AppendQuery("messagettl", ttl == Timeout.InfiniteTimeSpan ? "-1" : Seconds(ttl));
        }
        var request = _connection.CreateRequest(RequestMethod.Post, uri);
        request.Headers.SetValue("Content-Type", "application/xml");
        request.Content = RequestContent.Create(Encoding.UTF8.GetBytes(
            $"<?xml version=\"1.0\" encoding=\"utf-8\"?><QueueMessage><MessageText>{SecurityElement.Escape(messageText)}</MessageText></QueueMessage>"));
        var response = await _connection.SendAsync(request, cancellationToken, 201).ConfigureAwait(false);
        var message = XDocument.Parse(response.Content.ToString()).Root!.Element("QueueMessage")!;
        return Response.FromValue(new SendReceipt(
            message.Element("MessageId")!.Value,
            message.Element("PopReceipt")!.Value,
            ParseTime(message.Element("TimeNextVisible")) ?? default), response);
    }

    /// <summary>
    /// Receives up to <paramref name="maxMessages"/> (1–32) messages and hides them for
    /// <paramref name="visibilityTimeout"/> (default 30 s). A message not deleted in that time is delivered
    /// again, with a higher <see cref="QueueMessage.DequeueCount"/>.
    /// </summary>
    public virtual async Task<Response<IReadOnlyList<QueueMessage>>> ReceiveMessagesAsync(int maxMessages = 1, TimeSpan? visibilityTimeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxMessages, 32);
        var uri = MessagesUri();
        uri.AppendQuery("numofmessages", maxMessages.ToString(CultureInfo.InvariantCulture));
        if (visibilityTimeout is { } timeout)
        {
            uri.AppendQuery("visibilitytimeout", Seconds(timeout));
        }
        var response = await _connection.SendAsync(_connection.CreateRequest(RequestMethod.Get, uri), cancellationToken, 200).ConfigureAwait(false);
        var messages = XDocument.Parse(response.Content.ToString()).Root!.Elements("QueueMessage").Select(m => new QueueMessage
        {
            MessageId = m.Element("MessageId")!.Value,
            PopReceipt = m.Element("PopReceipt")!.Value,
            MessageText = m.Element("MessageText")?.Value ?? string.Empty,
            DequeueCount = long.Parse(m.Element("DequeueCount")?.Value ?? "0", CultureInfo.InvariantCulture),
            InsertedOn = ParseTime(m.Element("InsertionTime")),
            ExpiresOn = ParseTime(m.Element("ExpirationTime")),
            NextVisibleOn = ParseTime(m.Element("TimeNextVisible")),
        }).ToList();
        return Response.FromValue<IReadOnlyList<QueueMessage>>(messages, response);
    }

    /// <summary>Reads up to <paramref name="maxMessages"/> (1–32) visible messages without hiding them.</summary>
    public virtual async Task<Response<IReadOnlyList<PeekedMessage>>> PeekMessagesAsync(int maxMessages = 1, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxMessages, 32);
        var uri = MessagesUri();
        uri.AppendQuery("peekonly", "true");
        uri.AppendQuery("numofmessages", maxMessages.ToString(CultureInfo.InvariantCulture));
        var response = await _connection.SendAsync(_connection.CreateRequest(RequestMethod.Get, uri), cancellationToken, 200).ConfigureAwait(false);
        var messages = XDocument.Parse(response.Content.ToString()).Root!.Elements("QueueMessage").Select(m => new PeekedMessage(
            m.Element("MessageId")!.Value,
            m.Element("MessageText")?.Value ?? string.Empty,
            long.Parse(m.Element("DequeueCount")?.Value ?? "0", CultureInfo.InvariantCulture))).ToList();
        return Response.FromValue<IReadOnlyList<PeekedMessage>>(messages, response);
    }

    /// <summary>
    /// Changes a received message's visibility timeout (a heartbeat for long work, or a retry delay) and
    /// optionally its text. Returns the new pop receipt, which replaces the old one.
    /// </summary>
    public virtual async Task<Response<UpdateReceipt>> UpdateMessageAsync(string messageId, string popReceipt, TimeSpan visibilityTimeout, string? messageText = null, CancellationToken cancellationToken = default)
    {
        var uri = MessagesUri();
        uri.AppendPath("/", escape: false);
        uri.AppendPath(messageId, escape: true);
        uri.AppendQuery("popreceipt", popReceipt);
        uri.AppendQuery("visibilitytimeout", Seconds(visibilityTimeout));
        var request = _connection.CreateRequest(RequestMethod.Put, uri);
        if (messageText is not null)
        {
            request.Headers.SetValue("Content-Type", "application/xml");
            request.Content = RequestContent.Create(Encoding.UTF8.GetBytes(
                $"<?xml version=\"1.0\" encoding=\"utf-8\"?><QueueMessage><MessageText>{SecurityElement.Escape(messageText)}</MessageText></QueueMessage>"));
        }
        var response = await _connection.SendAsync(request, cancellationToken, 204).ConfigureAwait(false);
        response.Headers.TryGetValue("x-ms-popreceipt", out var receipt);
        response.Headers.TryGetValue("x-ms-time-next-visible", out var next);
        return Response.FromValue(new UpdateReceipt(receipt ?? popReceipt,
            next is null ? default : DateTimeOffset.Parse(next, CultureInfo.InvariantCulture)), response);
    }

    /// <summary>Deletes a received message: 404 (<c>MessageNotFound</c>) if it is gone, 400 (<c>PopReceiptMismatch</c>) if someone received it since.</summary>
    public virtual async Task<Response> DeleteMessageAsync(string messageId, string popReceipt, CancellationToken cancellationToken = default)
    {
        var uri = MessagesUri();
        uri.AppendPath("/", escape: false);
        uri.AppendPath(messageId, escape: true);
        uri.AppendQuery("popreceipt", popReceipt);
        return await _connection.SendAsync(_connection.CreateRequest(RequestMethod.Delete, uri), cancellationToken, 204).ConfigureAwait(false);
    }

    /// <summary>Deletes every message.</summary>
    public virtual async Task<Response> ClearMessagesAsync(CancellationToken cancellationToken = default) =>
        await _connection.SendAsync(_connection.CreateRequest(RequestMethod.Delete, MessagesUri()), cancellationToken, 204).ConfigureAwait(false);

    /// <summary>Reads the approximate message count and metadata.</summary>
    public virtual async Task<Response<QueueProperties>> GetPropertiesAsync(CancellationToken cancellationToken = default)
    {
        var uri = _connection.Uri(Name);
        uri.AppendQuery("comp", "metadata");
        var response = await _connection.SendAsync(_connection.CreateRequest(RequestMethod.Get, uri), cancellationToken, 200).ConfigureAwait(false);
        response.Headers.TryGetValue("x-ms-approximate-messages-count", out var count);
        var metadata = response.Headers
            .Where(h => h.Name.StartsWith("x-ms-meta-", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(h => h.Name["x-ms-meta-".Length..], h => h.Value, StringComparer.OrdinalIgnoreCase);
        return Response.FromValue(new QueueProperties(int.Parse(count ?? "0", CultureInfo.InvariantCulture), metadata), response);
    }

    private RequestUriBuilder MessagesUri() => _connection.Uri(Name, "messages");

    private static string Seconds(TimeSpan value) => ((long)Math.Ceiling(value.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    private static DateTimeOffset? ParseTime(XElement? element) =>
        element is null || element.Value.Length == 0 ? null : DateTimeOffset.Parse(element.Value, CultureInfo.InvariantCulture);
}
