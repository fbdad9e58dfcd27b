using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;

using static CloudPipeline.Cli.Commands.ApiJson;

namespace CloudPipeline.Cli.Commands;

/// <summary>
/// The consortium's commands, through the host's API with the caller's credential: <c>site add|list</c> and
/// <c>site key create|list|revoke</c> (operator; a site for its own keys), <c>share</c> (grant, <c>--revoke</c>,
/// <c>--list</c>), <c>audit</c>, and <c>consortium</c> (one technique's results across every site the caller may read).
/// </summary>
internal static class SiteCommands
{
    public static Command Site()
    {
        var id = new Argument<string>("id") { Description = "The site id (a-z, 0-9, '-'): the first segment of its uploads, raw/{id}/..." };
        var display = new Option<string?>("--display-name") { Description = "The lab's name." };
        var tenant = new Option<string?>("--entra-tenant") { Description = "The Entra ID tenant whose tokens (app role Site.{id}) act for the site." };
        var add = new Command("add", "Register a site (operator).") { id, display, tenant, CliSettings.Api };
        add.SetAction((parse, ct) => SendAsync(parse, HttpMethod.Post, "api/sites",
            Json(("id", parse.GetValue(id)), ("displayName", parse.GetValue(display)), ("entraTenantId", parse.GetValue(tenant))),
            body => Console.WriteLine($"Site '{Text(body, "id")}' registered."), ct));

        var list = new Command("list", "List the consortium's sites.") { CliSettings.Api };
        list.SetAction((parse, ct) => SendAsync(parse, HttpMethod.Get, "api/sites", null, body =>
        {
            Console.WriteLine($"{"SITE",-20} {"NAME",-32} {"ENTRA TENANT",-38} ADDED");
            foreach (var s in body.EnumerateArray())
            {
                Console.WriteLine($"{Text(s, "id"),-20} {Text(s, "displayName"),-32} {Text(s, "entraTenantId"),-38} {Text(s, "addedAt")}");
            }
        }, ct));

        var site = new Command("site", "Manage the consortium's sites and their API keys.") { add, list, Key() };
        return site;
    }

    private static Command Key()
    {
        var site = CliSettings.Site(required: true);
        var name = new Option<string>("--name") { Description = "What the key is for (e.g. the instrument PC).", Required = true };
        var days = new Option<int?>("--expires-in-days") { Description = "Lifetime in days (default 90, at most 365)." };
        var create = new Command("create", "Create an API key for a site; it is printed once and stored only as a salted hash.") { site, name, days, CliSettings.Api };
        create.SetAction((parse, ct) => SendAsync(parse, HttpMethod.Post, $"api/sites/{Uri.EscapeDataString(parse.GetValue(site)!)}/keys",
            Json(("name", parse.GetValue(name)), ("expiresInDays", parse.GetValue(days)?.ToString(CultureInfo.InvariantCulture))), body =>
            {
                var info = body.GetProperty("info");
                Console.Error.WriteLine($"Key {Text(info, "id")} for site '{Text(info, "site")}' ('{Text(info, "name")}'), expires {Text(info, "expiresAt")}. It is shown this once; keep it secret:");
                Console.WriteLine(Text(body, "key"));
            }, ct));

        var listSite = CliSettings.Site(required: true);
        var list = new Command("list", "List a site's keys (never their secrets).") { listSite, CliSettings.Api };
        list.SetAction((parse, ct) => SendAsync(parse, HttpMethod.Get, $"api/sites/{Uri.EscapeDataString(parse.GetValue(listSite)!)}/keys", null, body =>
        {
            Console.WriteLine($"{"KEY",-18} {"NAME",-28} {"EXPIRES",-28} REVOKED");
            foreach (var k in body.EnumerateArray())
            {
                Console.WriteLine($"{Text(k, "id"),-18} {Text(k, "name"),-28} {Text(k, "expiresAt"),-28} {Text(k, "revokedAt")}");
            }
        }, ct));

        var revokeSite = CliSettings.Site(required: true);
        var keyId = new Argument<string>("key-id") { Description = "The key's id (cloudpipeline site key list)." };
        var revoke = new Command("revoke", "Revoke a key at once.") { keyId, revokeSite, CliSettings.Api };
        revoke.SetAction((parse, ct) => SendAsync(parse, HttpMethod.Delete,
            $"api/sites/{Uri.EscapeDataString(parse.GetValue(revokeSite)!)}/keys/{Uri.EscapeDataString(parse.GetValue(keyId)!)}", null,
            body => Console.WriteLine($"Key {Text(body, "id")} ('{Text(body, "name")}') revoked at {Text(body, "revokedAt")}."), ct));
        return new Command("key", "Create, list and revoke a site's API keys.") { create, list, revoke };
    }

