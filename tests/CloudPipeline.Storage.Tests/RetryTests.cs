using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using CloudPipeline.Storage;
using CloudPipeline.Storage.Blobs;
using CloudPipeline.Storage.Tables;
using CloudPipeline.Testing;
using Xunit;

namespace CloudPipeline.Storage.Tests;

/// <summary>Transient faults injected into the real pipeline (before the request reaches Azurite) are retried with backoff.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class RetryTests
{
    private readonly AzuriteFixture _azurite;

    public RetryTests(AzuriteFixture azurite) => _azurite = azurite;

    [Fact]
    public async Task Transient_transport_failures_are_retried_until_the_request_succeeds()
    {
        var faults = new TransientFaultPolicy(failures: 2);
        var options = new StorageClientOptions();
        options.Retry.Delay = TimeSpan.FromMilliseconds(50);
        options.AddPolicy(faults, HttpPipelinePosition.PerRetry);

        var table = new TableServiceClient(_azurite.ConnectionString, options).GetTableClient("Retry" + Guid.NewGuid().ToString("N")[..8]);
        await table.CreateIfNotExistsAsync();
        Assert.Equal(3, faults.Attempts); // two injected failures, then the real request
        Assert.Equal(2, faults.Gaps.Count);
        Assert.True(faults.Gaps[1] > faults.Gaps[0] * 1.2, $"backoff should grow: {string.Join(", ", faults.Gaps)}");
    }

    [Fact]
    public async Task Retries_give_up_after_the_limit_with_the_last_error()
    {
        var faults = new TransientFaultPolicy(failures: int.MaxValue);
        var options = new StorageClientOptions();
        options.Retry.Delay = TimeSpan.FromMilliseconds(10);
        options.Retry.MaxRetries = 3;
        options.AddPolicy(faults, HttpPipelinePosition.PerRetry);
        var container = new BlobServiceClient(_azurite.ConnectionString, options).GetBlobContainerClient("never");
        await Assert.ThrowsAsync<AggregateException>(() => container.CreateIfNotExistsAsync());
        Assert.Equal(4, faults.Attempts);
    }

    private sealed class TransientFaultPolicy : HttpPipelinePolicy
    {
        private readonly int _failures;
        private DateTimeOffset? _last;

        public TransientFaultPolicy(int failures) => _failures = failures;

        public int Attempts { get; private set; }

        public List<TimeSpan> Gaps { get; } = [];

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) => throw new NotSupportedException();

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            var now = DateTimeOffset.UtcNow;
            if (_last is { } last)
            {
                Gaps.Add(now - last);
            }
            _last = now;
            if (++Attempts <= _failures)
            {
                throw new IOException("Injected transient network failure.");
            }
            await ProcessNextAsync(message, pipeline);
        }
    }
}
