using System.Globalization;
using Azure;

namespace CloudPipeline.Storage.Blobs;

/// <summary>
/// Acquires, renews and releases a blob lease: an exclusive write lock with a duration of 15–60 s (or
/// infinite). Used for single-writer sections such as a change detector's cursor.
/// </summary>
public class BlobLeaseClient
{
    private readonly BlobClient _blob;

    internal BlobLeaseClient(BlobClient blob, string leaseId)
    {
        _blob = blob;
        LeaseId = leaseId;
    }

    /// <summary>For mocking frameworks only.</summary>
    protected BlobLeaseClient()
    {
        _blob = null!;
        LeaseId = null!;
    }

    /// <summary>The lease id this client proposes and presents.</summary>
    public virtual string LeaseId { get; }

    /// <summary>Acquires the lease; 409 (<c>LeaseAlreadyPresent</c>) if another id holds it.</summary>
    /// <param name="duration">15 to 60 seconds, or <see cref="Timeout.InfiniteTimeSpan"/>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public virtual async Task<Response<BlobLease>> AcquireAsync(TimeSpan duration, CancellationToken cancellationToken = default)
    {
        int seconds = duration == Timeout.InfiniteTimeSpan ? -1 : (int)duration.TotalSeconds;
        var response = await _blob.LeaseAsync("acquire", r =>
        {
            r.Headers.SetValue("x-ms-lease-duration", seconds.ToString(CultureInfo.InvariantCulture));
            r.Headers.SetValue("x-ms-proposed-lease-id", LeaseId);
        }, 201, cancellationToken).ConfigureAwait(false);
        return Response.FromValue(ToLease(response), response);
    }

    /// <summary>Renews the lease, restarting its duration.</summary>
    public virtual async Task<Response<BlobLease>> RenewAsync(CancellationToken cancellationToken = default)
    {
        var response = await _blob.LeaseAsync("renew", r => r.Headers.SetValue("x-ms-lease-id", LeaseId), 200, cancellationToken).ConfigureAwait(false);
        return Response.FromValue(ToLease(response), response);
    }

    /// <summary>Releases the lease so another party can acquire it at once.</summary>
    public virtual async Task<Response> ReleaseAsync(CancellationToken cancellationToken = default) =>
        await _blob.LeaseAsync("release", r => r.Headers.SetValue("x-ms-lease-id", LeaseId), 200, cancellationToken).ConfigureAwait(false);

    private BlobLease ToLease(Response response) =>
        new(response.Headers.TryGetValue("x-ms-lease-id", out var id) ? id : LeaseId, response.Headers.ETag ?? default);
}