    public static Command Share()
    {
        var experiment = CliSettings.Experiment(required: false);
        var technique = new Option<string?>("--technique") { Description = "Share every experiment's results of this technique (mri, eis, cycler, nmr) instead of one experiment." };
        var with = new Option<string?>("--with") { Description = "The site to share with, or consortium for every member." };
        var revoke = new Option<bool>("--revoke") { Description = "Revoke the share instead." };
        var list = new Option<bool>("--list") { Description = "List what the caller's site shares and receives." };
        var command = new Command("share", "Share an experiment or a technique of the caller's site, read-only, with a site or the consortium; --revoke takes it back.")
        {
            experiment, technique, with, revoke, list, CliSettings.Api,
        };
        command.SetAction((parse, ct) =>
        {
            if (parse.GetValue(list))
            {
                return SendAsync(parse, HttpMethod.Get, "api/shares", null, body =>
                {
                    foreach (var (title, rows) in new[] { ("Shared by this site", body.GetProperty("given")), ("Shared with this site", body.GetProperty("received")) })
                    {
                        Console.WriteLine(title + ":");
                        foreach (var s in rows.EnumerateArray())
                        {
                            Console.WriteLine($"  {Text(s, "owner"),-16} {Text(s, "kind").ToLowerInvariant(),-11} {Text(s, "target"),-24} -> {(Text(s, "grantee") == "*" ? "consortium" : Text(s, "grantee")),-16} {Text(s, "createdAt")}");
                        }
                    }
                }, ct);
            }
            if (parse.GetValue(revoke))
            {
                string query = $"?with={Uri.EscapeDataString(parse.GetValue(with) ?? "")}"
                    + (parse.GetValue(experiment) is { } x ? $"&experiment={Uri.EscapeDataString(x)}" : "")
                    + (parse.GetValue(technique) is { } t ? $"&technique={Uri.EscapeDataString(t)}" : "");
                return SendAsync(parse, HttpMethod.Delete, "api/shares" + query, null, body => Console.WriteLine(Text(body, "error")), ct);
            }
            return SendAsync(parse, HttpMethod.Post, "api/shares",
                Json(("experiment", parse.GetValue(experiment)), ("technique", parse.GetValue(technique)), ("with", parse.GetValue(with))),
                body => Console.WriteLine($"Shared {Text(body, "kind").ToLowerInvariant()} '{Text(body, "target")}' of '{Text(body, "owner")}' with {(Text(body, "grantee") == "*" ? "the consortium" : Text(body, "grantee"))}, read-only."), ct);
        });
        return command;
    }

