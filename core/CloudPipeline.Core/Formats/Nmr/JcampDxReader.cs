using System.Globalization;
using System.Numerics;

namespace CloudPipeline.Core.Formats.Nmr;

/// <summary>One block of a JCAMP-DX file (a file without LINK blocks has one), with its decoded table.</summary>
/// <param name="Title">The block's TITLE.</param>
/// <param name="DataType">DATA TYPE, upper case (e.g. <c>NMR SPECTRUM</c>, <c>NMR FID</c>, <c>LINK</c>).</param>
/// <param name="Records">The block's records in file order.</param>
/// <param name="X">Abscissae of an XYDATA, XYPOINTS or PEAK TABLE table (scaled by XFACTOR), else null.</param>
/// <param name="Y">Ordinates of that table (scaled by YFACTOR), else null.</param>
/// <param name="Columns">NTUPLES pages by variable symbol (e.g. <c>R</c>, <c>I</c>), scaled by their FACTOR.</param>
/// <param name="YChecks">Y-check lines that passed.</param>
/// <param name="XCheckMismatches">Data lines whose X disagreed with the point count.</param>
/// <param name="Warnings">Warnings for people.</param>
public sealed record JcampDxBlock(string Title, string DataType, IReadOnlyList<JcampRecord> Records, double[]? X, double[]? Y,
    IReadOnlyDictionary<string, double[]> Columns, int YChecks, int XCheckMismatches, IReadOnlyList<string> Warnings)
{
    /// <summary>The value (first line) of a record by label, compared the JCAMP-DX way, or null.</summary>
    public string? Get(string label)
    {
        string key = JcampRecords.NormaliseLabel(label);
        return Records.FirstOrDefault(r => r.Key == key)?.Head;
    }

    /// <summary>A numeric record, or null when absent or not a number.</summary>
    public double? Number(string label) =>
        Get(label) is { } v && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) ? d : null;
}

/// <summary>
/// Reads JCAMP-DX 4.24/5.x files (spec §1.4): LINK files with child blocks, XYDATA in every ASDF form with Y- and
/// X-checks, XYPOINTS and PEAK TABLE pairs, and NTUPLES pages (an NMR FID's real and imaginary parts).
/// </summary>
public static class JcampDxReader
{
    /// <summary>The reader's version, recorded in provenance.</summary>
    public const string Version = "1.0.1";

