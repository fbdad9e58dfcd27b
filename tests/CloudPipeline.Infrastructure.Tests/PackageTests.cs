using System.Diagnostics;
using System.Text.Json;
using CloudPipeline.Testing;
using Xunit;

namespace CloudPipeline.Infrastructure.Tests;

/// <summary>The package the deploy workflow publishes: built by infra/azure/publish.sh, as the workflow builds it.</summary>
public sealed class PackageTests
{
    private static string Repository => SharedData.RepositoryRoot;

    [Fact]
    public async Task The_published_app_has_the_function_index_the_worker_and_the_extensions_payload()
    {
        var output = Directory.CreateTempSubdirectory("cp-publish-");
        try
        {
            var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(Path.Combine(Repository, "infra", "azure", "publish.sh"));
            start.ArgumentList.Add(output.FullName);
            start.ArgumentList.Add("--folder-only");
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
            Assert.True(process.ExitCode == 0, await stdout + await stderr);

            string app = Path.Combine(output.FullName, "app");
            // The function index: the same functions as the build the other tests check.
            var published = Names(Path.Combine(app, "functions.metadata"));
            Assert.Equal(Names(Path.Combine(Processes.FunctionsAppFolder, "functions.metadata")), published);
            Assert.Contains("IngestBlob", published);
            // The worker and how the host starts it.
            Assert.True(File.Exists(Path.Combine(app, "CloudPipeline.Functions.dll")));
            using var worker = JsonDocument.Parse(File.ReadAllText(Path.Combine(app, "worker.config.json")));
            Assert.Equal("CloudPipeline.Functions.dll", worker.RootElement.GetProperty("description").GetProperty("defaultWorkerPath").GetString());
            // The extensions payload the host loads for the triggers: Durable Task, blobs, queues.
            foreach (string extension in new[] { "Microsoft.Azure.WebJobs.Extensions.DurableTask.dll", "Microsoft.Azure.WebJobs.Extensions.Storage.Blobs.dll", "Microsoft.Azure.WebJobs.Extensions.Storage.Queues.dll" })
            {
                Assert.True(File.Exists(Path.Combine(app, ".azurefunctions", extension)), $"{extension} is not in the package");
            }
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    [Fact]
    public void The_deploy_workflow_publishes_the_package_of_that_script()
    {
        string workflow = File.ReadAllText(Path.Combine(Repository, ".github", "workflows", "deploy.yml"));
        Assert.Contains("run: infra/azure/publish.sh out", workflow, StringComparison.Ordinal);
        Assert.Contains("--src out/cloudpipeline-functions.zip", workflow, StringComparison.Ordinal);
        Assert.DoesNotContain("dotnet publish", workflow, StringComparison.Ordinal); // one way to build the package
        Assert.Contains("id-token: write", workflow, StringComparison.Ordinal); // OIDC, no stored secret
        Assert.DoesNotContain("secrets.", workflow, StringComparison.Ordinal);
    }

    private static List<string> Names(string metadata) =>
        JsonSerializer.Deserialize<JsonElement[]>(File.ReadAllText(metadata))!.Select(f => f.GetProperty("name").GetString()!).Order(StringComparer.Ordinal).ToList();
}
