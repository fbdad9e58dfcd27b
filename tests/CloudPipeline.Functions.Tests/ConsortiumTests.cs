using System.Net;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using CloudPipeline.Contracts;
using CloudPipeline.Pipeline.Api;
using CloudPipeline.Pipeline.Consortium;
using CloudPipeline.Testing;
using Xunit;
using static CloudPipeline.Functions.Tests.PipelineEndToEndTests;

namespace CloudPipeline.Functions.Tests;

/// <summary>
/// The consortium through real host processes and Azurite: authentication and object-level authorisation on every
/// route, sharing and revocation, upload links, the consortium-wide view from two hosts, the audit, and no key in any
/// log, table row or error.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ConsortiumTests(AzuriteFixture azurite)
{
    /// <summary>Electrochemistry spec §8.5: the charge of the Arbin CH33 file, 0.602952 Ah.</summary>
    private const double Ch33ChargeAh = 0.602952;

    private const string ChargeQuantity = "CH33.csv:chargeAh";

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    /// <summary>One route's request, and what site A's key gets on site B's experiment before and after B shares it.</summary>
    /// <param name="Method">The method.</param>
    /// <param name="Path">The path and query, about B's experiment where the route takes one.</param>
    /// <param name="Body">A JSON body, or null.</param>
    /// <param name="Unshared">A's answer while B has not shared the experiment.</param>
    /// <param name="Shared">A's answer once B shared it.</param>
    /// <param name="ShowsData">For a 200: whether the body names B's experiment is the point (it must exactly when shared).</param>
    private sealed record RouteCase(HttpMethod Method, string Path, string? Body, HttpStatusCode Unshared, HttpStatusCode Shared, bool ShowsData = false);

    [Fact]
    public async Task Every_route_refuses_a_missing_expired_or_revoked_key_and_hides_another_sites_experiment_until_it_is_shared_and_again_after_revocation()
    {
        string id = Guid.NewGuid().ToString("N")[..6];
        string alpha = "alpha-" + id, beta = "beta-" + id, experiment = "cell-" + id;
        string taskHub = HostProcess.NewTaskHub();
        await using var host = await HostProcess.StartAsync(azurite.ConnectionString, changeDetector: false, taskHub: taskHub);
        using var op = Client(host.Api, host.OperatorKey);
        await AddSiteAsync(op, alpha);
        await AddSiteAsync(op, beta);
        string keyA = await CreateKeyAsync(op, alpha, "alpha analysis PC");
        string keyB = await CreateKeyAsync(op, beta, "beta instrument PC");
        foreach (string days in new[] { "0", "366", "2147483647", "-5" })
        {
            using var tooLong = await op.PostAsync($"api/sites/{alpha}/keys", Json($$"""{"name":"x","expiresInDays":{{days}}}"""));
            Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
            Assert.Contains("expiresInDays must be between 1 and 365", await tooLong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        string revoked = await CreateKeyAsync(op, alpha, "lost laptop");
        string revokedId = revoked.Split('_')[1];
        Assert.Equal(HttpStatusCode.OK, (await op.DeleteAsync($"api/sites/{alpha}/keys/{revokedId}")).StatusCode);
        // A key created two days ago with a one-day lifetime, through the real key store on the same storage.
        string expired = (await new ApiKeys(new TableServiceClient(azurite.ConnectionString), new FixedTime(DateTimeOffset.UtcNow.AddDays(-2)))
            .CreateAsync(alpha, "expired script", TimeSpan.FromDays(1), "test", default)).Key;

        // Site B's experiment: the Arbin file, analysed.
        byte[] arbin = await File.ReadAllBytesAsync(SharedData.RealFile("arbin-csv", "2017-05-09_test-TC-contact_CH33.csv"));
        await UploadWithEventAsync(azurite.ConnectionString, $"{beta}/{experiment}/CH33.csv", new BinaryData(arbin), "text/csv");
        using var b = Client(host.Api, keyB);
        var results = await WaitForAsync(() => ListAsync(b, $"api/results?site={beta}&experiment={experiment}"),
            r => r.Any(x => Text(x, "quantity") == ChargeQuantity), TimeSpan.FromMinutes(2), "beta's cycler results");
        Assert.Equal(Ch33ChargeAh, results.Single(x => Text(x, "quantity") == ChargeQuantity).GetProperty("value").GetDouble(), 0.0000005);
        string instanceId = Text((await ListAsync(b, $"api/datasets?site={beta}&experiment={experiment}")).Single(), "instanceId");
        var artifacts = await WaitForAsync(() => ListAsync(b, $"api/artifacts?site={beta}&experiment={experiment}"),
            a => a.Any(x => Text(x, "name").EndsWith(".svg", StringComparison.Ordinal)), TimeSpan.FromMinutes(1), "beta's plots");
        string artifact = Text(artifacts.First(x => Text(x, "name").EndsWith(".svg", StringComparison.Ordinal)), "name");
        string bKeyId = keyB.Split('_')[1];

        var cases = new Dictionary<string, RouteCase>
        {
            ["ListDatasets"] = new(HttpMethod.Get, $"api/datasets?site={beta}&experiment={experiment}", null, HttpStatusCode.NotFound, HttpStatusCode.OK, ShowsData: true),
            ["ListExperiments"] = new(HttpMethod.Get, $"api/experiments?site={beta}", null, HttpStatusCode.OK, HttpStatusCode.OK, ShowsData: true),
            ["GetInstance"] = new(HttpMethod.Get, $"api/instances/{instanceId}", null, HttpStatusCode.NotFound, HttpStatusCode.OK),
            ["ListResults"] = new(HttpMethod.Get, $"api/results?site={beta}&experiment={experiment}", null, HttpStatusCode.NotFound, HttpStatusCode.OK, ShowsData: true),
            ["DiffResults"] = new(HttpMethod.Get, $"api/diff?site={beta}&experiment={experiment}", null, HttpStatusCode.NotFound, HttpStatusCode.OK),
            ["ListAlgorithms"] = new(HttpMethod.Get, "api/algorithms", null, HttpStatusCode.OK, HttpStatusCode.OK),
            ["ListArtifacts"] = new(HttpMethod.Get, $"api/artifacts?site={beta}&experiment={experiment}", null, HttpStatusCode.NotFound, HttpStatusCode.OK, ShowsData: true),
            ["GetArtifact"] = new(HttpMethod.Get, "api/artifacts/" + artifact, null, HttpStatusCode.NotFound, HttpStatusCode.Redirect),
            ["PlanCampaign"] = new(HttpMethod.Get, "api/campaigns/ec-cycle-summary/plan", null, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden),
            ["StartCampaign"] = new(HttpMethod.Post, "api/campaigns/ec-cycle-summary", null, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden),
            ["GetCampaign"] = new(HttpMethod.Get, "api/campaigns/ec-cycle-summary", null, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden),
            ["CancelCampaign"] = new(HttpMethod.Delete, "api/campaigns/ec-cycle-summary", null, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden),
            ["ListSites"] = new(HttpMethod.Get, "api/sites", null, HttpStatusCode.OK, HttpStatusCode.OK),
            ["AddSite"] = new(HttpMethod.Post, "api/sites", $$"""{"id":"intruder-{{id}}"}""", HttpStatusCode.Forbidden, HttpStatusCode.Forbidden),
            ["ListKeys"] = new(HttpMethod.Get, $"api/sites/{beta}/keys", null, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden),
            ["CreateKey"] = new(HttpMethod.Post, $"api/sites/{beta}/keys", """{"name":"stolen"}""", HttpStatusCode.Forbidden, HttpStatusCode.Forbidden),
            ["RevokeKey"] = new(HttpMethod.Delete, $"api/sites/{beta}/keys/{bKeyId}", null, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden),
            ["ListShares"] = new(HttpMethod.Get, "api/shares", null, HttpStatusCode.OK, HttpStatusCode.OK, ShowsData: true),
            // A share is always of the caller's own data: A naming B's experiment shares an alpha experiment of that name, nothing of B's.
            ["GrantShare"] = new(HttpMethod.Post, "api/shares", $$"""{"experiment":"{{experiment}}","with":"nobody-{{id}}"}""", HttpStatusCode.BadRequest, HttpStatusCode.BadRequest),
            ["RevokeShare"] = new(HttpMethod.Delete, $"api/shares?experiment={experiment}&with={alpha}", null, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest),
            ["ListAudit"] = new(HttpMethod.Get, $"api/audit?site={beta}", null, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden),
            ["ConsortiumResults"] = new(HttpMethod.Get, "api/consortium/results?technique=cycler", null, HttpStatusCode.OK, HttpStatusCode.OK, ShowsData: true),
            ["GrantUpload"] = new(HttpMethod.Post, $"api/uploads/{experiment}/more.csv?site={beta}", null, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden),
        };
        // The table covers every route the hosts serve (health is the one anonymous route).
        Assert.Equal(PipelineApi.Routes.Keys.Except(PipelineApi.Anonymous).Order(StringComparer.Ordinal), cases.Keys.Order(StringComparer.Ordinal));
        var refusals = new StringBuilder();
        using var none = Client(host.Api, null);
        Assert.Equal(HttpStatusCode.OK, (await none.GetAsync("health")).StatusCode);
        using var expiredClient = Client(host.Api, expired);
        using var revokedClient = Client(host.Api, revoked);
        using var garbled = Client(host.Api, keyA[..^2] + "xx");
        foreach (var (name, c) in cases)
        {
            foreach (var (who, client, why) in new[] { ("no credential", none, "No credential"), ("expired key", expiredClient, "expired"), ("revoked key", revokedClient, "revoked"), ("wrong secret", garbled, "not valid") })
            {
                var (status, body) = await SendAsync(client, c);
                Assert.True(status == HttpStatusCode.Unauthorized, $"{name} with {who}: {(int)status} {body}");
                Assert.Contains(why, body, StringComparison.Ordinal);
                refusals.AppendLine(body);
            }
        }

        using var a = Client(host.Api, keyA);
        await AssertAnswersAsync(a, cases, shared: false, beta, experiment);

        // B shares the experiment with A: A reads it on every data route.
        Assert.Equal(HttpStatusCode.Created, (await b.PostAsync("api/shares", Json($$"""{"experiment":"{{experiment}}","with":"{{alpha}}"}"""))).StatusCode);
        await AssertAnswersAsync(a, cases, shared: true, beta, experiment);
        var consortium = await ListAsync(a, $"api/consortium/results?technique=cycler&quantity={ChargeQuantity}");
        var row = Assert.Single(consortium, r => Text(r, "site") == beta);
        Assert.Equal(Ch33ChargeAh, row.GetProperty("value").GetDouble(), 0.0000005);
        // The redirect is a read link: storage serves the artifact with it, and nothing else.
        using (var redirect = await a.GetAsync("api/artifacts/" + artifact))
        {
            var link = redirect.Headers.Location!;
            using var plain = new HttpClient();
            Assert.Equal(await new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient("artifacts").GetBlobClient(artifact).DownloadContentAsync().ContinueWith(t => t.Result.Value.Content.ToArray()),
                await plain.GetByteArrayAsync(link));
            Assert.Equal("r", System.Web.HttpUtility.ParseQueryString(link.Query)["sp"]);
        }

        // B revokes: A's next request is refused again.
        Assert.Equal(HttpStatusCode.OK, (await b.DeleteAsync($"api/shares?experiment={experiment}&with={alpha}")).StatusCode);
        await AssertAnswersAsync(a, cases, shared: false, beta, experiment);

        // The audit: B's rows name the share, its revocation and each of A's reads with A's key id; no route changes a row.
        var audit = await ListAsync(b, "api/audit?top=1000");
        string aKeyId = "key:" + keyA.Split('_')[1];
        Assert.Contains(audit, e => Text(e, "action") == "ShareGranted" && Text(e, "target") == "experiment:" + experiment && Text(e, "detail") == $"with site '{alpha}'" && Text(e, "credential") == "key:" + bKeyId);
        Assert.Contains(audit, e => Text(e, "action") == "ShareRevoked" && Text(e, "target") == "experiment:" + experiment && Text(e, "actor") == beta);
        var reads = audit.Where(e => Text(e, "action") == "CrossSiteRead").ToList();
        Assert.All(reads, e => Assert.Equal((alpha, aKeyId, experiment), (Text(e, "actor"), Text(e, "credential"), Text(e, "detail"))));
        Assert.Equal(new[] { "ConsortiumResults", "DiffResults", "GetArtifact", "GetInstance", "ListArtifacts", "ListDatasets", "ListExperiments", "ListResults" },
            reads.Select(e => Text(e, "target")).Distinct().Order(StringComparer.Ordinal));
        var alphaAudit = await ListAsync(op, $"api/audit?site={alpha}&top=1000");
        Assert.Contains(alphaAudit, e => Text(e, "action") == "KeyRevoked" && Text(e, "target") == "key:" + revokedId && Text(e, "actor") == "operator");
        Assert.Equal(2, alphaAudit.Count(e => Text(e, "action") == "KeyCreated")); // keyA and the revoked one; the expired key was made in the store directly
        var before = await ListAsync(op, $"api/audit?site={beta}&top=5000");
        foreach (var method in new[] { HttpMethod.Put, HttpMethod.Patch, HttpMethod.Delete, HttpMethod.Post })
        {
            foreach (string path in new[] { "api/audit", $"api/audit?site={beta}", $"api/audit/{beta}" })
            {
                using var change = await op.SendAsync(new HttpRequestMessage(method, path) { Content = Json("""{"action":"ShareGranted"}""") });
                Assert.True(change.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed, $"{method} {path}: {(int)change.StatusCode}");
            }
        }
        Assert.Equal(before.Select(e => e.GetRawText()), (await ListAsync(op, $"api/audit?site={beta}&top=5000")).Select(e => e.GetRawText()));

        await AssertNoKeyAppearsAsync([keyA, keyB, revoked, expired, host.OperatorKey], host.Log + refusals, taskHub);
    }

    [Fact]
    public async Task An_upload_link_writes_one_blob_under_its_sites_folder_and_cannot_read_list_write_elsewhere_or_outlive_its_expiry()
    {
        string id = Guid.NewGuid().ToString("N")[..6];
        string alpha = "alpha-" + id, beta = "beta-" + id;
        await using var host = await HostProcess.StartAsync(azurite.ConnectionString, changeDetector: true,
            settings: new Dictionary<string, string> { ["CloudPipeline__Auth__UploadSasLifetime"] = "00:00:20" });
        using var op = Client(host.Api, host.OperatorKey);
        await AddSiteAsync(op, alpha);
        await AddSiteAsync(op, beta);
        string keyA = await CreateKeyAsync(op, alpha, "alpha instrument PC");
        using var a = Client(host.Api, keyA);

        using var grant = await a.PostAsync("api/uploads/run-1/spectra/scan%201.csv", null);
        Assert.Equal(HttpStatusCode.OK, grant.StatusCode);
        var link = JsonSerializer.Deserialize<SasLink>(await grant.Content.ReadAsStringAsync(), Web)!;
        Assert.Equal($"{alpha}/run-1/spectra/scan 1.csv", link.BlobName);
        var blob = new BlobClient(link.Uri);
        await blob.UploadAsync(BinaryData.FromString("t,v\n0,1\n"));
        var raw = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(StorageLayout.RawContainer);
        Assert.Equal("t,v\n0,1\n", (await raw.GetBlobClient(link.BlobName).DownloadContentAsync()).Value.Content.ToString());

        // The same signature on another site's path, a read, a listing: storage refuses each (403).
        string sas = link.Uri.Query;
        var elsewhere = new BlobClient(new Uri($"{raw.Uri}/{beta}/run-1/spectra/scan 1.csv{sas}".Replace(" ", "%20", StringComparison.Ordinal)));
        Assert.Equal(403, (await Assert.ThrowsAsync<RequestFailedException>(() => elsewhere.UploadAsync(BinaryData.FromString("x")))).Status);
        Assert.Equal(403, (await Assert.ThrowsAsync<RequestFailedException>(() => blob.DownloadContentAsync())).Status);
        var listing = new Azure.Storage.Blobs.BlobContainerClient(new Uri(raw.Uri + sas));
        Assert.Equal(403, (await Assert.ThrowsAsync<RequestFailedException>(async () => await listing.GetBlobsAsync().AsPages().FirstAsync())).Status);
        Assert.Equal(403, (await Assert.ThrowsAsync<RequestFailedException>(() => blob.DeleteAsync())).Status);
        // The API will not sign beta's folder for alpha's key, nor a path with an empty segment (a '..' is resolved by the server before routing).
        Assert.Equal(HttpStatusCode.Forbidden, (await a.PostAsync($"api/uploads/run-1/x.csv?site={beta}", null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await a.PostAsync("api/uploads/run-1/a//b.csv", null)).StatusCode);
        using (var climbing = await a.PostAsync("api/uploads/run-1/a/%2E%2E/%2E%2E/b.csv", null))
        {
            Assert.True(climbing.StatusCode != HttpStatusCode.OK || JsonSerializer.Deserialize<SasLink>(await climbing.Content.ReadAsStringAsync(), Web)!.BlobName.StartsWith(alpha + "/", StringComparison.Ordinal));
        }

        // The link stops working at its expiry (20 s here): wait for the refusal, with a deadline.
        await WaitForAsync(async () =>
        {
            try
            {
                await blob.UploadAsync(BinaryData.FromString("again"), overwrite: true);
                return 0;
            }
            catch (RequestFailedException ex)
            {
                return ex.Status;
            }
        }, status => status == 403, TimeSpan.FromSeconds(60), "the upload link to expire");
        Assert.True(DateTimeOffset.UtcNow >= link.ExpiresOn.AddSeconds(-5), $"refused before its expiry {link.ExpiresOn:O}");

        // `cloudpipeline upload --key` sends a folder through upload links; the change detector ingests it.
        var folder = Directory.CreateTempSubdirectory("cp-upload-key-");
        try
        {
            byte[] arbin = await File.ReadAllBytesAsync(SharedData.RealFile("arbin-csv", "2017-05-09_test-TC-contact_CH33.csv"));
            await File.WriteAllBytesAsync(Path.Combine(folder.FullName, "CH33.csv"), arbin);
            var (code, text) = await Processes.CliAsync("UseDevelopmentStorage=false", host.Api, "upload", folder.FullName, "--site", alpha, "--experiment", "run-2", "--key", keyA);
            Assert.True(code == 0, text);
            Assert.Equal(arbin, (await raw.GetBlobClient($"{alpha}/run-2/CH33.csv").DownloadContentAsync()).Value.Content.ToArray());
            var results = await WaitForAsync(() => ListAsync(a, $"api/results?site={alpha}&experiment=run-2"),
                r => r.Any(x => Text(x, "quantity") == ChargeQuantity), TimeSpan.FromMinutes(2), "the key-uploaded file's results");
            Assert.Equal(Ch33ChargeAh, results.Single(x => Text(x, "quantity") == ChargeQuantity).GetProperty("value").GetDouble(), 0.0000005);
            (code, text) = await Processes.CliAsync("UseDevelopmentStorage=false", host.Api, "upload", folder.FullName, "--site", beta, "--experiment", "run-2", "--key", keyA);
            Assert.Equal(1, code);
            Assert.Contains("uploads under its own id only", text, StringComparison.Ordinal);
            Assert.DoesNotContain(keyA, text, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Three_sites_on_two_hosts_each_see_exactly_their_own_and_what_is_shared_with_them_in_the_consortium_view()
    {
        string id = Guid.NewGuid().ToString("N")[..6];
        string[] sites = [$"s1-{id}", $"s2-{id}", $"s3-{id}"];
        string taskHub = HostProcess.NewTaskHub();
        await using var first = await HostProcess.StartAsync(azurite.ConnectionString, changeDetector: false, taskHub: taskHub);
        await using var second = await HostProcess.StartAsync(azurite.ConnectionString, changeDetector: false, taskHub: taskHub);
        HostProcess[] hosts = [first, second];

        // The operator registers the sites and their keys with the CLI.
        var keys = new Dictionary<string, string>();
        foreach (string site in sites)
        {
            var (code, text) = await Processes.CliAsync(azurite.ConnectionString, first.Api, "site", "add", site, "--display-name", "Lab " + site);
            Assert.True(code == 0, text);
            (code, text) = await Processes.CliAsync(azurite.ConnectionString, second.Api, "site", "key", "create", "--site", site, "--name", "pc", "--expires-in-days", "30");
            Assert.True(code == 0, text);
            keys[site] = text.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("cpk_", StringComparison.Ordinal));
        }

        byte[] arbin = await File.ReadAllBytesAsync(SharedData.RealFile("arbin-csv", "2017-05-09_test-TC-contact_CH33.csv"));
        foreach (string site in sites)
        {
            foreach (string experiment in new[] { "shared", "private" })
            {
                await UploadWithEventAsync(azurite.ConnectionString, $"{site}/{experiment}/CH33.csv", new BinaryData(arbin), "text/csv");
            }
        }
        using var op = Client(first.Api, first.OperatorKey);
        await WaitForAsync(() => ListAsync(op, $"api/consortium/results?technique=cycler&quantity={ChargeQuantity}"),
            r => sites.All(s => r.Count(x => Text(x, "site") == s) == 2), TimeSpan.FromMinutes(3), "six cycler analyses");

        // s1 shares with the consortium, s2 with s1 by name, s3 with the consortium (s3 through the CLI).
        (string Owner, string With)[] shares = [(sites[0], "consortium"), (sites[1], sites[0]), (sites[2], "consortium")];
        foreach (var (owner, with) in shares.Take(2))
        {
            using var client = Client(second.Api, keys[owner]);
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("api/shares", Json($$"""{"experiment":"shared","with":"{{with}}"}"""))).StatusCode);
        }
        var (shareCode, shareText) = await Processes.CliAsync(azurite.ConnectionString, first.Api, "share", "--experiment", "shared", "--with", "consortium", "--key", keys[sites[2]]);
        Assert.True(shareCode == 0, shareText);

        var expected = new Dictionary<string, (string, string)[]>
        {
            [sites[0]] = [(sites[0], "private"), (sites[0], "shared"), (sites[1], "shared"), (sites[2], "shared")],
            [sites[1]] = [(sites[0], "shared"), (sites[1], "private"), (sites[1], "shared"), (sites[2], "shared")],
            [sites[2]] = [(sites[0], "shared"), (sites[2], "private"), (sites[2], "shared")],
        };
        for (int i = 0; i < sites.Length; i++)
        {
            string site = sites[i];
            foreach (var host in hosts)
            {
                using var client = Client(host.Api, keys[site]);
                var rows = await ListAsync(client, $"api/consortium/results?technique=cycler&quantity={ChargeQuantity}");
                var seen = rows.Select(r => (Text(r, "site"), Text(r, "experiment"))).Where(r => sites.Contains(r.Item1)).Order().ToArray();
                Assert.Equal(expected[site], seen);
                Assert.All(rows, r => Assert.Equal(Ch33ChargeAh, r.GetProperty("value").GetDouble(), 0.0000005));
            }
        }
        var (viewCode, view) = await Processes.CliAsync(azurite.ConnectionString, second.Api, "consortium", "--technique", "cycler", "--quantity", ChargeQuantity, "--key", keys[sites[2]]);
        Assert.True(viewCode == 0, view);
        Assert.Contains($"{sites[0]} ", view, StringComparison.Ordinal);
        Assert.DoesNotContain($"{sites[1]} ", view, StringComparison.Ordinal);

        // Each owner's audit: its share, and a read by exactly the sites it shared with (one per host they asked).
        var readers = new Dictionary<string, string[]> { [sites[0]] = [sites[1], sites[2]], [sites[1]] = [sites[0]], [sites[2]] = [sites[0], sites[1]] };
        var (auditCode, auditText) = await Processes.CliAsync(azurite.ConnectionString, first.Api, "audit", "--site", sites[0]);
        Assert.True(auditCode == 0, auditText);
        Assert.Contains("ShareGranted", auditText, StringComparison.Ordinal);
        foreach (string owner in sites)
        {
            var rows = await ListAsync(op, $"api/audit?site={owner}&top=1000");
            Assert.Single(rows, e => Text(e, "action") == "ShareGranted" && Text(e, "target") == "experiment:shared");
            var reads = rows.Where(e => Text(e, "action") == "CrossSiteRead" && Text(e, "target") == "ConsortiumResults").ToList();
            Assert.Equal(readers[owner].Order(), reads.Select(e => Text(e, "actor")).Distinct().Order());
            // One read per host each reader asked, and s3's CLI view read s1's shared experiment once more.
            Assert.All(readers[owner], r => Assert.Equal(2 + (owner == sites[0] && r == sites[2] ? 1 : 0), reads.Count(e => Text(e, "actor") == r)));
            Assert.All(reads, e => Assert.Equal("shared", Text(e, "detail")));
        }

        await AssertNoKeyAppearsAsync([.. keys.Values, first.OperatorKey, second.OperatorKey], first.Log + second.Log, taskHub);
    }

    [Fact]
    public async Task A_bearer_token_from_the_configured_authority_acts_for_the_site_its_role_names_and_one_of_another_tenant_or_audience_is_refused()
    {
        string id = Guid.NewGuid().ToString("N")[..6];
        string alpha = "alpha-" + id, beta = "beta-" + id, tenant = Guid.NewGuid().ToString(), audience = "api://cloudpipeline-" + id;
        // A development identity provider on loopback: OpenID metadata and the signing key, as Entra ID publishes them.
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var signingKey = new Microsoft.IdentityModel.Tokens.RsaSecurityKey(rsa) { KeyId = "k1" };
        var parameters = rsa.ExportParameters(false);
        int port = Processes.FreePort();
        string issuer = $"http://127.0.0.1:{port}/{tenant}/v2.0";
        var provider = Microsoft.AspNetCore.Builder.WebApplication.CreateSlimBuilder();
        provider.WebHost.UseUrls($"http://127.0.0.1:{port}");
        await using var idp = provider.Build();
        idp.MapGet($"/{tenant}/v2.0/.well-known/openid-configuration", () => Microsoft.AspNetCore.Http.Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = issuer,
            ["jwks_uri"] = $"http://127.0.0.1:{port}/{tenant}/keys",
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        }));
        idp.MapGet($"/{tenant}/keys", () => Microsoft.AspNetCore.Http.Results.Json(new Dictionary<string, object>
        {
            ["keys"] = new[] { new Dictionary<string, string> { ["kty"] = "RSA", ["use"] = "sig", ["kid"] = "k1", ["n"] = Base64Url(parameters.Modulus!), ["e"] = Base64Url(parameters.Exponent!) } },
        }));
        await idp.StartAsync();

        await using var host = await HostProcess.StartAsync(azurite.ConnectionString, changeDetector: false, settings: new Dictionary<string, string>
        {
            ["CloudPipeline__Auth__Authority"] = issuer,
            ["CloudPipeline__Auth__Audience"] = audience,
            ["CloudPipeline__Auth__RequireHttpsMetadata"] = "false",
        });
        using var op = Client(host.Api, host.OperatorKey);
        using (var add = await op.PostAsync("api/sites", Json($$"""{"id":"{{alpha}}","entraTenantId":"{{tenant}}"}""")))
        {
            Assert.Equal(HttpStatusCode.Created, add.StatusCode);
        }
        await AddSiteAsync(op, beta);

        string Token(string aud, string tid, params string[] roles) => new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().CreateToken(new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = aud,
            Expires = DateTime.UtcNow.AddMinutes(10),
            Claims = new Dictionary<string, object> { ["tid"] = tid, ["oid"] = "user-" + id, ["roles"] = roles },
            SigningCredentials = new Microsoft.IdentityModel.Tokens.SigningCredentials(signingKey, Microsoft.IdentityModel.Tokens.SecurityAlgorithms.RsaSha256),
        });
        HttpClient Bearer(string token)
        {
            var http = Client(host.Api, null);
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            return http;
        }

        using var site = Bearer(Token(audience, tenant, "Site." + alpha));
        Assert.Equal(HttpStatusCode.OK, (await site.GetAsync($"api/results?site={alpha}&experiment=any")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await site.GetAsync($"api/results?site={beta}&experiment=any")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await site.GetAsync("api/campaigns/ec-cycle-summary/plan")).StatusCode);
        using (var shared = await site.PostAsync("api/shares", Json($$"""{"technique":"mri","with":"{{beta}}"}""")))
        {
            Assert.Equal(HttpStatusCode.Created, shared.StatusCode);
        }
        var audit = await ListAsync(op, $"api/audit?site={alpha}");
        Assert.Contains(audit, e => Text(e, "action") == "ShareGranted" && Text(e, "credential") == $"entra:{tenant}/user-{id}");

        using var operatorToken = Bearer(Token(audience, Guid.NewGuid().ToString(), "CloudPipeline.Operator"));
        Assert.Equal(HttpStatusCode.OK, (await operatorToken.GetAsync("api/campaigns/ec-cycle-summary/plan")).StatusCode);
        foreach (var (what, token, reason) in new[]
        {
            ("another audience", Token("api://someone-else", tenant, "Site." + alpha), "not accepted"),
            ("another tenant", Token(audience, Guid.NewGuid().ToString(), "Site." + alpha), "does not accept tokens of tenant"),
            ("a site without a tenant", Token(audience, tenant, "Site." + beta), "does not accept tokens of tenant"),
            ("no site role", Token(audience, tenant), "0 site roles"),
            ("a forged signature", Token(audience, tenant, "Site." + alpha)[..^4] + "AAAA", "not accepted"),
        })
        {
            using var client = Bearer(token);
            using var response = await client.GetAsync($"api/results?site={alpha}&experiment=any");
            string body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{what}: {(int)response.StatusCode} {body}");
            Assert.Contains(reason, body, StringComparison.Ordinal);
        }
        await idp.StopAsync();
    }

    private static string Base64Url(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);

    /// <summary>
    /// No key (whole, or its secret part) in the hosts' logs or answers, nor in any row of the pipeline's tables or this
    /// test's task hub: only key ids appear.
    /// </summary>
    private async Task AssertNoKeyAppearsAsync(IReadOnlyList<string> keys, string logsAndAnswers, string taskHub)
    {
        // cpk_{16-hex id}_{secret}: the secret part alone must not appear either.
        var secrets = keys.Select(k => k[("cpk_".Length + 17)..]).Concat(keys).ToList();
        foreach (string secret in secrets)
        {
            Assert.DoesNotContain(secret, logsAndAnswers, StringComparison.Ordinal);
        }
        var service = new TableServiceClient(azurite.ConnectionString);
        int rows = 0;
        foreach (string table in StorageLayout.Tables.Concat([taskHub + "Instances", taskHub + "History"]))
        {
            await foreach (var entity in service.GetTableClient(table).QueryAsync<TableEntity>())
            {
                string text = string.Join("\n", entity.Select(p => p.Value is byte[] bytes ? Convert.ToBase64String(bytes) : Convert.ToString(p.Value, System.Globalization.CultureInfo.InvariantCulture)));
                foreach (string secret in secrets)
                {
                    Assert.False(text.Contains(secret, StringComparison.Ordinal), $"a key is in a row of {table}");
                }
                rows++;
            }
        }
        Assert.True(rows > 20, $"only {rows} rows scanned");
    }

    private static async Task AssertAnswersAsync(HttpClient a, Dictionary<string, RouteCase> cases, bool shared, string beta, string experiment)
    {
        foreach (var (name, c) in cases)
        {
            var (status, body) = await SendAsync(a, c);
            var expected = shared ? c.Shared : c.Unshared;
            Assert.True(status == expected, $"{name} ({(shared ? "shared" : "unshared")}): expected {(int)expected}, got {(int)status} {body}");
            if (c.ShowsData && status == HttpStatusCode.OK)
            {
                Assert.True(body.Contains(experiment, StringComparison.Ordinal) == shared, $"{name} ({(shared ? "shared" : "unshared")}) {(shared ? "lacks" : "shows")} {beta}/{experiment}: {body}");
            }
            if (status == HttpStatusCode.NotFound)
            {
                // Told exactly as a missing one: nothing says the experiment exists.
                Assert.DoesNotContain("share", body, StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    private static async Task<(HttpStatusCode, string)> SendAsync(HttpClient client, RouteCase c)
    {
        using var request = new HttpRequestMessage(c.Method, c.Path) { Content = c.Body is null ? null : Json(c.Body) };
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task AddSiteAsync(HttpClient op, string site)
    {
        using var response = await op.PostAsync("api/sites", Json($$"""{"id":"{{site}}","displayName":"Lab {{site}}"}"""));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    private static async Task<string> CreateKeyAsync(HttpClient client, string site, string name)
    {
        using var response = await client.PostAsync($"api/sites/{site}/keys", Json($$"""{"name":"{{name}}","expiresInDays":30}"""));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("key").GetString()!;
    }

    private static async Task<JsonElement[]> ListAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {body}");
        return JsonSerializer.Deserialize<JsonElement[]>(body)!;
    }

    private static string Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>A client that sends <paramref name="key"/> (none when null) and does not follow redirects.</summary>
    private static HttpClient Client(Uri api, string? key)
    {
        var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = api };
        if (key is not null)
        {
            http.DefaultRequestHeaders.Add(ApiAuthentication.KeyHeader, key);
        }
        return http;
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
