using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using CloudPipeline.Storage.Blobs;
using CloudPipeline.Storage.Emulator;
using CloudPipeline.Storage.Queues;
using CloudPipeline.Storage.Tables;
using Xunit;

namespace CloudPipeline.Storage.Tests;

/// <summary>
/// Entra ID bearer tokens against a second, HTTPS Azurite with OAuth enabled (Azurite accepts tokens only
/// over HTTPS). The certificate is self-signed for 127.0.0.1 and trusted by thumbprint in these tests only.
/// </summary>
public sealed class BearerTokenTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "cloudpipeline-oauth-" + Guid.NewGuid().ToString("N")[..8]);
    private AzuriteProcess? _azurite;
    private string _thumbprint = string.Empty;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        _thumbprint = cert.Thumbprint;
        await File.WriteAllTextAsync(Path.Combine(_folder, "cert.pem"), cert.ExportCertificatePem());
        await File.WriteAllTextAsync(Path.Combine(_folder, "key.pem"), rsa.ExportPkcs8PrivateKeyPem());
        _azurite = await AzuriteProcess.StartAsync(new AzuriteOptions
        {
            DataDirectory = Path.Combine(_folder, "data"),
            BlobPort = 0,
            QueuePort = 0,
            TablePort = 0,
            CertificatePemPath = Path.Combine(_folder, "cert.pem"),
            KeyPemPath = Path.Combine(_folder, "key.pem"),
            EnableOAuth = true,
            StartupTimeout = TimeSpan.FromMinutes(3),
        });
    }

    public async Task DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
        Directory.Delete(_folder, recursive: true);
    }

    private StorageClientOptions TrustingOptions()
    {
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, cert, _, errors) =>
                errors == SslPolicyErrors.None || string.Equals(cert?.Thumbprint, _thumbprint, StringComparison.OrdinalIgnoreCase),
        };
        return new StorageClientOptions { Transport = new HttpClientTransport(handler) };
    }

    [Fact]
    public async Task Blob_queue_and_table_clients_authorise_with_a_token_credential()
    {
        var credential = new TestTokenCredential(TimeSpan.FromHours(1));
        var container = new BlobServiceClient(_azurite!.BlobEndpoint, credential, TrustingOptions()).GetBlobContainerClient("tokens");
        await container.CreateIfNotExistsAsync();
        await container.GetBlobClient("a.txt").UploadAsync(BinaryData.FromString("via token"));
        Assert.Equal("via token", (await container.GetBlobClient("a.txt").DownloadContentAsync()).Value.ToString());

        var queue = new QueueServiceClient(_azurite.QueueEndpoint, credential, TrustingOptions()).GetQueueClient("tokens");
        await queue.CreateIfNotExistsAsync();
        await queue.SendMessageAsync("hello");
        Assert.Equal("hello", Assert.Single((await queue.ReceiveMessagesAsync()).Value).MessageText);

        var table = new TableServiceClient(_azurite.TableEndpoint, credential, TrustingOptions()).GetTableClient("Tokens");
        await table.CreateIfNotExistsAsync();
        await table.AddEntityAsync(new TableEntity("p", "r") { ["V"] = 1 });
        Assert.Equal(1, (await table.GetEntityAsync("p", "r")).Value["V"]);
        Assert.True(credential.Requests >= 1);
    }

    [Fact]
    public async Task An_expired_token_is_rejected_with_403()
    {
        var container = new BlobServiceClient(_azurite!.BlobEndpoint, new TestTokenCredential(TimeSpan.FromHours(-1)), TrustingOptions())
            .GetBlobContainerClient("expired");
        var ex = await Assert.ThrowsAsync<RequestFailedException>(() => container.CreateIfNotExistsAsync());
        Assert.Equal(403, ex.Status);
    }

    /// <summary>Mints an unsigned JWT with the claims Azurite checks; a real deployment uses Azure.Identity.</summary>
    private sealed class TestTokenCredential : TokenCredential
    {
        private readonly TimeSpan _lifetime;

        public TestTokenCredential(TimeSpan lifetime) => _lifetime = lifetime;

        public int Requests { get; private set; }

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Requests++;
            var now = DateTimeOffset.UtcNow;
            var expires = now + _lifetime;
            static string B64(object value) => Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(value)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            string token = B64(new { alg = "RS256", typ = "JWT" }) + "." + B64(new Dictionary<string, object>
            {
                ["aud"] = "https://storage.azure.com",
                ["iss"] = "https://sts.windows.net/ab1f708d-50f6-404c-a006-d71b2ac7a606/",
                ["iat"] = (now - TimeSpan.FromHours(2)).ToUnixTimeSeconds(),
                ["nbf"] = (now - TimeSpan.FromHours(2)).ToUnixTimeSeconds(),
                ["exp"] = expires.ToUnixTimeSeconds(),
                ["oid"] = Guid.NewGuid().ToString(),
                ["tid"] = "ab1f708d-50f6-404c-a006-d71b2ac7a606",
            }) + "." + Convert.ToBase64String(Encoding.ASCII.GetBytes("unsigned")).TrimEnd('=');
            return new AccessToken(token, expires > now ? expires : now.AddMinutes(10));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
