using System.Security.Cryptography;
using System.Text;
using Azure;
using CloudPipeline.Storage;
using CloudPipeline.Storage.Blobs;
using CloudPipeline.Testing;
using Xunit;

namespace CloudPipeline.Storage.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class BlobClientTests
{
    private readonly AzuriteFixture _azurite;

    public BlobClientTests(AzuriteFixture azurite) => _azurite = azurite;

    private async Task<BlobContainerClient> NewContainerAsync()
    {
        var container = new BlobServiceClient(_azurite.ConnectionString).GetBlobContainerClient(AzuriteFixture.UniqueName("c"));
        Assert.True((await container.CreateIfNotExistsAsync()).Value);
        return container;
    }

    [Fact]
    public async Task Container_create_is_idempotent_and_exists_reports_it()
    {
        var container = await NewContainerAsync();
        Assert.False((await container.CreateIfNotExistsAsync()).Value);
        Assert.True((await container.ExistsAsync()).Value);
        var ex = await Assert.ThrowsAsync<RequestFailedException>(() => container.CreateAsync());
        Assert.Equal(409, ex.Status);
        Assert.Equal("ContainerAlreadyExists", ex.ErrorCode);
        await container.DeleteAsync();
        Assert.False((await container.ExistsAsync()).Value);
    }

    [Fact]
    public async Task Upload_download_properties_metadata_and_md5_round_trip()
    {
        var container = await NewContainerAsync();
        var blob = container.GetBlobClient("site-a/exp 1/profile(005).txt");
        byte[] data = Encoding.UTF8.GetBytes("# SIZE = 3\n1\n2\n3\n");
        var info = await blob.UploadAsync(new BinaryData(data), new BlobUploadOptions
        {
            ContentType = "text/plain",
            Metadata = new Dictionary<string, string> { ["instrument"] = "topspin" },
        });
        Assert.Equal(MD5.HashData(data), info.Value.ContentHash);

        var props = (await blob.GetPropertiesAsync()).Value;
        Assert.Equal(data.Length, props.ContentLength);
        Assert.Equal("text/plain", props.ContentType);
        Assert.Equal("topspin", props.Metadata["instrument"]);
        Assert.Equal(MD5.HashData(data), props.ContentHash);
        Assert.Equal(info.Value.ETag, props.ETag);

        await blob.SetMetadataAsync(new Dictionary<string, string> { ["instrument"] = "bruker", ["site"] = "a" });
        props = (await blob.GetPropertiesAsync()).Value;
        Assert.Equal("bruker", props.Metadata["instrument"]);
        Assert.Equal("a", props.Metadata["site"]);

        Assert.Equal(data, (await blob.DownloadContentAsync()).Value.ToArray());
        await using var download = (await blob.DownloadStreamingAsync()).Value;
        using var copy = new MemoryStream();
        await download.Content.CopyToAsync(copy);
        Assert.Equal(data, copy.ToArray());
        Assert.Equal(data.Length, download.Details.ContentLength);
    }

    [Fact]
    public async Task Missing_container_and_blob_give_404_with_service_error_code()
    {
        var missing = new BlobServiceClient(_azurite.ConnectionString).GetBlobContainerClient("does-not-exist-" + Guid.NewGuid().ToString("N")[..6]);
        var ex = await Assert.ThrowsAsync<RequestFailedException>(() => missing.GetBlobClient("x").UploadAsync(BinaryData.FromString("x")));
        Assert.Equal(404, ex.Status);
        Assert.Equal("ContainerNotFound", ex.ErrorCode);
        Assert.Contains("ContainerNotFound", ex.Message, StringComparison.Ordinal);

        var container = await NewContainerAsync();
        var blobEx = await Assert.ThrowsAsync<RequestFailedException>(() => container.GetBlobClient("nope").DownloadStreamingAsync());
        Assert.Equal(404, blobEx.Status);
        Assert.Equal("BlobNotFound", blobEx.ErrorCode);
        var headEx = await Assert.ThrowsAsync<RequestFailedException>(() => container.GetBlobClient("nope").GetPropertiesAsync());
        Assert.Equal(404, headEx.Status);
        Assert.False((await container.GetBlobClient("nope").ExistsAsync()).Value);
    }

