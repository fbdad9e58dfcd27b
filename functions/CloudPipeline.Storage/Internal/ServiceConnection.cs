using System.Text.Json;
using System.Xml.Linq;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using CloudPipeline.Storage.Auth;

namespace CloudPipeline.Storage.Internal;

/// <summary>Which storage service an endpoint belongs to; decides the Shared Key variant and error format.</summary>
internal enum StorageService
{
    Blob,
    Queue,
    Table,
}

/// <summary>
/// The immutable pairing of one service endpoint with an authenticated Azure.Core pipeline. Every client
/// of that service (service, container, blob, queue, table) shares one connection.
/// </summary>
internal sealed class ServiceConnection
{
    private ServiceConnection(Uri endpoint, string accountName, StorageService service, HttpPipeline pipeline)
    {
        Endpoint = endpoint;
        AccountName = accountName;
        Service = service;
        Pipeline = pipeline;
    }

    public Uri Endpoint { get; }

    public string AccountName { get; }

    public StorageService Service { get; }

    public HttpPipeline Pipeline { get; }

    public static ServiceConnection FromConnectionString(string connectionString, StorageService service, StorageClientOptions? options)
    {
        var parsed = StorageConnectionString.Parse(connectionString);
        var endpoint = service switch
        {
            StorageService.Blob => parsed.BlobEndpoint,
            StorageService.Queue => parsed.QueueEndpoint,
            _ => parsed.TableEndpoint,
        };
        options ??= new StorageClientOptions();
        HttpPipelinePolicy auth = parsed.SharedKey is { } key
            ? new SharedKeyPolicy(key, Flavor(service), options.TimeProvider)
            : new SasPolicy(parsed.Sas!);
        return Create(endpoint, parsed.AccountName, service, options, auth);
    }

    public static ServiceConnection FromSharedKey(Uri endpoint, AzureNamedKeyCredential credential, StorageService service, StorageClientOptions? options)
    {
        options ??= new StorageClientOptions();
        return Create(endpoint, credential.Name, service, options, new SharedKeyPolicy(credential, Flavor(service), options.TimeProvider));
    }

    public static ServiceConnection FromSas(Uri endpoint, AzureSasCredential credential, StorageService service, StorageClientOptions? options) =>
        Create(endpoint, StorageConnectionString.AccountNameFromEndpoint(endpoint), service, options ?? new StorageClientOptions(), new SasPolicy(credential));

    public static ServiceConnection FromToken(Uri endpoint, TokenCredential credential, StorageService service, StorageClientOptions? options)
    {
        const string scope = "https://storage.azure.com/.default";
        return Create(endpoint, StorageConnectionString.AccountNameFromEndpoint(endpoint), service, options ?? new StorageClientOptions(),
            new BearerTokenAuthenticationPolicy(credential, scope));
    }

    private static SharedKeyFlavor Flavor(StorageService service) =>
        service == StorageService.Table ? SharedKeyFlavor.Table : SharedKeyFlavor.BlobQueue;

    private static ServiceConnection Create(Uri endpoint, string account, StorageService service, StorageClientOptions options, HttpPipelinePolicy auth)
    {
        var version = new AddHeaderPolicy("x-ms-version", options.ServiceVersion);
        var pipeline = HttpPipelineBuilder.Build(options, [version], [auth], new ResponseClassifier());
        return new ServiceConnection(new Uri(endpoint.AbsoluteUri.TrimEnd('/')), account, service, pipeline);
    }

    /// <summary>Builds the URI of a resource below the endpoint; each segment is escaped.</summary>
    public RequestUriBuilder Uri(params string[] segments)
    {
        var builder = new RequestUriBuilder();
        builder.Reset(Endpoint);
        foreach (var segment in segments)
        {
            builder.AppendPath("/", escape: false);
            builder.AppendPath(segment, escape: true);
        }
        return builder;
    }

    public Request CreateRequest(RequestMethod method, RequestUriBuilder uri)
    {
        var request = Pipeline.CreateRequest();
        request.Method = method;
        request.Uri = uri;
        return request;
    }

    /// <summary>Sends a request and throws <see cref="RequestFailedException"/> for any status outside <paramref name="expected"/>.</summary>
    public async Task<Response> SendAsync(Request request, CancellationToken cancellationToken, params int[] expected)
    {
        var message = new HttpMessage(request, Pipeline.ResponseClassifier);
        using (message)
        {
            await Pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
            var response = message.Response;
            if (expected.Length > 0 ? !expected.Contains(response.Status) : response.Status >= 400)
            {
                throw CreateException(response);
            }
            return response;
        }
    }

    /// <summary>Sends a request whose response body is returned unbuffered to the caller as a stream.</summary>
    public async Task<(Response Response, Stream Content)> SendStreamingAsync(Request request, CancellationToken cancellationToken)
    {
        var message = new HttpMessage(request, Pipeline.ResponseClassifier) { BufferResponse = false };
        await Pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        var response = message.Response;
        if (response.Status >= 400)
        {
            using (message)
            {
                if (response.ContentStream is { } errorBody)
                {
                    var buffer = new MemoryStream();
                    await errorBody.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
                    buffer.Position = 0;
                    response.ContentStream = buffer;
                }
                throw CreateException(response);
            }
        }
        var content = message.ExtractResponseContent() ?? Stream.Null;
        message.Dispose();
        return (response, content);
    }

    /// <summary>
    /// Maps an error response to one exception type: HTTP status, the service's error code (from the
    /// <c>x-ms-error-code</c> header or the XML/JSON error body) and its message.
    /// </summary>
    public static RequestFailedException CreateException(Response response)
    {
        response.Headers.TryGetValue("x-ms-error-code", out var code);
        string? detail = null;
        string body = string.Empty;
        try
        {
            body = response.Content.ToString();
        }
        catch (InvalidOperationException)
        {
            // Unbuffered content that was already consumed: the header code has to do.
        }

        if (body.Length > 0)
        {
            try
            {
                if (body.TrimStart().StartsWith('<'))
                {
                    var error = XDocument.Parse(body).Root;
                    code ??= error?.Element("Code")?.Value;
                    detail = error?.Element("Message")?.Value;
                }
                else if (body.TrimStart().StartsWith('{'))
                {
                    using var json = JsonDocument.Parse(body);
                    if (json.RootElement.TryGetProperty("odata.error", out var odata) || json.RootElement.TryGetProperty("error", out odata))
                    {
                        code ??= odata.TryGetProperty("code", out var c) ? c.GetString() : null;
                        if (odata.TryGetProperty("message", out var m))
                        {
                            detail = m.ValueKind == JsonValueKind.Object && m.TryGetProperty("value", out var v) ? v.GetString() : m.ToString();
                        }
                    }
                }
            }
            catch (Exception ex) when (ex is System.Xml.XmlException or JsonException)
            {
                detail = body;
            }
        }

        string text = $"Storage request failed with HTTP {response.Status} ({response.ReasonPhrase})" +
                      (code is null ? string.Empty : $", error code {code}") +
                      (detail is null ? string.Empty : $": {detail.Trim()}") +
                      $" [client request id {response.ClientRequestId}]";
        return new RequestFailedException(response.Status, text, code, null);
    }

    /// <summary>Adds a fixed header once per call.</summary>
    private sealed class AddHeaderPolicy : HttpPipelineSynchronousPolicy
    {
        private readonly string _name;
        private readonly string _value;

        public AddHeaderPolicy(string name, string value)
        {
            _name = name;
            _value = value;
        }

        public override void OnSendingRequest(HttpMessage message) => message.Request.Headers.SetValue(_name, _value);
    }
}
