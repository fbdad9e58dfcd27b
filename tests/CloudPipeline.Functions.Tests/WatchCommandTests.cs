using System.Text;
using Azure.Storage.Blobs;
using CloudPipeline.Testing;
using Xunit;

namespace CloudPipeline.Functions.Tests;

/// <summary>The drop-folder watcher as an instrument PC runs it: the real CLI process against Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class WatchCommandTests
{
    private readonly AzuriteFixture _azurite;

    public WatchCommandTests(AzuriteFixture azurite) => _azurite = azurite;

    [Fact]
    public async Task Watch_waits_until_a_file_is_stable_and_never_reuploads_after_a_restart()
    {
        var folder = Directory.CreateTempSubdirectory("cp-drop-");
        string experiment = "watch-" + Guid.NewGuid().ToString("N")[..8];
        var raw = new BlobServiceClient(_azurite.ConnectionString).GetBlobContainerClient("raw");
        var blob = raw.GetBlobClient($"lab/{experiment}/POL.txt");
        var output = new StringBuilder();
        try
        {
            using (var watcher = Processes.StartCli(_azurite.ConnectionString, output, "watch", folder.FullName, "--site", "lab", "--experiment", experiment,
                       "--stable-seconds", "2", "--poll-seconds", "0.25"))
            {
                var started = DateTimeOffset.UtcNow.AddSeconds(30);
                while (!Contains(output, "Watching "))
                {
                    Assert.True(DateTimeOffset.UtcNow < started, $"the watcher never said it was watching\n{output}");
                    await Task.Delay(50);
                }
                // The instrument writes the record in pieces, 0.5 s apart, for 4 s: never still for 2 s.
                string path = Path.Combine(folder.FullName, "POL.txt");
                for (int i = 0; i < 8; i++)
                {
                    await File.AppendAllTextAsync(path, $"2.{i:D5}\t0.16\t0.1\r\n");
                    await Task.Delay(500);
                    Assert.False((await blob.ExistsAsync()).Value, $"uploaded while still being written (after piece {i + 1})\n{output}");
                }
                var deadline = DateTimeOffset.UtcNow.AddSeconds(20);
                while (!(await blob.ExistsAsync()).Value)
                {
                    Assert.True(DateTimeOffset.UtcNow < deadline, $"never uploaded\n{output}");
                    await Task.Delay(200);
                }
                Assert.Equal(File.ReadAllBytes(path), (await blob.DownloadContentAsync()).Value.Content.ToArray());
                // Stop it once it has recorded the upload. (Killed earlier, the restart finds identical content
                // in the blob and skips it as "unchanged": still no second upload.)
                string state = Path.Combine(folder.FullName, ".cloudpipeline-watch.json");
                while (!File.Exists(state) || !(await File.ReadAllTextAsync(state)).Contains("POL.txt", StringComparison.Ordinal))
                {
                    Assert.True(DateTimeOffset.UtcNow < deadline, $"the upload was never recorded\n{output}");
                    await Task.Delay(100);
                }
                watcher.Kill(entireProcessTree: true);
                await watcher.WaitForExitAsync();
            }
            var etag = (await blob.GetPropertiesAsync()).Value.ETag;

            // Restarted (e.g. after a reboot): nothing is uploaded again.
            var (code, restartOutput) = await Processes.CliAsync(_azurite.ConnectionString, null, "watch", folder.FullName, "--site", "lab", "--experiment", experiment,
                "--stable-seconds", "1", "--poll-seconds", "0.25", "--once");
            Assert.Equal(0, code);
            Assert.DoesNotContain("uploaded POL.txt", restartOutput, StringComparison.Ordinal);
            Assert.DoesNotContain("unchanged POL.txt", restartOutput, StringComparison.Ordinal); // not even looked at again
            Assert.Equal(etag, (await blob.GetPropertiesAsync()).Value.ETag);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static bool Contains(StringBuilder output, string text)
    {
        lock (output)
        {
            return output.ToString().Contains(text, StringComparison.Ordinal);
        }
    }
}
