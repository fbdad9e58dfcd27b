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

    /// <summary>A client for the API at <paramref name="baseAddress"/>, sending <paramref name="credential"/> with every request.</summary>
    public static HttpClient Create(Uri baseAddress, ApiCredential? credential)
    {
        var client = Factory.Value.CreateClient("api");
        client.BaseAddress = baseAddress;
        if (credential?.Key is { } key)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
        }
        else if (credential?.Token is { } token)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }

    /// <summary>The message for a failed API call: the status the API answered (401: how to give a key), or that it did not answer.</summary>
    public static string Describe(HttpClient http, HttpRequestException ex) => ex.StatusCode switch
    {
        System.Net.HttpStatusCode.Unauthorized => $"error: the host API at {http.BaseAddress} refused the request: no valid credential (give an API key with --key or $CLOUDPIPELINE_API_KEY; a local host writes the operator's to .cloudpipeline/operator.key).",
        System.Net.HttpStatusCode.NotFound => $"error: not found at {http.BaseAddress}, or not visible to this credential (another site's data needs its share).",
        System.Net.HttpStatusCode.Forbidden => $"error: this credential may not do that at {http.BaseAddress} (operator-only, or another site's).",
        { } status => $"error: the host API at {http.BaseAddress} answered {(int)status} ({ex.Message}).",
        null => $"error: the host API at {http.BaseAddress} did not answer ({ex.Message}). Is the host running (dotnet run --project functions/CloudPipeline.LocalHost)?",
    };

    /// <summary>
    /// The message for an API answer that is not a success: 401 (no or bad credential), 403, 404 with the API's own
    /// reason, else the status. Never the credential.
    /// </summary>
    public static async Task<string> ProblemAsync(HttpResponseMessage response, CancellationToken ct)
    {
        string reason = "";
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            reason = doc.RootElement.TryGetProperty("error", out var e) ? e.GetString() ?? "" : "";
        }
        catch (System.Text.Json.JsonException)
        {
        }
        string hint = response.StatusCode == System.Net.HttpStatusCode.Unauthorized
            ? " (give an API key with --key or $CLOUDPIPELINE_API_KEY; a local host writes the operator's to .cloudpipeline/operator.key)"
            : "";
        return $"{(int)response.StatusCode} {response.ReasonPhrase}: {(reason.Length > 0 ? reason : "no detail")}{hint}";
    }
}
