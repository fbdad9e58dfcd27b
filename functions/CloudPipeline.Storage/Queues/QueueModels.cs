namespace CloudPipeline.Storage.Queues;

/// <summary>A message received from a queue; it is invisible to others until its visibility timeout ends.</summary>
public sealed record QueueMessage
{
    /// <summary>The service-assigned message id.</summary>
    public required string MessageId { get; init; }

    /// <summary>The receipt needed to delete or update this delivery; changes on every receive and update.</summary>
    public required string PopReceipt { get; init; }

    /// <summary>The message text.</summary>
    public required string MessageText { get; init; }

    /// <summary>How many times the message has been received, this delivery included: the attempt number.</summary>
    public long DequeueCount { get; init; }

    /// <summary>When the message was put on the queue.</summary>
    public DateTimeOffset? InsertedOn { get; init; }

    /// <summary>When the message expires.</summary>
    public DateTimeOffset? ExpiresOn { get; init; }

    /// <summary>When the message becomes visible again unless deleted or updated.</summary>
    public DateTimeOffset? NextVisibleOn { get; init; }
}

/// <summary>A message seen by Peek: content only, no receipt, visibility unchanged.</summary>
/// <param name="MessageId">The message id.</param>
/// <param name="MessageText">The message text.</param>
/// <param name="DequeueCount">How many times it has been received so far.</param>
public sealed record PeekedMessage(string MessageId, string MessageText, long DequeueCount);

/// <summary>The result of sending a message.</summary>
/// <param name="MessageId">The new message's id.</param>
/// <param name="PopReceipt">A receipt that allows deleting or updating it before it is received.</param>
/// <param name="NextVisibleOn">When it becomes visible.</param>
public sealed record SendReceipt(string MessageId, string PopReceipt, DateTimeOffset NextVisibleOn);

/// <summary>The result of updating a message.</summary>
/// <param name="PopReceipt">The new receipt; the old one no longer works.</param>
/// <param name="NextVisibleOn">When the message becomes visible again.</param>
public sealed record UpdateReceipt(string PopReceipt, DateTimeOffset NextVisibleOn);

/// <summary>Queue properties.</summary>
/// <param name="ApproximateMessagesCount">The service's approximate count of messages, visible or not.</param>
/// <param name="Metadata">User metadata.</param>
public sealed record QueueProperties(int ApproximateMessagesCount, IReadOnlyDictionary<string, string> Metadata);
