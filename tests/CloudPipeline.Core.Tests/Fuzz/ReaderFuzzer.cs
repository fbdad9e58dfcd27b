using System.Diagnostics;
using System.Text;
using CloudPipeline.Core.Formats;
using CloudPipeline.Core.Formats.BioLogic;
using CloudPipeline.Core.Formats.Cycler;
using CloudPipeline.Core.Formats.Eis;
using CloudPipeline.Core.Formats.Electrochemistry;
using CloudPipeline.Core.Formats.Mri;
using CloudPipeline.Core.Formats.Nmr;
using CloudPipeline.Testing;

namespace CloudPipeline.Core.Tests.Fuzz;

/// <summary>One data row a reader gave: its line in the file when the reader says (−1 otherwise), and its numbers.</summary>
internal sealed record FuzzRow(int Line, double[] Values)
{
    /// <summary>Values that the row's own line holds (cycler: t, V, I), as opposed to context from other lines (a hierarchical export's cycle and step rows).</summary>
    public const int OwnValues = 3;

    public bool SameValues(FuzzRow other, int count = int.MaxValue) =>
        Values.AsSpan(0, Math.Min(count, Values.Length)).SequenceEqual(other.Values.AsSpan(0, Math.Min(count, other.Values.Length))); // bit-for-bit, NaN equal to NaN
}

/// <summary>A mutated copy of a real file and what the mutation left alone.</summary>
/// <param name="Mutation">What was done, for the report and the regression test's name.</param>
/// <param name="Content">The copy.</param>
/// <param name="ChangedLine">The first line (0-based) of the original that the mutation touched; rows on earlier lines must read as before. −1: the whole file changed.</param>
/// <param name="LineDelta">Lines the mutation added (+) or removed (−) at <see cref="ChangedLine"/>, for a mutation local to one line; null otherwise.</param>
/// <param name="PreservesValues">The mutation changes no value (line endings, a byte-order mark): every row must read exactly as before.</param>
internal sealed record FuzzCopy(string Mutation, byte[] Content, int ChangedLine, int? LineDelta = null, bool PreservesValues = false);

/// <summary>What went wrong with one copy.</summary>
internal sealed record FuzzFailure(string File, string Mutation, string Problem);