    public static Command Audit()
    {
        var site = CliSettings.Site(required: false);
        var since = new Option<DateTimeOffset?>("--since") { Description = "Only rows from this time (ISO 8601)." };
        var top = new Option<int>("--top") { Description = "At most this many rows, newest first (default 200).", DefaultValueFactory = _ => 200 };
        var command = new Command("audit", "List the audit: shares, revocations, key changes and reads of a site's data by other sites (a site its own; the operator every site's).")
        {
            site, since, top, CliSettings.Api,
        };
        command.SetAction((parse, ct) =>
        {
            string query = $"?top={parse.GetValue(top)}" + (parse.GetValue(site) is { } s ? $"&site={Uri.EscapeDataString(s)}" : "")
                + (parse.GetValue(since) is { } from ? $"&since={Uri.EscapeDataString(from.ToString("O", CultureInfo.InvariantCulture))}" : "");
            return SendAsync(parse, HttpMethod.Get, "api/audit" + query, null, body =>
            {
                Console.WriteLine($"{"WHEN",-28} {"SITE",-14} {"ACTION",-14} {"ACTOR",-14} {"CREDENTIAL",-22} {"TARGET",-28} DETAIL");
                foreach (var a in body.EnumerateArray())
                {
                    Console.WriteLine($"{Text(a, "at"),-28} {Text(a, "site"),-14} {Text(a, "action"),-14} {Text(a, "actor"),-14} {Text(a, "credential"),-22} {Text(a, "target"),-28} {Text(a, "detail")}");
                }
            }, ct);
        });
        return command;
    }

    public static Command Consortium()
    {
        var technique = new Option<string>("--technique") { Description = "mri, eis, cycler or nmr.", Required = true };
        var quantity = new Option<string?>("--quantity") { Description = "One quantity only (e.g. v_max_abs)." };
        var command = new Command("consortium", "One technique's latest results at every site this credential may read, site as a column.") { technique, quantity, CliSettings.Api };
        command.SetAction((parse, ct) =>
        {
            string query = $"?technique={Uri.EscapeDataString(parse.GetValue(technique)!)}" + (parse.GetValue(quantity) is { } q ? $"&quantity={Uri.EscapeDataString(q)}" : "");
            return SendAsync(parse, HttpMethod.Get, "api/consortium/results" + query, null, body =>
            {
                Console.WriteLine($"{"SITE",-14} {"EXPERIMENT",-24} {"CELL",-12} {"QUANTITY",-28} {"VALUE",14} {"UNIT",-8} VERSION");
                foreach (var r in body.EnumerateArray())
                {
                    string value = r.TryGetProperty("value", out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble().ToString("G6", CultureInfo.InvariantCulture) : Text(r, "text");
                    Console.WriteLine($"{Text(r, "site"),-14} {Text(r, "experiment"),-24} {Text(r, "cellId"),-12} {Text(r, "quantity"),-28} {value,14} {Text(r, "unit"),-8} {Text(r, "algorithm")}@{Text(r, "version")}");
                }
            }, ct);
        });
        return command;
    }

    /// <summary>Sends one request; prints the answer with <paramref name="print"/>, or the API's reason for refusing it. Exit 0, 1 (refused or not found) or 3 (no answer).</summary>
    private static async Task<int> SendAsync(ParseResult parse, HttpMethod method, string path, string? json, Action<JsonElement> print, CancellationToken ct)
    {
        using var http = ApiClient.Create(parse.GetValue(CliSettings.Api)!, CliSettings.Credential(parse));
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        try
        {
            using var response = await http.SendAsync(request, ct);
            if (!response.IsSuccessStatusCode)
            {
                Console.Error.WriteLine("error: " + await ApiClient.ProblemAsync(response, ct));
                return 1;
            }
            print(JsonSerializer.Deserialize(await response.Content.ReadAsStringAsync(ct), CliJsonContext.Default.JsonElement));
            return 0;
        }
        catch (HttpRequestException ex)
        {
            Console.Error.WriteLine(ApiClient.Describe(http, ex));
            return 3;
        }
    }

    /// <summary>A JSON object of the given string fields (nulls left out; a number-looking value of expiresInDays as a number).</summary>
    private static string Json(params (string Name, string? Value)[] fields)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in fields.Where(f => f.Value is not null))
            {
                if (name == "expiresInDays")
                {
                    writer.WriteNumber(name, int.Parse(value!, CultureInfo.InvariantCulture));
                }
                else
                {
                    writer.WriteString(name, value);
                }
            }
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
