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
        var command = new Command("upload", "Upload instrument files to raw/{site}/{experiment}/ and start their ingestion; identical content is skipped.")
        {
            paths, site, experiment, CliSettings.Connection,
        };
        command.SetAction(async (parse, ct) =>
        {
            var files = Uploader.Collect(parse.GetValue(paths)!);
            var missing = parse.GetValue(paths)!.Where(p => !p.Exists).ToList();
            if (missing.Count > 0)
            {
                Console.Error.WriteLine($"error: not found: {string.Join(", ", missing.Select(m => m.FullName))}");
                return 2;
            }
            var uploader = new Uploader(parse.GetValue(CliSettings.Connection)!);
            await uploader.EnsureAsync(ct);
            int uploaded = 0, skipped = 0, done = 0;
            string prefix = $"{parse.GetValue(site)}/{parse.GetValue(experiment)}/";
            await Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (file, token) =>
            {
                // The manifest is sorted first; upload it before anything else can trigger an analysis.
                bool isNew = await uploader.UploadAsync(file.File, prefix + file.Relative, token);
                Interlocked.Increment(ref isNew ? ref uploaded : ref skipped);
                int n = Interlocked.Increment(ref done);
                Progress.Draw(n, files.Count, file.Relative);
            });
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
