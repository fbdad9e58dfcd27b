using CloudPipeline.Contracts;
using System.Text.Json;
using CloudPipeline.Pipeline.Storage;
using CloudPipeline.Testing;
using Xunit;

namespace CloudPipeline.Infrastructure.Tests;

/// <summary>
/// The template (compiled ARM JSON) against what the code uses: the storage layout (StorageLayout), the Functions
/// app's triggers and connections (its build's functions.metadata) and the pipeline's own settings. Removing a
/// container, queue, table, setting or role from the template fails one of these.
/// </summary>
public sealed class TemplateAgreesWithCodeTests
{
    private const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string StorageQueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    private const string StorageTableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";

    private static readonly JsonElement[] Functions =
        JsonSerializer.Deserialize<JsonElement[]>(File.ReadAllText(Path.Combine(Processes.FunctionsAppFolder, "functions.metadata")))!;

    private static IEnumerable<(string Function, JsonElement Binding)> Bindings() =>
        Functions.SelectMany(f => f.GetProperty("bindings").EnumerateArray().Select(b => (f.GetProperty("name").GetString()!, b)));

    private static IEnumerable<(string Function, JsonElement Binding)> OfType(string type) =>
        Bindings().Where(b => b.Binding.GetProperty("type").GetString() == type);

    private static string? Text(JsonElement binding, string property) =>
        binding.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static Dictionary<string, string> AppSettings()
    {
        var site = ArmTemplate.Main.GetModule("functionapp").Resources("Microsoft.Web/sites").Single();
        return site.GetProperty("properties").GetProperty("siteConfig").GetProperty("appSettings").EnumerateArray()
            .ToDictionary(s => s.GetProperty("name").GetString()!, s => s.GetProperty("value").GetString()!);
    }

    [Fact]
    public void Every_container_queue_and_table_the_code_uses_is_in_the_template()
    {
        var storage = ArmTemplate.Main.GetModule("storage");
        var containers = storage.LoopedNames("Microsoft.Storage/storageAccounts/blobServices/containers");
        var queues = storage.LoopedNames("Microsoft.Storage/storageAccounts/queueServices/queues");
        var tables = storage.LoopedNames("Microsoft.Storage/storageAccounts/tableServices/tables");

        Assert.All(StorageLayout.Containers, c => Assert.Contains(c, containers));
        Assert.All(StorageLayout.Queues, q => Assert.Contains(q, queues));
        Assert.All(StorageLayout.Tables, t => Assert.Contains(t, tables));
        // What the triggers watch, read from the built app rather than the constants.
        Assert.All(OfType("blobTrigger"), b => Assert.Contains(Text(b.Binding, "path")!.Split('/')[0], containers));
        Assert.All(OfType("queueTrigger"), b => Assert.Contains(Text(b.Binding, "queueName")!, queues));
    }