    [Fact]
    public async Task Conditional_requests_enforce_etags()
    {
        var container = await NewContainerAsync();
        var blob = container.GetBlobClient("conditional.bin");
        var first = (await blob.UploadAsync(BinaryData.FromString("v1"), new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } })).Value;

        var createOnly = await Assert.ThrowsAsync<RequestFailedException>(() =>
            blob.UploadAsync(BinaryData.FromString("v1 again"), new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }));
        Assert.Equal(409, createOnly.Status);
        Assert.Equal("BlobAlreadyExists", createOnly.ErrorCode);

        var second = (await blob.UploadAsync(BinaryData.FromString("v2"), new BlobUploadOptions { Conditions = new BlobRequestConditions { IfMatch = first.ETag } })).Value;
        Assert.NotEqual(first.ETag, second.ETag);

        var stale = await Assert.ThrowsAsync<RequestFailedException>(() =>
            blob.UploadAsync(BinaryData.FromString("v3"), new BlobUploadOptions { Conditions = new BlobRequestConditions { IfMatch = first.ETag } }));
        Assert.Equal(412, stale.Status);
        Assert.Equal("ConditionNotMet", stale.ErrorCode);
        Assert.Equal("v2", (await blob.DownloadContentAsync()).Value.ToString());

        var staleDelete = await Assert.ThrowsAsync<RequestFailedException>(() => blob.DeleteAsync(new BlobRequestConditions { IfMatch = first.ETag }));
        Assert.Equal(412, staleDelete.Status);
        await blob.DeleteAsync(new BlobRequestConditions { IfMatch = second.ETag });
        Assert.False((await blob.DeleteIfExistsAsync()).Value);
    }

    [Fact]
    public async Task Leases_are_exclusive_and_can_be_renewed_and_released()
    {
        var container = await NewContainerAsync();
        var blob = container.GetBlobClient("leased.json");
        await blob.UploadAsync(BinaryData.FromString("{}"));
        var holder = blob.GetBlobLeaseClient();
        var lease = (await holder.AcquireAsync(TimeSpan.FromSeconds(15))).Value;
        Assert.Equal(holder.LeaseId, lease.LeaseId);

        var other = await Assert.ThrowsAsync<RequestFailedException>(() => blob.GetBlobLeaseClient().AcquireAsync(TimeSpan.FromSeconds(15)));
        Assert.Equal(409, other.Status);
        Assert.Equal("LeaseAlreadyPresent", other.ErrorCode);

        var noLease = await Assert.ThrowsAsync<RequestFailedException>(() => blob.UploadAsync(BinaryData.FromString("{\"x\":1}")));
        Assert.Equal(412, noLease.Status);
        Assert.Equal("LeaseIdMissing", noLease.ErrorCode);
        await blob.UploadAsync(BinaryData.FromString("{\"x\":1}"), new BlobUploadOptions { Conditions = new BlobRequestConditions { LeaseId = lease.LeaseId } });
        Assert.Equal("leased", (await blob.GetPropertiesAsync()).Value.LeaseState);

        await holder.RenewAsync();
        await holder.ReleaseAsync();
        var next = (await blob.GetBlobLeaseClient().AcquireAsync(TimeSpan.FromSeconds(15))).Value;
        Assert.NotEqual(lease.LeaseId, next.LeaseId);
    }

    [Fact]
    public async Task Listing_by_prefix_follows_continuation_over_more_than_1000_blobs()
    {
        var container = await NewContainerAsync();
        const int count = 1_050;
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
            await container.GetBlobClient($"raw/site/{i:D5}.txt").UploadAsync(BinaryData.FromString(i.ToString(System.Globalization.CultureInfo.InvariantCulture)), cancellationToken: ct));
        await container.GetBlobClient("other/outside-prefix.txt").UploadAsync(BinaryData.FromString("x"));

        int pages = 0;
        var names = new List<string>();
        await foreach (var page in container.GetBlobsAsync(prefix: "raw/").AsPages(pageSizeHint: 1000))
        {
            pages++;
            names.AddRange(page.Values.Select(b => b.Name));
        }
        Assert.Equal(2, pages);
        Assert.Equal(count, names.Count);
        Assert.Equal(names.OrderBy(n => n, StringComparer.Ordinal), names);
        Assert.DoesNotContain("other/outside-prefix.txt", names);

        int all = 0;
        await foreach (var _ in container.GetBlobsAsync())
        {
            all++;
        }
        Assert.Equal(count + 1, all);
    }

    [Fact]
    public async Task A_100_MB_blob_uploads_in_blocks_and_streams_back_with_the_same_sha256()
    {
        var container = await NewContainerAsync();
        var blob = container.GetBlobClient("large/100mb.bin");
        const long size = 100L * 1024 * 1024;
        using var source = new DeterministicStream(size, seed: 42);
        long lastProgress = 0;
        var info = await blob.UploadAsync(source, new BlobUploadOptions { Progress = new Progress<long>(p => Interlocked.Exchange(ref lastProgress, p)) });
        byte[] expectedSha = source.Sha256();

        var props = (await blob.GetPropertiesAsync()).Value;
        Assert.Equal(size, props.ContentLength);
        Assert.NotNull(props.ContentHash); // The block upload stores the whole-content MD5.

        await using var download = (await blob.DownloadStreamingAsync()).Value;
        using var sha = SHA256.Create();
        await using (var hashing = new CryptoStream(Stream.Null, sha, CryptoStreamMode.Write))
        {
            await download.Content.CopyToAsync(hashing);
        }
        Assert.Equal(expectedSha, sha.Hash);
        Assert.Equal(info.Value.ETag, download.Details.ETag);
    }

    [Fact]
    public async Task Wrong_account_key_gives_a_clear_403()
    {
        string wrongKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(64));
        string connection = _azurite.ConnectionString.Replace(StorageConnectionString.DevelopmentAccountKey, wrongKey, StringComparison.Ordinal);
        var container = new BlobServiceClient(connection).GetBlobContainerClient("forbidden");
        var ex = await Assert.ThrowsAsync<RequestFailedException>(() => container.CreateIfNotExistsAsync());
        Assert.Equal(403, ex.Status);
        Assert.Equal("AuthorizationFailure", ex.ErrorCode);
        Assert.Contains("403", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Account_sas_allows_what_it_grants_and_nothing_else()
    {
        var container = await NewContainerAsync();
        await container.GetBlobClient("shared.txt").UploadAsync(BinaryData.FromString("hello"));
        var parsed = StorageConnectionString.Parse(_azurite.ConnectionString);
        string sas = new Auth.AccountSasBuilder { Permissions = "rl", Services = "b", ResourceTypes = "co", ExpiresOn = DateTimeOffset.UtcNow.AddHours(1) }
            .ToSasQuery(parsed.SharedKey!);

        var readOnly = new BlobServiceClient(parsed.BlobEndpoint, new AzureSasCredential(sas)).GetBlobContainerClient(container.Name);
        Assert.Equal("hello", (await readOnly.GetBlobClient("shared.txt").DownloadContentAsync()).Value.ToString());
        var listed = new List<string>();
        await foreach (var item in readOnly.GetBlobsAsync())
        {
            listed.Add(item.Name);
        }
        Assert.Equal(["shared.txt"], listed);

        var write = await Assert.ThrowsAsync<RequestFailedException>(() => readOnly.GetBlobClient("new.txt").UploadAsync(BinaryData.FromString("x")));
        Assert.Equal(403, write.Status);

        string sasConnection = $"BlobEndpoint={parsed.BlobEndpoint};QueueEndpoint={parsed.QueueEndpoint};TableEndpoint={parsed.TableEndpoint};SharedAccessSignature={sas}";
        var viaConnectionString = new BlobServiceClient(sasConnection).GetBlobContainerClient(container.Name);
        Assert.Equal("hello", (await viaConnectionString.GetBlobClient("shared.txt").DownloadContentAsync()).Value.ToString());
    }
}