    /// <summary>True if the head looks like JCAMP-DX (a <c>##TITLE=</c> record first, and a <c>##JCAMP</c> version record).</summary>
    public static bool Sniff(string head) =>
        head.TrimStart().StartsWith("##TITLE", StringComparison.OrdinalIgnoreCase) && head.Contains("##JCAMP", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads every block of a file.</summary>
    /// <param name="text">The file's text (ISO-8859-1).</param>
    /// <param name="sourceName">The file name, for messages.</param>
    /// <param name="strict">A failed Y-check is an error (default) rather than a warning.</param>
    /// <exception cref="InstrumentFileException">No block, a block not closed by ##END=, a malformed table, a failed Y-check, or a point count that differs from NPOINTS/VAR_DIM.</exception>
    public static IReadOnlyList<JcampDxBlock> Read(string text, string sourceName, bool strict = true)
    {
        var records = JcampRecords.Parse(text);
        var blocks = new List<JcampDxBlock>();
        var current = new List<JcampRecord>();
        foreach (var r in records)
        {
            if (r.Key == "TITLE" && current.Count > 0)
            {
                // A TITLE inside an open block starts a child block (LINK files); the parent holds only its header.
                blocks.Add(Build(current, sourceName, strict));
                current = [];
            }
            current.Add(r);
            if (r.Key == "END")
            {
                if (current.Count > 1)
                {
                    blocks.Add(Build(current, sourceName, strict));
                }
                current = [];
            }
        }
        if (current.Count > 0)
        {
            // Every block ends with ##END=: without it the copy stopped inside the block (taken while the file was
            // still being written), and its last value may be cut short, or the block is lost after its TITLE.
            var title = current.FirstOrDefault(r => r.Key == "TITLE")?.Head ?? "?";
            throw new InstrumentFileException(sourceName, $"the file ends inside block '{title}' (no ##END= after line {current[^1].Line})", current[^1].Line, "##END=",
                "a complete JCAMP-DX file, every block closed by ##END= (upload the file again once it is written)", "INCOMPLETE_FILE");
        }
        if (blocks.Count == 0)
        {
            throw new InstrumentFileException(sourceName, "no ##TITLE block found", expected: "a JCAMP-DX file (##TITLE=, ##JCAMP-DX=, …, ##END=)", code: "NOT_JCAMP");
        }
        return blocks;
    }

    /// <summary>The NMR spectrum of a block with an XYDATA table in Hz or ppm, on the canonical high-to-low axis.</summary>
    /// <exception cref="InstrumentFileException">No XYDATA, no observe frequency, or abscissa units other than Hz or ppm.</exception>
    public static NmrSpectrum ToSpectrum(JcampDxBlock block, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(block);
        if (block.X is not { Length: >= 2 } x || block.Y is not { } y)
        {
            throw new InstrumentFileException(sourceName, $"block '{block.Title}' has no XYDATA table", field: "XYDATA", expected: "an NMR SPECTRUM block with ##XYDATA=(X++(Y..Y))", code: "NO_SPECTRUM");
        }
        double sf = block.Number(".OBSERVE FREQUENCY") ?? throw new InstrumentFileException(sourceName, "the observe frequency is missing", field: ".OBSERVE FREQUENCY", expected: "the spectrometer frequency in MHz", code: "MISSING_PARAMETER");
        string units = (block.Get("XUNITS") ?? "HZ").ToUpperInvariant();
        double toPpm = units switch
        {
            "HZ" => 1 / sf,
            "PPM" => 1,
            _ => throw new InstrumentFileException(sourceName, $"XUNITS = {units} is not supported", field: "XUNITS", expected: "HZ or PPM", code: "UNSUPPORTED"),
        };
        var real = (double[])y.Clone();
        double first = x[0] * toPpm, last = x[^1] * toPpm;
        if (first < last)
        {
            Array.Reverse(real);
            (first, last) = (last, first);
        }
        int n = real.Length;
        double stepPpm = (first - last) / (n - 1);
        return new NmrSpectrum(sourceName, real, null, first, stepPpm * n * sf, sf);
    }

    /// <summary>The FID of an NMR FID block (NTUPLES with real and imaginary pages), as stored (spec §0: no conjugation).</summary>
    /// <exception cref="InstrumentFileException">The pages are missing or of different lengths, or the observe frequency is missing.</exception>
    public static NmrFid ToFid(JcampDxBlock block, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(block);
        if (!block.Columns.TryGetValue("R", out var re) || !block.Columns.TryGetValue("I", out var im) || re.Length != im.Length)
        {
            throw new InstrumentFileException(sourceName, $"block '{block.Title}' has no pair of real (R) and imaginary (I) pages of one length", field: "NTUPLES",
                expected: "an NMR FID in NTUPLES form", code: "NO_FID");
        }
        double sf = block.Number(".OBSERVE FREQUENCY") ?? throw new InstrumentFileException(sourceName, "the observe frequency is missing", field: ".OBSERVE FREQUENCY", expected: "MHz", code: "MISSING_PARAMETER");
        var first = Values(block.Get("FIRST"));
        var last = Values(block.Get("LAST"));
        var symbols = (block.Get("SYMBOL") ?? "").Split(',').Select(s => s.Trim()).ToList();
        int xi = symbols.IndexOf("X");
        double dwell = xi >= 0 && xi < first.Length && xi < last.Length ? (last[xi] - first[xi]) / (re.Length - 1) : double.NaN;
        if (!(dwell > 0))
        {
            throw new InstrumentFileException(sourceName, "the time axis (FIRST/LAST of X) does not give a positive dwell time", field: "FIRST", expected: "the first and last acquisition times", code: "MISSING_PARAMETER");
        }
        var points = new Complex[re.Length];
        for (int i = 0; i < points.Length; i++)
        {
            points[i] = new Complex(re[i], im[i]);
        }
        double carrier = block.Number("$OFFSET") is { } offset && block.Number("$SW_p") is { } swp ? offset - swp / (2 * sf) : 0;
        string nucleus = (block.Get(".OBSERVE NUCLEUS") ?? "").TrimStart('^');
        return new NmrFid(sourceName, "jcamp-dx-fid", points, 1 / dwell, sf, carrier, 0, nucleus,
            // Stryker disable once Linq : a group is never empty.
            block.Records.GroupBy(r => r.Label).ToDictionary(g => g.Key, g => g.First().Head), [])
        {
            AcquiredAt = block.Get("LONGDATE") is { } date && DateTime.TryParseExact(date, ["yyyy/MM/dd HH:mm:ss.fff", "yyyy/MM/dd HH:mm:ss"], CultureInfo.InvariantCulture,
                DateTimeStyles.None, out var t) ? new DateTimeOffset(t, TimeSpan.Zero) : null, // read as UTC: these forms carry no zone
        };
    }

    private static JcampDxBlock Build(List<JcampRecord> records, string source, bool strict)
    {
        string title = records[0].Key == "TITLE" ? records[0].Head : "";
        string Get(string key) => records.FirstOrDefault(r => r.Key == key)?.Head ?? "";
        double? Num(string key) => double.TryParse(Get(key), NumberStyles.Float, CultureInfo.InvariantCulture, out double d) ? d : null;
        string dataType = Get("DATATYPE").ToUpperInvariant();
        double xFactor = Num("XFACTOR") ?? 1, yFactor = Num("YFACTOR") ?? 1;
        double[]? x = null, y = null;
        var columns = new Dictionary<string, double[]>(StringComparer.Ordinal);
        var warnings = new List<string>();
        int yChecks = 0, xMismatch = 0;

        var xy = records.FirstOrDefault(r => r.Key == "XYDATA");
        if (xy is not null)
        {
            int n = Num("NPOINTS") is { } np ? (int)np : -1;
            double firstX = Num("FIRSTX") ?? 0, lastX = Num("LASTX") ?? 0;
            double delta = n > 1 ? (lastX - firstX) / (n - 1) : 0;
            var decoder = Decode(xy, source, strict, i => (firstX + i * delta) / xFactor, 0.5 * Math.Abs(delta) / xFactor);
            y = Scaled(decoder.Values, yFactor);
            if (n >= 0 && y.Length != n)
            {
                throw new InstrumentFileException(source, $"the XYDATA table decodes to {y.Length} values but NPOINTS = {n}", xy.Line, "NPOINTS", $"{n} values", "SIZE_MISMATCH");
            }
            x = Enumerable.Range(0, y.Length).Select(i => firstX + i * delta).ToArray();
            yChecks = decoder.YChecks;
            xMismatch = decoder.XCheckMismatches;
            warnings.AddRange(decoder.Warnings);
        }
        else if (records.FirstOrDefault(r => r.Key is "XYPOINTS" or "PEAKTABLE") is { } pairs)
        {
            var numbers = new List<double>();
            foreach (var (line, textLine) in pairs.ValueLines)
            {
                foreach (var part in textLine.Split([' ', '\t', ',', ';'], StringSplitOptions.RemoveEmptyEntries))
                {
                    if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
                    {
                        throw new InstrumentFileException(source, $"'{part}' is not a number", line, pairs.Label, "x, y pairs (AFFN)", "BAD_ASDF");
                    }
                    numbers.Add(v);
                }
            }
            x = numbers.Where((_, i) => i % 2 == 0).Select(v => v * xFactor).ToArray();
            y = numbers.Where((_, i) => i % 2 == 1).Select(v => v * yFactor).ToArray();
        }

        if (records.Any(r => r.Key == "NTUPLES"))
        {
            var symbols = Get("SYMBOL").Split(',').Select(s => s.Trim()).ToList();
            var factors = Values(Get("FACTOR"));
            var dims = Values(Get("VARDIM"));
            var firsts = Values(Get("FIRST"));
            var lasts = Values(Get("LAST"));
            int xi = symbols.IndexOf("X");
            foreach (var table in records.Where(r => r.Key == "DATATABLE"))
            {
                // (X++(R..R)), XYDATA: the ordinate symbol sits inside the inner brackets.
                string head = table.Head;
                int open = head.IndexOf("++(", StringComparison.Ordinal);
                string symbol = open < 0 ? "" : head[(open + 3)..].Split('.', ')')[0].Trim();
                int yi = symbols.IndexOf(symbol);
                if (yi < 0)
                {
                    throw new InstrumentFileException(source, $"the data table '{head}' names a variable that SYMBOL does not list", table.Line, "DATA TABLE", $"one of {string.Join(", ", symbols)}", "BAD_NTUPLES");
                }
                int n = yi < dims.Length ? (int)dims[yi] : -1;
                double xf = xi >= 0 && xi < factors.Length ? factors[xi] : 1;
                double x0 = xi >= 0 && xi < firsts.Length ? firsts[xi] : 0;
                double dx = xi >= 0 && xi < lasts.Length && n > 1 ? (lasts[xi] - x0) / (n - 1) : 0;
                var decoder = Decode(table, source, strict, i => (x0 + i * dx) / xf, 0.5 * Math.Abs(dx) / xf);
                var values = Scaled(decoder.Values, yi < factors.Length ? factors[yi] : 1);
                if (n >= 0 && values.Length != n)
                {
                    throw new InstrumentFileException(source, $"page {symbol} decodes to {values.Length} values but VAR_DIM = {n}", table.Line, "VAR_DIM", $"{n} values", "SIZE_MISMATCH");
                }
                columns[symbol] = values;
                yChecks += decoder.YChecks;
                xMismatch += decoder.XCheckMismatches;
                warnings.AddRange(decoder.Warnings);
            }
        }
        return new JcampDxBlock(title, dataType, records, x, y, columns, yChecks, xMismatch, warnings);
    }

    private static AsdfDecoder Decode(JcampRecord table, string source, bool strict, Func<int, double> expectedX, double tolerance)
    {
        var decoder = new AsdfDecoder(source, strict);
        foreach (var (line, text) in table.ValueLines)
        {
            decoder.DecodeLine(text, line, i => (expectedX(i), tolerance));
        }
        return decoder;
    }

    private static double[] Scaled(List<double> values, double factor)
    {
        var result = new double[values.Count];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = values[i] * factor;
        }
        return result;
    }

    private static double[] Values(string? list) =>
        (list ?? "").Split(',').Select(s => double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : double.NaN).ToArray();
}
