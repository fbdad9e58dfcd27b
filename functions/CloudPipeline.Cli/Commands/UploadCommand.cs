using System.CommandLine;

namespace CloudPipeline.Cli.Commands;

/// <summary><c>cloudpipeline upload</c>.</summary>
internal static class UploadCommand
{
    public static Command Create()
    {
        var paths = new Argument<FileSystemInfo[]>("paths") { Description = "Files or folders to upload (folders recursively, keeping relative paths).", Arity = ArgumentArity.OneOrMore };
        var site = CliSettings.Site(required: true);
        var experiment = CliSettings.Experiment(required: true);
        var manifest = new Option<FileInfo>("--manifest") { Description = "An experiment manifest of any name; it is uploaded first, as experiment.json." };
        var command = new Command("upload", "Upload instrument files to raw/{site}/{experiment}/ and start their ingestion; identical content is skipped.")
        {
            paths, site, experiment, manifest, CliSettings.Connection, CliSettings.Api,
        };
        command.SetAction(async (parse, ct) =>
        {
            var files = Uploader.Collect(parse.GetValue(paths)!, parse.GetValue(manifest));
            var missing = parse.GetValue(paths)!.Concat(parse.GetValue(manifest) is { } m ? [m] : Array.Empty<FileSystemInfo>()).Where(p => !p.Exists).ToList();
            if (missing.Count > 0)
            {
                Console.Error.WriteLine($"error: not found: {string.Join(", ", missing.Select(m => m.FullName))}");
                return 2;
            }
            var uploader = Uploader.For(parse);
            int uploaded = 0, skipped = 0, done = 0;
            string prefix = $"{parse.GetValue(site)}/{parse.GetValue(experiment)}/";
            try
            {
                await uploader.EnsureAsync(ct);
                // The manifest is sorted first; upload it before anything else can trigger an analysis.
                var first = files.TakeWhile(f => f.Relative == Uploader.ManifestName).ToList();
                foreach (var group in new[] { first, files.Skip(first.Count).ToList() })
                {
                    await Parallel.ForEachAsync(group, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (file, token) =>
                    {
                        bool isNew = await uploader.UploadAsync(file.File, new RawBlob(parse.GetValue(site)!, parse.GetValue(experiment)!, file.Relative), token);
                        Interlocked.Increment(ref isNew ? ref uploaded : ref skipped);
                        Progress.Draw(Interlocked.Increment(ref done), files.Count, file.Relative);
                    });
                }
            }
            catch (Exception ex) when (StorageErrors.IsStorageFailure(ex))
            {
                Progress.Finish();
                return StorageErrors.Report(uploader.Endpoint, ex);
            }
            Progress.Finish();
            Console.WriteLine($"{uploaded} uploaded, {skipped} unchanged (skipped) to raw/{prefix}");
            return 0;
        });
        return command;
    }
}

/// <summary>A one-line progress bar on the console (plain lines when output is redirected).</summary>
internal static class Progress
{
    private static readonly object Gate = new();

    public static void Draw(int done, int total, string current)
    {
        lock (Gate)
        {
            if (Console.IsOutputRedirected)
            {
                if (done == total || done % 25 == 0)
                {
                    Console.WriteLine($"{done}/{total} {current}");
                }
                return;
            }
            int width = 30;
            int filled = total == 0 ? width : done * width / total;
            string name = current.Length > 40 ? "…" + current[^39..] : current;
            Console.Write($"\r[{new string('#', filled)}{new string('.', width - filled)}] {done}/{total} {name,-40}");
        }
    }

    public static void Finish()
    {
        if (!Console.IsOutputRedirected)
        {
            Console.WriteLine();
        }
    }
}
