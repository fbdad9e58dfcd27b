using System.Globalization;
using Azure;

namespace CloudPipeline.Storage;

/// <summary>
/// A parsed Azure Storage connection string. Supports the forms the official SDKs accept:
/// <c>UseDevelopmentStorage=true</c>; <c>AccountName</c> + <c>AccountKey</c> with or without explicit
/// endpoints; and <c>SharedAccessSignature</c> with explicit endpoints.
/// </summary>
public sealed class StorageConnectionString
{
    /// <summary>The name of Azurite's (and the legacy emulator's) well-known development account.</summary>
    public const string DevelopmentAccountName = "devstoreaccount1";

    /// <summary>The well-known, publicly documented key of the development account. Not a secret.</summary>
    public const string DevelopmentAccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private StorageConnectionString(string accountName, Uri blob, Uri queue, Uri table, AzureNamedKeyCredential? key, AzureSasCredential? sas, bool isDevelopment)
    {
        AccountName = accountName;
        BlobEndpoint = blob;
        QueueEndpoint = queue;
        TableEndpoint = table;
        SharedKey = key;
        Sas = sas;
        IsDevelopmentStorage = isDevelopment;
    }

    /// <summary>The storage account name.</summary>
    public string AccountName { get; }

    /// <summary>The Blob service endpoint (for Azurite a path-style URI ending in the account name).</summary>
    public Uri BlobEndpoint { get; }

    /// <summary>The Queue service endpoint.</summary>
    public Uri QueueEndpoint { get; }

    /// <summary>The Table service endpoint.</summary>
    public Uri TableEndpoint { get; }

    /// <summary>The account key credential, when the connection string has one.</summary>
    public AzureNamedKeyCredential? SharedKey { get; }

    /// <summary>The shared access signature, when the connection string has one.</summary>
    public AzureSasCredential? Sas { get; }

    /// <summary>True for <c>UseDevelopmentStorage=true</c>: the local emulator on its default ports.</summary>
    public bool IsDevelopmentStorage { get; }

    /// <summary>Parses a connection string.</summary>
    /// <exception cref="FormatException">The string is malformed or lacks what is needed to reach and authorise against the account; the message names the missing setting.</exception>
    public static StorageConnectionString Parse(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new FormatException($"Connection string setting '{part}' is not of the form Name=Value.");
            }
            settings[part[..eq].Trim()] = part[(eq + 1)..].Trim();
        }

        if (settings.TryGetValue("UseDevelopmentStorage", out var dev) && bool.TryParse(dev, out var isDev) && isDev)
        {
            return new StorageConnectionString(
                DevelopmentAccountName,
                new Uri($"http://127.0.0.1:10000/{DevelopmentAccountName}"),
                new Uri($"http://127.0.0.1:10001/{DevelopmentAccountName}"),
                new Uri($"http://127.0.0.1:10002/{DevelopmentAccountName}"),
                new AzureNamedKeyCredential(DevelopmentAccountName, DevelopmentAccountKey),
                sas: null,
                isDevelopment: true);
        }

        settings.TryGetValue("AccountName", out var account);
        settings.TryGetValue("AccountKey", out var key);
        settings.TryGetValue("SharedAccessSignature", out var sas);
        string protocol = settings.TryGetValue("DefaultEndpointsProtocol", out var p) ? p : "https";
        string suffix = settings.TryGetValue("EndpointSuffix", out var s) ? s : "core.windows.net";

        Uri Endpoint(string service, string settingName)
        {
            if (settings.TryGetValue(settingName, out var explicitEndpoint))
            {
                if (!Uri.TryCreate(explicitEndpoint.TrimEnd('/'), UriKind.Absolute, out var uri))
                {
                    throw new FormatException($"Connection string setting '{settingName}' is not an absolute URI: '{explicitEndpoint}'.");
                }
                return uri;
            }
            if (string.IsNullOrEmpty(account))
            {
                throw new FormatException($"Connection string has neither '{settingName}' nor 'AccountName' to derive the {service} endpoint from.");
            }
            return new Uri($"{protocol}://{account}.{service}.{suffix}");
        }

        var blob = Endpoint("blob", "BlobEndpoint");
        var queue = Endpoint("queue", "QueueEndpoint");
        var table = Endpoint("table", "TableEndpoint");
        account ??= AccountNameFromEndpoint(blob);

        if (string.IsNullOrEmpty(key) && string.IsNullOrEmpty(sas))
        {
            throw new FormatException("Connection string has neither 'AccountKey' nor 'SharedAccessSignature'; use a TokenCredential constructor for Entra ID authentication.");
        }

        return new StorageConnectionString(
            account,
            blob,
            queue,
            table,
            string.IsNullOrEmpty(key) ? null : new AzureNamedKeyCredential(account, key),
            string.IsNullOrEmpty(sas) ? null : new AzureSasCredential(sas),
            isDevelopment: false);
    }

    /// <summary>
    /// The account name in an endpoint: the first path segment of a path-style (emulator or IP) URI,
    /// otherwise the first label of the host name.
    /// </summary>
    internal static string AccountNameFromEndpoint(Uri endpoint)
    {
        if (IsPathStyle(endpoint))
        {
            var segment = endpoint.AbsolutePath.Trim('/').Split('/')[0];
            return string.IsNullOrEmpty(segment) ? DevelopmentAccountName : segment;
        }
        return endpoint.Host.Split('.')[0];
    }

    /// <summary>Path-style URIs (http://host:port/account/...) are used by Azurite and IP endpoints.</summary>
    internal static bool IsPathStyle(Uri endpoint) =>
        endpoint.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 || endpoint.IsLoopback || endpoint.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase);
}
