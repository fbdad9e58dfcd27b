using Azure;
using CloudPipeline.Storage.Queues;
using CloudPipeline.Testing;
using Xunit;

namespace CloudPipeline.Storage.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class QueueClientTests
{
    private readonly AzuriteFixture _azurite;

    public QueueClientTests(AzuriteFixture azurite) => _azurite = azurite;

    private async Task<QueueClient> NewQueueAsync()
    {
        var queue = new QueueServiceClient(_azurite.ConnectionString).GetQueueClient(AzuriteFixture.UniqueName("q"));
        Assert.True((await queue.CreateIfNotExistsAsync()).Value);
        Assert.False((await queue.CreateIfNotExistsAsync()).Value);
        return queue;
    }

    [Fact]
    public async Task Send_receive_delete_round_trip_with_escaping()
    {
        var queue = await NewQueueAsync();
        const string text = "{\"blob\":\"raw/a&b/<x>.txt\",\"n\":1}";
        var sent = (await queue.SendMessageAsync(text)).Value;

        var received = (await queue.ReceiveMessagesAsync(maxMessages: 5, visibilityTimeout: TimeSpan.FromSeconds(30))).Value;
        var message = Assert.Single(received);
        Assert.Equal(sent.MessageId, message.MessageId);
        Assert.Equal(text, message.MessageText);
        Assert.Equal(1, message.DequeueCount);

        Assert.Empty((await queue.ReceiveMessagesAsync()).Value); // Hidden while being processed.
        await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
        Assert.Equal(0, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task Batch_receive_peek_and_approximate_count()
    {
        var queue = await NewQueueAsync();
        for (int i = 0; i < 12; i++)
        {
            await queue.SendMessageAsync($"m{i}");
        }
        Assert.Equal(12, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);

        var peeked = (await queue.PeekMessagesAsync(maxMessages: 32)).Value;
        Assert.Equal(12, peeked.Count);
        Assert.All(peeked, p => Assert.Equal(0, p.DequeueCount));

        var batch = (await queue.ReceiveMessagesAsync(maxMessages: 10)).Value;
        Assert.Equal(10, batch.Count);
        Assert.Equal(2, (await queue.PeekMessagesAsync(maxMessages: 32)).Value.Count); // Peek sees only visible ones.
    }

    [Fact]
    public async Task Visibility_delay_hides_a_new_message_until_it_elapses()
    {
        var queue = await NewQueueAsync();
        await queue.SendMessageAsync("later", visibilityTimeout: TimeSpan.FromSeconds(2), timeToLive: TimeSpan.FromMinutes(5));
        Assert.Empty((await queue.ReceiveMessagesAsync()).Value);
        await Task.Delay(TimeSpan.FromSeconds(3));
        var message = Assert.Single((await queue.ReceiveMessagesAsync()).Value);
        Assert.Equal("later", message.MessageText);
        Assert.NotNull(message.ExpiresOn);
        Assert.True(message.ExpiresOn!.Value - message.InsertedOn!.Value <= TimeSpan.FromMinutes(5.1));
    }

    [Fact]
    public async Task Expired_visibility_redelivers_with_a_higher_dequeue_count()
    {
        var queue = await NewQueueAsync();
        await queue.SendMessageAsync("retry me");
        var first = Assert.Single((await queue.ReceiveMessagesAsync(visibilityTimeout: TimeSpan.FromSeconds(1))).Value);
        await Task.Delay(TimeSpan.FromSeconds(2));
        var second = Assert.Single((await queue.ReceiveMessagesAsync(visibilityTimeout: TimeSpan.FromSeconds(30))).Value);
        Assert.Equal(first.MessageId, second.MessageId);
        Assert.Equal(2, second.DequeueCount);

        // The first delivery's receipt is stale now: deleting with it fails and leaves the message.
        var stale = await Assert.ThrowsAsync<RequestFailedException>(() => queue.DeleteMessageAsync(first.MessageId, first.PopReceipt));
        Assert.Equal(400, stale.Status);
        Assert.Equal("PopReceiptMismatch", stale.ErrorCode);
        await queue.DeleteMessageAsync(second.MessageId, second.PopReceipt);
    }

    [Fact]
    public async Task Update_extends_visibility_and_replaces_content()
    {
        var queue = await NewQueueAsync();
        await queue.SendMessageAsync("v1");
        var message = Assert.Single((await queue.ReceiveMessagesAsync(visibilityTimeout: TimeSpan.FromSeconds(1))).Value);
        var update = (await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, TimeSpan.FromSeconds(3), "v2")).Value;
        Assert.NotEqual(message.PopReceipt, update.PopReceipt);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.Empty((await queue.ReceiveMessagesAsync()).Value); // The heartbeat kept it hidden past its first timeout.

        // A visibility-only update (no new content) keeps the text.
        update = (await queue.UpdateMessageAsync(message.MessageId, update.PopReceipt, TimeSpan.Zero)).Value;
        var again = Assert.Single((await queue.ReceiveMessagesAsync()).Value);
        Assert.Equal("v2", again.MessageText);
        await queue.DeleteMessageAsync(again.MessageId, again.PopReceipt);
    }

    [Fact]
    public async Task Missing_queue_gives_404_QueueNotFound()
    {
        var queue = new QueueServiceClient(_azurite.ConnectionString).GetQueueClient("missing-" + Guid.NewGuid().ToString("N")[..8]);
        var ex = await Assert.ThrowsAsync<RequestFailedException>(() => queue.SendMessageAsync("x"));
        Assert.Equal(404, ex.Status);
        Assert.Equal("QueueNotFound", ex.ErrorCode);
    }
}
