using System.Diagnostics;
using System.Net;
using System.Text;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using CloudPipeline.Pipeline.Storage;
using CloudPipeline.Testing;
using Xunit;
using static CloudPipeline.Functions.Tests.PipelineEndToEndTests;

namespace CloudPipeline.Functions.Tests;

/// <summary>Crashes, poison messages and unreachable services, through the real host and CLI processes.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class FaultTests
{
    private readonly AzuriteFixture _azurite;

    public FaultTests(AzuriteFixture azurite) => _azurite = azurite;

    [Fact]
    public async Task A_host_killed_with_sigkill_mid_analysis_is_replaced_and_the_experiment_completes_with_one_result_set()
    {
        string taskHub = HostProcess.NewTaskHub();
        string experiment = "kill-" + Guid.NewGuid().ToString("N")[..8];
        var folder = Directory.CreateTempSubdirectory("cp-kill-");
        try
        {
            Assert.Equal(0, (await Processes.CliAsync(_azurite.ConnectionString, null, "simulate", "--out", folder.FullName, "--profiles", "40")).ExitCode);
            var first = await HostProcess.StartAsync(_azurite.ConnectionString, changeDetector: false, taskHub: taskHub);
            var (code, output) = await Processes.CliAsync(_azurite.ConnectionString, first.Api, "upload", Path.Combine(folder.FullName, "sim-0001"), "--site", "lab", "--experiment", experiment);
            Assert.True(code == 0, output);
            // Kill as soon as the work is in flight: some datasets are processing, the experiment is not done.
            await WaitForAsync(() => GetAsync(first, $"api/datasets?site=lab&experiment={experiment}"),
                rows => rows.Any(r => r.GetProperty("status").GetString() == "Completed"), TimeSpan.FromSeconds(60), "the first dataset to complete");
            await first.KillAsync();
            await first.DisposeAsync();

            await using var second = await HostProcess.StartAsync(_azurite.ConnectionString, changeDetector: false, taskHub: taskHub);
            var row = await WaitForExperimentAsync(second, "lab", experiment, TimeSpan.FromMinutes(3));
            Assert.Equal("Completed", row.GetProperty("status").GetString());
            var datasets = await WaitForDatasetsAsync(second, "lab", experiment, 42, TimeSpan.FromMinutes(2));
            Assert.All(datasets, d => Assert.Equal("Completed", d.GetProperty("status").GetString()));
            var results = await GetAsync(second, $"api/results?site=lab&experiment={experiment}");
            Assert.Single(results, r => r.GetProperty("quantity").GetString() == "vMaxAbs" && r.GetProperty("version").GetString() == "1.0.0");
            Assert.Equal(40, Assert.Single(results, r => r.GetProperty("quantity").GetString() == "profilesUsed" && r.GetProperty("version").GetString() == "1.0.0").GetProperty("value").GetDouble());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_malformed_event_goes_to_the_poison_queue_with_its_error_and_the_host_goes_on()
    {
        await using var host = await HostProcess.StartAsync(_azurite.ConnectionString, changeDetector: false);
        var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        var events = new QueueClient(_azurite.ConnectionString, "blob-events", options);
        var poison = new QueueClient(_azurite.ConnectionString, "blob-events-poison", options);
        string marker = "not-an-event-" + Guid.NewGuid().ToString("N")[..8];
        await events.SendMessageAsync("{\"hello\": \"" + marker + "\"}");

        var found = await WaitForAsync(async () => (await poison.PeekMessagesAsync(32)).Value.Select(m => m.Body.ToString()).FirstOrDefault(b => b.Contains(marker, StringComparison.Ordinal)),
            body => body is not null, TimeSpan.FromSeconds(30), "the malformed event in blob-events-poison");
        Assert.Contains("not an Event Grid event", found, StringComparison.Ordinal);

        // The host still ingests good uploads.
        Assert.False(host.HasExited);
        string experiment = "after-poison-" + Guid.NewGuid().ToString("N")[..6];
        var folder = Directory.CreateTempSubdirectory("cp-poison-");
        try
        {
            await Processes.CliAsync(_azurite.ConnectionString, null, "simulate", "--out", folder.FullName, "--profiles", "5");
            await Processes.CliAsync(_azurite.ConnectionString, host.Api, "upload", Path.Combine(folder.FullName, "sim-0001"), "--site", "lab", "--experiment", experiment);
            Assert.Equal("Completed", (await WaitForExperimentAsync(host, "lab", experiment, TimeSpan.FromMinutes(2))).GetProperty("status").GetString());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_transient_storage_fault_in_an_activity_is_retried_with_backoff_and_the_dataset_completes()
    {
        // The host reaches blobs through a proxy that answers the validation's reads of one upload with 503: the
        // ingestion's read passes, then 8 reads fail. The pipeline's storage clients retry each call 3 times (4 reads),
        // so the activity fails twice and Durable Task's retry policy runs it again after 2 s, then 4 s.
        await using var proxy = await BlobFaultProxy.StartAsync(_azurite.Azurite.BlobEndpoint);
        string taskHub = HostProcess.NewTaskHub();
        string experiment = "busy-" + Guid.NewGuid().ToString("N")[..8];
        string name = $"lab/{experiment}/MRI(005).txt";
        proxy.FailReads("raw/" + name, passFirst: 1, failNext: 2 * (PipelineStorage.SdkRetries + 1));
        await using var host = await HostProcess.StartAsync(proxy.Rewrite(_azurite.ConnectionString), changeDetector: false, taskHub: taskHub);

        await UploadWithEventAsync(_azurite.ConnectionString, name, SmallProfile("BUSY"));

        var dataset = (await WaitForDatasetsAsync(host, "lab", experiment, 1, TimeSpan.FromMinutes(2))).Single();
        Assert.Equal("Completed", dataset.GetProperty("status").GetString());
        var reads = proxy.Reads;
        Assert.Equal(2 * (PipelineStorage.SdkRetries + 1), reads.Count(r => r.Status == HttpStatusCode.ServiceUnavailable));
        Assert.Equal(2, reads.Count(r => r.Status == 0)); // the ingestion's read and the successful validation

        // The orchestration's history shows each failure followed by a retry timer: 2 s, then 4 s. The activity marks
        // the dataset Completed before the orchestrator has recorded its TaskCompleted, so wait for the instance.
        string instanceId = dataset.GetProperty("instanceId").GetString()!;
        await WaitForInstanceAsync(_azurite.ConnectionString, taskHub, instanceId, "Completed");
        var history = await new TableClient(_azurite.ConnectionString, taskHub + "History")
            .QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {instanceId}")).ToListAsync();
        // Rows in sequence order; a retry timer is due its delay after the orchestrator's current time (the
        // OrchestratorStarted event of the episode that created it).
        var events = history.Where(e => e.GetString("EventType") is not null).OrderBy(e => e.RowKey, StringComparer.Ordinal).ToList();
        Assert.Equal(2, events.Count(e => e.GetString("EventType") == "TaskFailed"));
        var delays = new List<double>();
        DateTimeOffset now = default;
        foreach (var e in events)
        {
            switch (e.GetString("EventType"))
            {
                case "OrchestratorStarted":
                    now = e.GetDateTimeOffset("_Timestamp")!.Value;
                    break;
                case "TimerCreated":
                    delays.Add((e.GetDateTimeOffset("FireAt")!.Value - now).TotalSeconds);
                    break;
            }
        }
        Assert.Equal(2, delays.Count);
        Assert.Equal(2.0, delays[0], 0.01);
        Assert.Equal(4.0, delays[1], 0.01);
        Assert.Single(events, e => e.GetString("EventType") == "TaskCompleted");
    }

    [Fact]
    public async Task An_activity_that_fails_permanently_is_not_retried_and_the_dataset_is_Failed_with_its_message()
    {
        // The validation reads other content than the ingestion saw (the file was overwritten in between): the
        // reader's error is permanent, so Durable Task does not retry it and the dataset carries the message.
        await using var proxy = await BlobFaultProxy.StartAsync(_azurite.Azurite.BlobEndpoint);
        string taskHub = HostProcess.NewTaskHub();
        string experiment = "overwritten-" + Guid.NewGuid().ToString("N")[..8];
        string name = $"lab/{experiment}/MRI(005).txt";
        proxy.ReplaceReads("raw/" + name, passFirst: 1, "# Data set = CUT  5  1  test\n# LEFT = 190.0 ppm. RIGHT = -340.0 ppm.\n# SIZE = 4 ( = number of points)\n0\n10"u8.ToArray());
        await using var host = await HostProcess.StartAsync(proxy.Rewrite(_azurite.ConnectionString), changeDetector: false, taskHub: taskHub);

        await UploadWithEventAsync(_azurite.ConnectionString, name, SmallProfile("CUT"));

        var dataset = (await WaitForDatasetsAsync(host, "lab", experiment, 1, TimeSpan.FromMinutes(3))).Single();
        Assert.Equal("Failed", dataset.GetProperty("status").GetString());
        string reason = dataset.GetProperty("reason").GetString()!;
        Assert.Contains("MRI(005).txt", reason, StringComparison.Ordinal); // the reader's message names the file
        Assert.Contains("the file ends inside line 5", reason, StringComparison.Ordinal); // the cut file stops inside its second value
        Assert.Equal(2, proxy.Reads.Count); // the ingestion's read and one validation: no retry

        string instanceId = dataset.GetProperty("instanceId").GetString()!;
        await WaitForInstanceAsync(_azurite.ConnectionString, taskHub, instanceId, "Completed");
        var history = await new TableClient(_azurite.ConnectionString, taskHub + "History")
            .QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {instanceId}")).ToListAsync();
        Assert.Single(history, e => e.GetString("EventType") == "TaskFailed");
        Assert.DoesNotContain(history, e => e.GetString("EventType") == "TimerCreated");
    }

    [Fact]
    public async Task Upload_with_storage_unreachable_prints_one_line_with_a_hint_within_ten_seconds()
    {
        var folder = Directory.CreateTempSubdirectory("cp-offline-");
        try
        {
            File.WriteAllText(Path.Combine(folder.FullName, "POL.txt"), "1\n");
            int port = Processes.FreePort(); // nothing listens there
            string connection = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={CloudPipeline.Azurite.AzuriteProcess.DevelopmentAccountKey};" +
                $"BlobEndpoint=http://127.0.0.1:{port}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{port}/devstoreaccount1;";
            var watch = Stopwatch.StartNew();
            var (code, output) = await Processes.CliAsync(connection, null, "upload", folder.FullName, "--site", "lab", "--experiment", "offline");
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
            Assert.Equal(3, code);
            var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var error = Assert.Single(lines, l => l.StartsWith("error:", StringComparison.Ordinal));
            Assert.Contains($"127.0.0.1:{port}", error, StringComparison.Ordinal);
            Assert.Contains("dotnet run --project functions/CloudPipeline.LocalHost", error, StringComparison.Ordinal);
            Assert.DoesNotContain(lines, l => l.StartsWith("at ", StringComparison.Ordinal));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_transient_503_from_the_api_is_retried_by_the_cli()
    {
        // A real HTTP server on loopback: the first request to /api/experiments gets 503, the next the answer.
        int port = Processes.FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var requests = new List<int>();
        var server = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }
                bool experiments = context.Request.Url!.AbsolutePath == "/api/experiments";
                int status;
                lock (requests)
                {
                    status = experiments && !requests.Contains(503) ? 503 : 200;
                    requests.Add(status);
                }
                context.Response.StatusCode = status;
                byte[] body = Encoding.UTF8.GetBytes(status != 200 ? "busy"
                    : experiments ? """[{"site":"lab","experiment":"retried-cell","status":"Completed","detail":"ok"}]""" : "[]");
                context.Response.ContentType = "application/json";
                await context.Response.OutputStream.WriteAsync(body);
                context.Response.Close();
            }
        });

        var (code, output) = await Processes.CliAsync(_azurite.ConnectionString, new Uri($"http://127.0.0.1:{port}/"), "status", "--site", "lab");
        listener.Stop();
        await server;
        Assert.True(code == 0, output);
        Assert.Contains("retried-cell", output, StringComparison.Ordinal);
        lock (requests)
        {
            Assert.Equal([503, 200, 200], requests);
        }
    }
}
