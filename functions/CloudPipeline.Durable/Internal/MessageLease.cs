using Azure;
using CloudPipeline.Storage.Queues;
using Microsoft.Extensions.Logging;

namespace CloudPipeline.Durable.Internal;

/// <summary>
/// A received message and its current pop receipt, which changes with every visibility update; the
/// heartbeat and the final delete must use the latest one.
/// </summary>
internal sealed class MessageLease
{
    private readonly QueueClient _queue;
    private readonly object _gate = new();
    private string _receipt;

    public MessageLease(QueueClient queue, QueueMessage message)
    {
        _queue = queue;
        Message = message;
        _receipt = message.PopReceipt;
    }

    public QueueMessage Message { get; }

    private string Receipt
    {
        get
        {
            lock (_gate)
            {
                return _receipt;
            }
        }
        set
        {
            lock (_gate)
            {
                _receipt = value;
            }
        }
    }

    public async Task ExtendAsync(TimeSpan visibility, CancellationToken ct)
    {
        var capped = visibility > TimeSpan.FromDays(7) ? TimeSpan.FromDays(7) : visibility;
        Receipt = (await _queue.UpdateMessageAsync(Message.MessageId, Receipt, capped, cancellationToken: ct).ConfigureAwait(false)).Value.PopReceipt;
    }

    public async Task DeleteAsync(CancellationToken ct)
    {
        try
        {
            await _queue.DeleteMessageAsync(Message.MessageId, Receipt, ct).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 400)
        {
            // Already deleted, or redelivered to another host whose run will find the work done.
        }
    }

    public Heartbeat StartHeartbeat(TimeSpan interval, TimeSpan visibility, ILogger logger) => new(this, interval, visibility, logger);

    /// <summary>Extends the message's visibility every interval while an activity runs.</summary>
    internal sealed class Heartbeat : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;

        public Heartbeat(MessageLease lease, TimeSpan interval, TimeSpan visibility, ILogger logger)
        {
            _loop = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    try
                    {
                        await Task.Delay(interval, _stop.Token).ConfigureAwait(false);
                        await lease.ExtendAsync(visibility, _stop.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                    catch (RequestFailedException ex)
                    {
                        logger.LogWarning(ex, "Heartbeat for message {MessageId} failed.", lease.Message.MessageId);
                    }
                }
            });
        }

        public async Task StopAsync()
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            await _loop.ConfigureAwait(false);
        }

        public void Dispose()
        {
            _stop.Cancel();
            _stop.Dispose();
        }
    }
}
