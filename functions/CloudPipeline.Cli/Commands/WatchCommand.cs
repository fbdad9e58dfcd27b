using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CloudPipeline.Cli.Commands;

/// <summary>
/// <c>cloudpipeline watch</c>: for an instrument PC's drop folder. A file is uploaded only once it is stable
/// (size and modification time unchanged for the stability interval), and a state file in the folder
/// (<c>.cloudpipeline-watch.json</c>) remembers what was uploaded, so a restart never uploads it again.
/// </summary>
internal static class WatchCommand
{
    private const string StateFileName = ".cloudpipeline-watch.json";

    public static Command Create()
    {
        var folder = new Argument<DirectoryInfo>("folder") { Description = "The drop folder to watch." };
        var site = CliSettings.Site(required: true);
        var experiment = CliSettings.Experiment(required: true);
        var stable = new Option<double>("--stable-seconds") { Description = "How long size and modification time must stay unchanged before upload (default 5).", DefaultValueFactory = _ => 5 };
        var poll = new Option<double>("--poll-seconds") { Description = "How often to look (default 1).", DefaultValueFactory = _ => 1 };
        var once = new Option<bool>("--once") { Description = "Scan until nothing is pending, then exit (for scripts)." };
        var command = new Command("watch", "Watch a drop folder and upload each file once it is stable; never re-upload after a restart.")
        {
            folder, site, experiment, stable, poll, once, CliSettings.Connection, CliSettings.Api,
        };
        command.SetAction(async (parse, ct) =>
        {
            var dir = parse.GetValue(folder)!;
            if (!dir.Exists)
            {
                Console.Error.WriteLine($"error: {dir.FullName} does not exist.");
                return 2;
            }
            var uploader = Uploader.For(parse);
            try
            {
                await uploader.EnsureAsync(ct);
            }
            catch (Exception ex) when (StorageErrors.IsStorageFailure(ex))
            {
                return StorageErrors.Report(uploader.Endpoint, ex);
            }
            var watcher = new DropFolderWatcher(dir, TimeSpan.FromSeconds(parse.GetValue(stable)), TimeProvider.System);
            string prefix = $"{parse.GetValue(site)}/{parse.GetValue(experiment)}/";
            Console.WriteLine($"Watching {dir.FullName} → raw/{prefix} (stable after {parse.GetValue(stable)} s). Ctrl+C to stop.");
            while (!ct.IsCancellationRequested)
            {
                try
                {
                    foreach (var (file, relative) in watcher.StableNewFiles())
                    {
                        bool uploaded = await uploader.UploadAsync(file, new RawBlob(parse.GetValue(site)!, parse.GetValue(experiment)!, relative), ct);
                        watcher.MarkUploaded(file, relative);
                        Console.WriteLine($"{DateTimeOffset.Now:HH:mm:ss} {(uploaded ? "uploaded" : "unchanged")} {relative}");
                    }
                }
                catch (Exception ex) when (StorageErrors.IsStorageFailure(ex) && !parse.GetValue(once))
                {
                    // Storage went away while watching: say so once per poll and try again; nothing is marked uploaded.
                    Console.Error.WriteLine($"{DateTimeOffset.Now:HH:mm:ss} storage unavailable ({ex.Message.Split('\n')[0].Trim()}); retrying.");
                }
                if (parse.GetValue(once) && watcher.PendingCount == 0)
                {
                    return 0;
                }
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(parse.GetValue(poll)), ct);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
            return 0;
        });
        return command;
    }

    /// <summary>Decides which files are stable and not yet uploaded; persists what was uploaded.</summary>
    internal sealed class DropFolderWatcher
    {
        private readonly DirectoryInfo _folder;
        private readonly TimeSpan _stable;
        private readonly TimeProvider _time;
        private readonly Dictionary<string, (long Size, DateTime Modified, DateTimeOffset Since)> _observed = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Uploaded> _uploaded;

        public DropFolderWatcher(DirectoryInfo folder, TimeSpan stable, TimeProvider time)
        {
            _folder = folder;
            _stable = stable;
            _time = time;
            string state = Path.Combine(folder.FullName, StateFileName);
            _uploaded = File.Exists(state) ? JsonSerializer.Deserialize(File.ReadAllText(state), WatchStateJsonContext.Default.DictionaryStringUploaded) ?? new() : new();
        }

        public int PendingCount { get; private set; }

        public IReadOnlyList<(FileInfo File, string Relative)> StableNewFiles()
        {
            var now = _time.GetUtcNow();
            var ready = new List<(FileInfo, string)>();
            int pending = 0;
            foreach (var file in _folder.EnumerateFiles("*", SearchOption.AllDirectories))
            {
                if (file.Name.StartsWith('.'))
                {
                    continue;
                }
                string relative = Path.GetRelativePath(_folder.FullName, file.FullName).Replace('\\', '/');
                file.Refresh();
                if (_uploaded.TryGetValue(relative, out var done) && done.Size == file.Length && done.Modified == file.LastWriteTimeUtc)
                {
                    continue;
                }
                pending++;
                if (!_observed.TryGetValue(relative, out var seen) || seen.Size != file.Length || seen.Modified != file.LastWriteTimeUtc)
                {
                    _observed[relative] = (file.Length, file.LastWriteTimeUtc, now);
                    continue;
                }
                if (now - seen.Since >= _stable)
                {
                    ready.Add((file, relative));
                }
            }
            PendingCount = pending;
            return ready;
        }

        public void MarkUploaded(FileInfo file, string relative)
        {
            _uploaded[relative] = new Uploaded(file.Length, file.LastWriteTimeUtc);
            _observed.Remove(relative);
            PendingCount = Math.Max(0, PendingCount - 1);
            string state = Path.Combine(_folder.FullName, StateFileName);
            string temp = state + ".tmp";
            File.WriteAllText(temp, JsonSerializer.Serialize(_uploaded, WatchStateJsonContext.Default.DictionaryStringUploaded));
            File.Move(temp, state, overwrite: true); // atomic replace: a crash never leaves a half-written state
        }

        internal sealed record Uploaded(long Size, DateTime Modified);
    }
}

/// <summary>Compile-time JSON metadata of the watcher's state file (<c>{"relative/path":{"Size":…,"Modified":…}}</c>).</summary>
[JsonSerializable(typeof(Dictionary<string, WatchCommand.DropFolderWatcher.Uploaded>))]
internal sealed partial class WatchStateJsonContext : JsonSerializerContext;