/// <summary>
/// The reader fuzz harness (issue 16): mutated copies of every real file in <c>../shared/data/real</c>, made with a fixed
/// seed, each read by the upload identification (<see cref="FormatRegistry"/>) and by the reader of the original's
/// technique. A copy must either read to the original's values on the rows the mutation did not touch, or fail with
/// an <see cref="InstrumentFileException"/> that names the file; any other exception, a read that does not end, or a
/// changed number on an untouched row is a failure.
/// </summary>
internal sealed class ReaderFuzzer
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly List<Original> _originals;

    private ReaderFuzzer(List<Original> originals) => _originals = originals;

    /// <summary>Every real file with its reader and rows.</summary>
    public static ReaderFuzzer FromRealFiles()
    {
        string root = SharedData.RealDataDirectory ?? throw new InvalidOperationException("../shared/data/real is missing");
        var originals = new List<Original>();
        foreach (string path in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Where(p => !p.EndsWith("SOURCES.md", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            byte[] content = File.ReadAllBytes(path);
            string name = Path.GetFileName(path);
            Func<byte[], string, List<FuzzRow>>? reader = null;
            try
            {
                reader = ReaderOf(FormatRegistry.Default.Identify(name, content));
            }
            catch (InstrumentFileException)
            {
                // Not a format with its own reader here (or a part of a folder): the copies are still identified.
            }
            originals.Add(new Original(Path.GetRelativePath(root, path), name, content, reader, reader?.Invoke(content, name)));
        }
        // A part of an NMR vendor folder is also read as the folder it belongs to, with the copy in its place (no row
        // values are compared: the parameters of one part decide how another is read).
        for (int i = 0; i < originals.Count; i++)
        {
            var o = originals[i];
            if (o.Reader is null && NmrLayout.Classify(o.RelativePath) is { Kind: not NmrPartKind.Single } part && part.Folder.Length > 0)
            {
                var folder = originals.Where(f => f.RelativePath.StartsWith(part.Folder + "/", StringComparison.Ordinal))
                    .ToDictionary(f => f.RelativePath[(part.Folder.Length + 1)..], f => f.Content, StringComparer.Ordinal);
                string key = o.RelativePath[(part.Folder.Length + 1)..];
                string folderName = Path.GetFileName(part.Folder);
                List<FuzzRow> ReadFolder(byte[] content, string _)
                {
                    NmrDatasetReader.Read(folderName, new Dictionary<string, byte[]>(folder, StringComparer.Ordinal) { [key] = content });
                    return [];
                }
                try
                {
                    originals[i] = new Original(o.RelativePath, o.Name, o.Content, ReadFolder, ReadFolder(o.Content, o.Name), folderName);
                }
                catch (InstrumentFileException)
                {
                    // The folder does not read as it is (a part is missing here): its parts are only identified.
                }
            }
        }
        return new ReaderFuzzer(originals);
    }

    public int FileCount => _originals.Count;

    /// <summary>Makes and checks <paramref name="copies"/> copies from the seed, on as many threads as there are cores.</summary>
    public (List<FuzzFailure> Failures, TimeSpan Elapsed, Dictionary<string, int> Outcomes) Run(int copies, int seed)
    {
        var failures = new List<FuzzFailure>();
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        var watch = Stopwatch.StartNew();
        Parallel.For(0, copies, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var random = new Random(unchecked(seed * 1_000_003 + i)); // not HashCode.Combine, which is seeded per process
            var original = _originals[random.Next(_originals.Count)];
            var copy = Mutate(original, random);
            string outcome;
            string? problem;
            try
            {
                (outcome, problem) = Check(original, copy);
            }
            catch (Exception e)
            {
                // Outside the guarded reads: reading the original cut before the changed line, to know which rows precede it.
                (outcome, problem) = ("failure", $"the original cut before line {copy.ChangedLine + 1}: {e.GetType().Name}: {e.Message} at {e.StackTrace?.Split('\n').FirstOrDefault()?.Trim()}");
            }
            lock (failures)
            {
                outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
                if (problem is not null)
                {
                    failures.Add(new FuzzFailure(original.RelativePath, copy.Mutation, problem));
                }
            }
        });
        return (failures, watch.Elapsed, outcomes);
    }

    /// <summary>Checks one copy of one real file (also the entry of the regression tests).</summary>
    public static string? CheckOne(string relativePath, FuzzCopy copy)
    {
        var fuzzer = FromRealFiles();
        var original = fuzzer._originals.Single(o => o.RelativePath == relativePath);
        return Check(original, copy).Problem;
    }

    private static (string Outcome, string? Problem) Check(Original original, FuzzCopy copy)
    {
        string name = original.Name;
        var (identified, identifyProblem) = Guarded(name, () => FormatRegistry.Default.Identify(name, copy.Content));
        if (identifyProblem is not null)
        {
            return ("failure", $"identification: {identifyProblem}");
        }
        if (original.Reader is null || original.Rows is null)
        {
            return (identified is null ? "rejected" : "identified", null);
        }
        var (rows, readProblem) = Guarded(original.ReaderNames, () => original.Reader(copy.Content, name));
        if (readProblem is not null)
        {
            return ("failure", $"reader: {readProblem}");
        }
        if (rows is null)
        {
            return ("rejected", null);
        }
        return ("read", CompareRows(original, copy, rows));
    }

    private static string? CompareRows(Original original, FuzzCopy copy, List<FuzzRow> rows)
    {
        var before = original.Rows!;
        if (copy.PreservesValues)
        {
            if (rows.Count != before.Count)
            {
                return $"{rows.Count} rows instead of {before.Count} after a change that keeps every value";
            }
            int differs = Enumerable.Range(0, rows.Count).FirstOrDefault(i => !rows[i].SameValues(before[i]), -1);
            return differs < 0 ? null : $"row {differs + 1} reads [{string.Join(", ", rows[differs].Values)}] instead of [{string.Join(", ", before[differs].Values)}] after a change that keeps every value";
        }
        if (copy.ChangedLine < 0)
        {
            return null;
        }
        // Rows on the lines before the change read as before.
        int untouched = original.RowsBefore(copy.ChangedLine);
        if (rows.Count < untouched)
        {
            return $"{rows.Count} rows, but the {untouched} rows before line {copy.ChangedLine + 1} were not changed";
        }
        for (int i = 0; i < untouched; i++)
        {
            if (!rows[i].SameValues(before[i]))
            {
                return $"row {i + 1} (before the change at line {copy.ChangedLine + 1}) reads [{string.Join(", ", rows[i].Values)}] instead of [{string.Join(", ", before[i].Values)}]";
            }
        }
        // A change local to one data line leaves the rows after it as they were (where the reader gives lines): the
        // values on their own lines, since context such as a hierarchical export's cycle row may be what changed.
        if (copy.LineDelta is { } delta && before.Count > 0 && before[0].Line >= 0 && copy.ChangedLine + 1 >= before[0].Line)
        {
            var byLine = before.ToDictionary(r => r.Line);
            foreach (var row in rows.Where(r => r.Line > copy.ChangedLine + 1 + Math.Max(delta, 0)))
            {
                if (byLine.TryGetValue(row.Line - delta, out var was) && !row.SameValues(was, FuzzRow.OwnValues))
                {
                    return $"line {row.Line} (after the change at line {copy.ChangedLine + 1}) reads [{string.Join(", ", row.Values)}] instead of [{string.Join(", ", was.Values)}]";
                }
            }
        }
        return null;
    }

    /// <summary>Runs a read with a deadline: null problem when it returned or threw an <see cref="InstrumentFileException"/> naming the file.</summary>
    private static (T? Result, string? Problem) Guarded<T>(string name, Func<T> read) where T : class
    {
        var task = Task.Run(read);
        try
        {
            if (!task.Wait(Deadline))
            {
                return (null, $"did not finish within {Deadline.TotalSeconds} s");
            }
            return (task.Result, null);
        }
        catch (AggregateException e) when (e.InnerException is InstrumentFileException error)
        {
            return (null, error.Message.Contains(name, StringComparison.Ordinal) ? null : $"the error does not name the file: {error.Message}");
        }
        catch (AggregateException e)
        {
            var inner = e.InnerException!;
            return (null, $"{inner.GetType().Name}: {inner.Message} at {inner.StackTrace?.Split('\n').FirstOrDefault()?.Trim()}");
        }
    }

    /// <summary>The reader of an identified file's technique, giving its rows.</summary>
    private static Func<byte[], string, List<FuzzRow>>? ReaderOf(IdentifiedFile identified) => identified switch
    {
        { Technique: "cycler" } => (content, name) =>
        {
            using var record = CyclerFormats.Open(new MemoryStream(content, writable: false), name);
            return [.. record.Samples.Select(s => new FuzzRow(identified.FormatId is CyclerFormats.BioLogicMprFormatId or CyclerFormats.NewareNdaxFormatId ? -1 : s.Row,
                [s.TimeS, s.VoltageV, s.CurrentA, s.Cycle, s.Step, s.VendorChargeAh, s.VendorDischargeAh, s.VendorChargeWh, s.VendorDischargeWh, s.UnixTimeS, s.TemperatureC]))];
        },
        { Technique: "eis" } => (content, name) =>
        {
            var s = EisFormats.Read(name, content);
            return [.. Enumerable.Range(0, s.Count).Select(i => new FuzzRow(-1, [s.Frequency[i], s.ZReal[i], s.ZImag[i]]))];
        },
        { FormatId: "topspin-1d-text" } => (content, name) => [.. TopSpinProfileReader.Read(content, name).Values.Select(v => new FuzzRow(-1, [v]))],
        { FormatId: "zahner-polarisation-text" } => (content, name) =>
        {
            var s = DelimitedTimeSeriesReader.Read(Encoding.UTF8.GetString(content), name, DelimitedTimeSeriesLayout.ZahnerPolarisation, 1.0);
            return [.. Enumerable.Range(0, s.Count).Select(i => new FuzzRow(-1, [s.Time[i], s.Voltage[i], s.Current[i]]))];
        },
        _ => null,
    };

    /// <summary>One mutation, chosen by the random source.</summary>
    private FuzzCopy Mutate(Original original, Random random)
    {
        byte[] c = original.Content;
        var lines = original.LineStarts;
        int Line(int offset) => Math.Max(0, Array.BinarySearch(lines, offset) is var i && i >= 0 ? i : ~i - 1);
        bool text = !original.IsBinary;
        switch (random.Next(text ? 10 : 4))
        {
            case 0:
            {
                int line = random.Next(lines.Length);
                return new($"truncated before line {line + 1}", c[..lines[line]], line);
            }
            case 1:
            {
                int at = random.Next(c.Length);
                return new($"truncated at byte {at}", c[..at], Line(at));
            }
            case 2:
            {
                int at = random.Next(c.Length);
                byte[] copy = (byte[])c.Clone();
                copy[at] ^= (byte)(1 << random.Next(8));
                bool lineBreak = copy[at] is (byte)'\n' or (byte)'\r' || c[at] is (byte)'\n' or (byte)'\r'; // lines merged or split: no line-for-line comparison after it
                return new($"bit {Math.Log2(copy[at] ^ c[at])} flipped at byte {at}", copy, Line(at), lineBreak ? null : 0);
            }
            case 3 when !text:
            {
                int at = random.Next(c.Length);
                int length = Math.Min(c.Length - at, 1 + random.Next(64));
                return new($"{length} bytes zeroed at byte {at}", [.. c[..at], .. new byte[length], .. c[(at + length)..]], Line(at));
            }
            case 3:
            {
                int line = random.Next(lines.Length);
                var (start, end) = original.LineSpan(line);
                return new($"line {line + 1} duplicated", [.. c[..end], .. c[start..end], .. c[end..]], line, 1);
            }
            case 4:
            {
                int line = random.Next(lines.Length);
                var (start, end) = original.LineSpan(line);
                return new($"line {line + 1} deleted", [.. c[..start], .. c[end..]], line, -1);
            }
            case 5:
            {
                var donor = _originals[random.Next(_originals.Count)];
                int n = 1 + random.Next(Math.Min(donor.LineStarts.Length, 12));
                int donorEnd = n < donor.LineStarts.Length ? donor.LineStarts[n] : donor.Content.Length;
                int ownEnd = n < lines.Length ? lines[n] : c.Length;
                return new($"first {n} lines replaced by those of {donor.RelativePath}", [.. donor.Content[..donorEnd], .. c[ownEnd..]], 0);
            }
            case 6:
            {
                string s = Encoding.Latin1.GetString(c);
                bool crlf = s.Contains("\r\n", StringComparison.Ordinal);
                string changed = crlf ? s.Replace("\r\n", "\n", StringComparison.Ordinal) : s.Replace("\n", "\r\n", StringComparison.Ordinal);
                return new(crlf ? "CRLF line ends made LF" : "LF line ends made CRLF", Encoding.Latin1.GetBytes(changed), -1, PreservesValues: true);
            }
            case 7:
                return random.Next(2) == 0 && !(c.Length >= 3 && c[0] == 0xEF && c[1] == 0xBB && c[2] == 0xBF)
                    ? new("UTF-8 byte-order mark added", [0xEF, 0xBB, 0xBF, .. c], -1, PreservesValues: true)
                    : new("re-encoded as UTF-16LE", Encoding.Unicode.GetBytes(Encoding.Latin1.GetString(c)), -1);
            case 8:
            {
                int line = random.Next(lines.Length);
                var (start, _) = original.LineSpan(line);
                int size = random.Next(2) == 0 ? 1 << 20 : 1 << 16;
                byte[] junk = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("9.99999999E+307,", size / 16)));
                return new($"a {size}-byte line inserted before line {line + 1}", [.. c[..start], .. junk, (byte)'\n', .. c[start..]], line, 1);
            }
            default:
            {
                int first = Array.FindIndex(c, b => b >= 0x80);
                if (first < 0)
                {
                    return new("Latin-1 bytes made UTF-8 (none present)", c, -1, PreservesValues: true);
                }
                return new("Latin-1 bytes re-encoded as UTF-8", Encoding.UTF8.GetBytes(Encoding.Latin1.GetString(c)), Line(first));
            }
        }
    }

    /// <summary>A real file, its reader (null when it has none of its own) and the rows that reader gives.</summary>
    private sealed class Original(string relativePath, string name, byte[] content, Func<byte[], string, List<FuzzRow>>? reader, List<FuzzRow>? rows, string? readerNames = null)
    {
        /// <summary>What the reader's errors must name: the file, or the folder it reads the file with.</summary>
        public string ReaderNames { get; } = readerNames ?? name;

        private readonly Dictionary<int, int> _rowsBefore = [];

        public string RelativePath { get; } = relativePath;
        public string Name { get; } = name;
        public byte[] Content { get; } = content;
        public Func<byte[], string, List<FuzzRow>>? Reader { get; } = reader;
        public List<FuzzRow>? Rows { get; } = rows;
        public bool IsBinary { get; } = content.AsSpan(0, Math.Min(content.Length, 4096)).Contains((byte)0);

        /// <summary>Offsets where lines start (after '\n').</summary>
        public int[] LineStarts { get; } = [0, .. Enumerable.Range(0, content.Length).Where(i => content[i] == '\n' && i + 1 < content.Length).Select(i => i + 1)];

        public (int Start, int End) LineSpan(int line) => (LineStarts[line], line + 1 < LineStarts.Length ? LineStarts[line + 1] : Content.Length);

        /// <summary>
        /// How many of the rows lie on lines before <paramref name="line"/>: from the rows' own lines where the reader
        /// gives them, otherwise the rows of the file cut before that line (0 when the cut file does not read).
        /// </summary>
        public int RowsBefore(int line)
        {
            if (Rows is null)
            {
                return 0;
            }
            if (Rows.Count > 0 && Rows[0].Line >= 0)
            {
                return Rows.Count(r => r.Line - 1 < line);
            }
            lock (_rowsBefore)
            {
                if (!_rowsBefore.TryGetValue(line, out int count))
                {
                    try
                    {
                        count = Reader!(Content[..LineStarts[line]], Name).Count;
                    }
                    catch (InstrumentFileException)
                    {
                        count = 0;
                    }
                    _rowsBefore[line] = count;
                }
                return count;
            }
        }
    }
}
