using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace CloudPipeline.Testing;

/// <summary>
/// A real HTTP reverse proxy (YARP's forwarder on Kestrel, loopback) in front of Azurite's blob service that
/// answers chosen reads of one blob with 503 Server Busy, as a storage account under load does, or with other
/// content, and records when each read of that blob arrived. Everything else passes through unchanged.
/// </summary>
public sealed class BlobFaultProxy : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpMessageInvoker _client;
    private readonly Lock _gate = new();
    private readonly List<(DateTimeOffset At, HttpStatusCode Status)> _reads = [];
    private string? _faultPath;
    private int _passFirst;
    private int _failNext;
    private byte[]? _replacement;

    private BlobFaultProxy(WebApplication app, HttpMessageInvoker client, Uri endpoint)
    {
        _app = app;
        _client = client;
        Endpoint = endpoint;
    }

    /// <summary>The proxy's blob endpoint (same account path as the target).</summary>
    public Uri Endpoint { get; }

    /// <summary>Starts a proxy on a free loopback port that forwards to <paramref name="blobEndpoint"/>.</summary>
    public static async Task<BlobFaultProxy> StartAsync(Uri blobEndpoint)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddHttpForwarder();
        int port = Processes.FreePort();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var client = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
        });
        var proxy = new BlobFaultProxy(app, client, new Uri($"http://127.0.0.1:{port}{blobEndpoint.AbsolutePath}"));
        string destination = blobEndpoint.GetLeftPart(UriPartial.Authority) + "/";
        app.Map("/{**path}", async (HttpContext context, IHttpForwarder forwarder) =>
        {
            if (proxy.ShouldFail(context.Request, out byte[]? replacement))
            {
                if (replacement is not null)
                {
                    // Another body under the same name, as if the instrument had overwritten the file.
                    context.Response.StatusCode = (int)HttpStatusCode.OK;
                    context.Response.ContentType = "application/octet-stream";
                    context.Response.ContentLength = replacement.Length;
                    context.Response.Headers["x-ms-blob-type"] = "BlockBlob";
                    context.Response.Headers.ETag = "\"0x8DDREPLACED\"";
                    await context.Response.Body.WriteAsync(replacement);
                    return;
                }
                context.Response.StatusCode = (int)HttpStatusCode.ServiceUnavailable;
                context.Response.Headers["x-ms-error-code"] = "ServerBusy";
                await context.Response.WriteAsync("<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>ServerBusy</Code><Message>Injected by the test's fault proxy.</Message></Error>");
                return;
            }
            await forwarder.SendAsync(context, destination, client, ForwarderRequestConfig.Empty, RawTargetTransformer.Instance);
        });
        await app.StartAsync();
        return proxy;
    }

    /// <summary>A connection string of <paramref name="connectionString"/>'s account whose blob endpoint is this proxy.</summary>
    public string Rewrite(string connectionString) => string.Join(';', connectionString
        .Split(';', StringSplitOptions.RemoveEmptyEntries)
        .Select(part => part.StartsWith("BlobEndpoint=", StringComparison.Ordinal) ? "BlobEndpoint=" + Endpoint.AbsoluteUri.TrimEnd('/') : part)) + ";";

    /// <summary>Lets the first <paramref name="passFirst"/> reads (GET) of <paramref name="blobPath"/> through, then fails the next <paramref name="failNext"/> with 503.</summary>
    /// <param name="blobPath">Container and blob name, e.g. <c>raw/site/experiment/file.txt</c>.</param>
    public void FailReads(string blobPath, int passFirst, int failNext)
    {
        lock (_gate)
        {
            _faultPath = Endpoint.AbsolutePath.TrimEnd('/') + "/" + blobPath;
            _passFirst = passFirst;
            _failNext = failNext;
            _replacement = null;
            _reads.Clear();
        }
    }

    /// <summary>Lets the first <paramref name="passFirst"/> reads of <paramref name="blobPath"/> through, then answers every later read with <paramref name="content"/>.</summary>
    /// <param name="blobPath">Container and blob name, e.g. <c>raw/site/experiment/file.txt</c>.</param>
    public void ReplaceReads(string blobPath, int passFirst, byte[] content)
    {
        lock (_gate)
        {
            _faultPath = Endpoint.AbsolutePath.TrimEnd('/') + "/" + blobPath;
            _passFirst = passFirst;
            _failNext = int.MaxValue;
            _replacement = content;
            _reads.Clear();
        }
    }

    /// <summary>When each read of the faulted blob arrived, and what the proxy answered itself (503, or 200 with the replacement; 0 when forwarded).</summary>
    public IReadOnlyList<(DateTimeOffset At, HttpStatusCode Status)> Reads
    {
        get
        {
            lock (_gate)
            {
                return [.. _reads];
            }
        }
    }

    private bool ShouldFail(HttpRequest request, out byte[]? replacement)
    {
        replacement = null;
        if (!HttpMethods.IsGet(request.Method) || request.QueryString.HasValue)
        {
            return false;
        }
        string path = Uri.UnescapeDataString(request.Path.Value ?? "");
        lock (_gate)
        {
            if (path != _faultPath)
            {
                return false;
            }
            bool fail = _passFirst <= 0 && _failNext > 0;
            if (_passFirst > 0)
            {
                _passFirst--;
            }
            else if (_failNext > 0)
            {
                _failNext--;
            }
            replacement = fail ? _replacement : null;
            _reads.Add((DateTimeOffset.UtcNow, !fail ? 0 : replacement is null ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.OK));
            return fail;
        }
    }

    /// <summary>
    /// Forwards the request target exactly as received: the storage SDK signs the encoded path (e.g.
    /// <c>MRI%28005%29.txt</c>), so a path that the proxy decoded and re-encoded would no longer match its signature.
    /// </summary>
    private sealed class RawTargetTransformer : HttpTransformer
    {
        public static readonly RawTargetTransformer Instance = new();

        public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
        {
            await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
            string target = httpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()!.RawTarget;
            proxyRequest.RequestUri = new Uri(destinationPrefix.TrimEnd('/') + target);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _client.Dispose();
    }
}
