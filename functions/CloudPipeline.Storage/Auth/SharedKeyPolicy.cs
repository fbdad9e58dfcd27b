using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace CloudPipeline.Storage.Auth;

/// <summary>Which canonicalisation of the Shared Key scheme a service expects.</summary>
internal enum SharedKeyFlavor
{
    /// <summary>Blob and Queue: verb, standard headers, x-ms- headers and every query parameter are signed.</summary>
    BlobQueue,

    /// <summary>Table: verb, Content-MD5, Content-Type, date and the resource with only <c>comp</c> are signed.</summary>
    Table,
}

/// <summary>
/// Signs every attempt of a request with the account key (Shared Key authorisation). It runs per retry
/// because the signature covers <c>x-ms-date</c>, which must be fresh on each attempt.
/// </summary>
internal sealed class SharedKeyPolicy : HttpPipelineSynchronousPolicy
{
    private readonly AzureNamedKeyCredential _credential;
    private readonly SharedKeyFlavor _flavor;
    private readonly TimeProvider _time;

    public SharedKeyPolicy(AzureNamedKeyCredential credential, SharedKeyFlavor flavor, TimeProvider time)
    {
        _credential = credential;
        _flavor = flavor;
        _time = time;
    }

    public override void OnSendingRequest(HttpMessage message)
    {
        var request = message.Request;
        string date = _time.GetUtcNow().ToString("R", CultureInfo.InvariantCulture);
        request.Headers.SetValue("x-ms-date", date);

        var (name, key) = _credential; // Deconstruct reads name and key consistently even if the key is rotated meanwhile.
        string stringToSign = _flavor == SharedKeyFlavor.Table
            ? BuildTableStringToSign(request, name, date)
            : BuildBlobQueueStringToSign(request, name);
        using var hmac = new HMACSHA256(Convert.FromBase64String(key));
        string signature = Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(stringToSign)));
        request.Headers.SetValue("Authorization", $"SharedKey {name}:{signature}");
    }

    private static string BuildBlobQueueStringToSign(Request request, string account)
    {
        string contentLength = request.Content is not null && request.Content.TryComputeLength(out long length) && length > 0
            ? length.ToString(CultureInfo.InvariantCulture)
            : string.Empty;

        var sb = new StringBuilder();
        sb.Append(request.Method.Method.ToUpperInvariant()).Append('\n');
        sb.Append(Header(request, "Content-Encoding")).Append('\n');
        sb.Append(Header(request, "Content-Language")).Append('\n');
        sb.Append(contentLength).Append('\n');
        sb.Append(Header(request, "Content-MD5")).Append('\n');
        sb.Append(Header(request, "Content-Type")).Append('\n');
        sb.Append('\n'); // Date: x-ms-date is used instead and signed among the x-ms- headers.
        sb.Append(Header(request, "If-Modified-Since")).Append('\n');
        sb.Append(Header(request, "If-Match")).Append('\n');
        sb.Append(Header(request, "If-None-Match")).Append('\n');
        sb.Append(Header(request, "If-Unmodified-Since")).Append('\n');
        sb.Append(Header(request, "Range")).Append('\n');

        foreach (var header in request.Headers
                     .Where(h => h.Name.StartsWith("x-ms-", StringComparison.OrdinalIgnoreCase))
                     .Select(h => (Name: h.Name.ToLowerInvariant(), Value: h.Value.Trim()))
                     .OrderBy(h => h.Name, StringComparer.Ordinal))
        {
            sb.Append(header.Name).Append(':').Append(header.Value).Append('\n');
        }

        var uri = request.Uri.ToUri();
        sb.Append('/').Append(account).Append(uri.AbsolutePath);
        foreach (var group in ParseQuery(uri.Query)
                     .GroupBy(q => q.Key.ToLowerInvariant())
                     .OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var values = group.Select(q => q.Value).OrderBy(v => v, StringComparer.Ordinal);
            sb.Append('\n').Append(group.Key).Append(':').Append(string.Join(',', values));
        }
        return sb.ToString();
    }

    private static string BuildTableStringToSign(Request request, string account, string date)
    {
        var uri = request.Uri.ToUri();
        var sb = new StringBuilder();
        sb.Append(request.Method.Method.ToUpperInvariant()).Append('\n');
        sb.Append(Header(request, "Content-MD5")).Append('\n');
        sb.Append(Header(request, "Content-Type")).Append('\n');
        sb.Append(date).Append('\n');
        sb.Append('/').Append(account).Append(uri.AbsolutePath);
        var comp = ParseQuery(uri.Query).FirstOrDefault(q => q.Key.Equals("comp", StringComparison.OrdinalIgnoreCase));
        if (comp.Key is not null)
        {
            sb.Append("?comp=").Append(comp.Value);
        }
        return sb.ToString();
    }

    private static string Header(Request request, string name) =>
        request.Headers.TryGetValue(name, out var value) ? value : string.Empty;

    private static IEnumerable<KeyValuePair<string, string>> ParseQuery(string query)
    {
        foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            string key = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            string value = eq < 0 ? string.Empty : Uri.UnescapeDataString(pair[(eq + 1)..]);
            yield return new KeyValuePair<string, string>(key, value);
        }
    }
}
