using Azure;

namespace CloudPipeline.Storage.Internal;

/// <summary>An <see cref="AsyncPageable{T}"/> driven by a function that fetches one page from a continuation token.</summary>
internal sealed class FuncAsyncPageable<T> : AsyncPageable<T>
    where T : notnull
{
    private readonly Func<string?, int?, CancellationToken, Task<Page<T>>> _fetchPage;

    public FuncAsyncPageable(Func<string?, int?, CancellationToken, Task<Page<T>>> fetchPage, CancellationToken cancellationToken)
        : base(cancellationToken)
    {
        _fetchPage = fetchPage;
    }

    public override async IAsyncEnumerable<Page<T>> AsPages(string? continuationToken = null, int? pageSizeHint = null)
    {
        string? token = continuationToken;
        do
        {
            var page = await _fetchPage(token, pageSizeHint, CancellationToken).ConfigureAwait(false);
            yield return page;
            token = page.ContinuationToken;
        }
        while (!string.IsNullOrEmpty(token));
    }
}
