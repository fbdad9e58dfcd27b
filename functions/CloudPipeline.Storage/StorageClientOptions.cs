using Azure.Core;

namespace CloudPipeline.Storage;

/// <summary>
/// Options shared by the Blob, Queue and Table clients. Retries come from Azure.Core's pipeline:
/// by default exponential backoff with 5 retries, a 0.8 s base delay and a 60 s cap, on 408, 429,
/// 500, 502, 503, 504 and transport failures.
/// </summary>
public sealed class StorageClientOptions : ClientOptions
{
    /// <summary>The REST API version sent as <c>x-ms-version</c>. Default <c>2025-01-05</c>, which Azurite 3.37 accepts.</summary>
    public string ServiceVersion { get; set; } = "2025-01-05";

    /// <summary>The clock used to stamp <c>x-ms-date</c> on signed requests. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Creates options with the documented defaults.</summary>
    public StorageClientOptions()
    {
        Retry.Mode = RetryMode.Exponential;
        Retry.MaxRetries = 5;
        Retry.Delay = TimeSpan.FromSeconds(0.8);
        Retry.MaxDelay = TimeSpan.FromSeconds(60);
        Retry.NetworkTimeout = TimeSpan.FromSeconds(100);
    }
}