    [Fact]
    public void Every_connection_of_a_trigger_is_identity_based_with_the_apps_identity_and_no_connection_string()
    {
        var settings = AppSettings();
        var connections = Bindings().Select(b => Text(b.Binding, "connection")).OfType<string>().Append("AzureWebJobsStorage").Distinct().ToList();
        foreach (var connection in connections)
        {
            Assert.True(settings.ContainsKey($"{connection}__accountName"), $"{connection}__accountName is not set");
            Assert.Equal("managedidentity", settings[$"{connection}__credential"]);
            Assert.Contains("identity", settings[$"{connection}__clientId"], StringComparison.Ordinal); // the identity module's output
            Assert.False(settings.ContainsKey(connection), $"{connection} is set: that is a connection string");
        }
        // The pipeline's own clients (PipelineOptions.Storage): the same account and identity.
        Assert.Equal(settings["AzureWebJobsStorage__accountName"], settings["CloudPipeline__Storage__AccountName"]);
        Assert.Equal(settings["AzureWebJobsStorage__clientId"], settings["CloudPipeline__Storage__ClientId"]);
        Assert.DoesNotContain(settings.Keys, k => k.Contains("ConnectionString", StringComparison.OrdinalIgnoreCase) && k.StartsWith("CloudPipeline", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_setting_a_trigger_refers_to_is_set()
    {
        var settings = AppSettings();
        var referenced = Bindings().SelectMany(b => b.Binding.EnumerateObject())
            .Where(p => p.Value.ValueKind == JsonValueKind.String)
            .Select(p => p.Value.GetString()!)
            .Where(v => v.Length > 2 && v[0] == '%' && v[^1] == '%')
            .Select(v => v.Trim('%'))
            .Distinct()
            .ToList();
        Assert.NotEmpty(referenced); // the change detector's schedule
        Assert.All(referenced, name => Assert.True(settings.ContainsKey(name), $"the app refers to %{name}% but the template does not set it"));
    }

    [Fact]
    public void The_apps_identity_holds_the_storage_roles_its_triggers_and_clients_need_on_the_account()
    {
        var identity = ArmTemplate.Main.GetModule("identity");
        var roles = identity.LoopedNames("Microsoft.Authorization/roleAssignments");
        Assert.Contains(StorageBlobDataOwner, roles); // blob trigger receipts and leases, Durable Task leases, the pipeline's containers
        Assert.Contains(StorageQueueDataContributor, roles); // queue trigger, Durable Task queues
        Assert.Contains(StorageTableDataContributor, roles); // catalog, Durable Task history
        var assignment = identity.Resources("Microsoft.Authorization/roleAssignments").Single(r => r.TryGetProperty("copy", out _));
        Assert.Contains("Microsoft.Storage/storageAccounts", assignment.GetProperty("scope").GetString(), StringComparison.Ordinal);
        Assert.Contains("userAssignedIdentities", assignment.GetProperty("properties").GetProperty("principalId").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_event_grid_subscription_delivers_blob_created_under_the_blob_triggers_container_to_that_function()
    {
        var (function, trigger) = Assert.Single(OfType("blobTrigger"));
        Assert.Equal("EventGrid", Text(trigger, "source"));
        string container = Text(trigger, "path")!.Split('/')[0];

        var events = ArmTemplate.Main.GetModule("eventgrid");
        Assert.Equal(container, events.LiteralParameter("rawContainer"));
        Assert.Equal(function, events.LiteralParameter("functionName"));
        var subscription = events.Resources("Microsoft.EventGrid/systemTopics/eventSubscriptions").Single().GetProperty("properties");
        var filter = subscription.GetProperty("filter");
        Assert.Equal("[format('/blobServices/default/containers/{0}/', parameters('rawContainer'))]", filter.GetProperty("subjectBeginsWith").GetString());
        Assert.Equal(["Microsoft.Storage.BlobCreated"], filter.GetProperty("includedEventTypes").EnumerateArray().Select(e => e.GetString()!));
        string endpoint = subscription.GetProperty("destination").GetProperty("properties").GetProperty("endpointUrl").GetString()!;
        Assert.Contains("/runtime/webhooks/blobs?functionName=Host.Functions.{", endpoint, StringComparison.Ordinal);
        Assert.Contains("parameters('functionName')", endpoint, StringComparison.Ordinal);
        Assert.True(subscription.TryGetProperty("deadLetterWithResourceIdentity", out _), "no dead-letter destination");
    }

    [Fact]
    public void The_app_runs_the_isolated_worker_on_dotnet_10_on_flex_consumption()
    {
        var app = ArmTemplate.Main.GetModule("functionapp");
        Assert.Equal("FlexConsumption", app.Resources("Microsoft.Web/serverfarms").Single().GetProperty("sku").GetProperty("tier").GetString());
        var config = app.Resources("Microsoft.Web/sites").Single().GetProperty("properties").GetProperty("functionAppConfig");
        Assert.Equal("dotnet-isolated", config.GetProperty("runtime").GetProperty("name").GetString());
        Assert.Equal("10.0", config.GetProperty("runtime").GetProperty("version").GetString());
        Assert.Equal("UserAssignedIdentity", config.GetProperty("deployment").GetProperty("storage").GetProperty("authentication").GetProperty("type").GetString());
    }

    [Fact]
    public void Raw_uploads_are_versioned_and_soft_deleted_and_the_account_refuses_shared_keys()
    {
        var storage = ArmTemplate.Main.GetModule("storage");
        var account = storage.Resources("Microsoft.Storage/storageAccounts").Single().GetProperty("properties");
        Assert.False(account.GetProperty("allowSharedKeyAccess").GetBoolean());
        Assert.False(account.GetProperty("allowBlobPublicAccess").GetBoolean());
        var blobs = storage.Resources("Microsoft.Storage/storageAccounts/blobServices").Single().GetProperty("properties");
        Assert.True(blobs.GetProperty("isVersioningEnabled").GetBoolean());
        Assert.True(blobs.GetProperty("deleteRetentionPolicy").GetProperty("enabled").GetBoolean());
    }
}
