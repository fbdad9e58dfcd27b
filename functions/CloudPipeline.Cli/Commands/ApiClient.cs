using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;

namespace CloudPipeline.Cli.Commands;

/// <summary>
/// The HttpClient the CLI uses against the pipeline's HTTP API, with the standard resilience handler: transient
/// failures (408, 429, 5xx, connection errors) are retried 3 times with exponential backoff from 0.5 s, each try
/// limited to 10 s and the whole call to 30 s.
/// </summary>
internal static class ApiClient
{
    private static readonly Lazy<IHttpClientFactory> Factory = new(() =>
    {
        var services = new ServiceCollection();
        services.AddHttpClient("api").AddStandardResilienceHandler(o =>
        {
            o.Retry.MaxRetryAttempts = 3;
            o.Retry.Delay = TimeSpan.FromMilliseconds(500);
            o.AttemptTimeout.Timeout = TimeSpan.FromSeconds(10);
            o.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(30);
        });
        return services.BuildServiceProvider().GetRequiredService<IHttpClientFactory>();
    });

    /// <summary>A client for the API at <paramref name="baseAddress"/>.</summary>
    public static HttpClient Create(Uri baseAddress)
    {
        var client = Factory.Value.CreateClient("api");
        client.BaseAddress = baseAddress;
        return client;
    }
}
