using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace CloudPipeline.Storage.Auth;

/// <summary>Appends a shared access signature to every request's query string.</summary>
internal sealed class SasPolicy : HttpPipelineSynchronousPolicy
{
    private readonly AzureSasCredential _credential;

    public SasPolicy(AzureSasCredential credential) => _credential = credential;

    public override void OnSendingRequest(HttpMessage message)
    {
        string sas = _credential.Signature.TrimStart('?');
        var uri = message.Request.Uri;
        if (uri.Query.Contains(sas, StringComparison.Ordinal))
        {
            return; // Retries reuse the request; the signature is already there.
        }
        foreach (var pair in sas.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            uri.AppendQuery(Uri.UnescapeDataString(pair[..eq]), Uri.UnescapeDataString(pair[(eq + 1)..]), escapeValue: true);
        }
    }
}
