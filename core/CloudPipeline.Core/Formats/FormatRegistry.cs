using System.Text;
using CloudPipeline.Core.Formats.Cycler;
using CloudPipeline.Core.Formats.Eis;
using CloudPipeline.Core.Formats.Electrochemistry;
using CloudPipeline.Core.Formats.Mri;
using CloudPipeline.Core.Formats.Nmr;
using CloudPipeline.Core.Pipeline;

namespace CloudPipeline.Core.Formats;

/// <summary>What a file was identified as, with what <c>cloudpipeline inspect</c> shows of it.</summary>
/// <param name="FormatId">A stable format id, e.g. <c>topspin-1d-text</c>.</param>
/// <param name="Technique">The technique the file belongs to, e.g. <c>mri</c>, <c>electrochemistry</c>, <c>manifest</c>.</param>
/// <param name="Role">Its role in an experiment, e.g. <c>profile</c>, <c>polarisation</c>, <c>manifest</c>.</param>
/// <param name="Reader">The reader and its version, for provenance.</param>
/// <param name="Summary">Points or rows read, for status displays.</param>
/// <param name="Points">Points or rows.</param>
/// <param name="Columns">Column names with units.</param>
/// <param name="First">The first record, as text.</param>
/// <param name="Last">The last record, as text.</param>
public sealed record IdentifiedFile(string FormatId, string Technique, string Role, string Reader, string Summary,
    int Points, IReadOnlyList<string> Columns, string First, string Last);

/// <summary>One format the pipeline understands: a cheap content sniff and a full validating read.</summary>
public interface IFormatReader
{
    /// <summary>The format id.</summary>
    string FormatId { get; }

    /// <summary>True if the head of the file (first bytes, decoded as UTF-8) looks like this format. The file name is only a hint.</summary>
    bool Sniff(string fileName, string head);

    /// <summary>Reads the whole file and returns what it is; throws <see cref="InstrumentFileException"/> naming what is wrong.</summary>
    IdentifiedFile Read(string fileName, byte[] content);
}

/// <summary>
/// Identifies uploaded files by content through the registered readers (the first whose sniff accepts the
/// head and whose full read succeeds). Technique issues add readers here.
/// </summary>
public sealed class FormatRegistry
{
    private const int HeadBytes = 4096;
    private readonly IReadOnlyList<IFormatReader> _readers;

    /// <summary>Creates a registry with the given readers, tried in order.</summary>
    public FormatRegistry(IEnumerable<IFormatReader> readers) => _readers = readers.ToList();

    /// <summary>The registry with every reader this version ships.</summary>
    public static FormatRegistry Default { get; } = new([new ManifestFormat(), new NmrPartFormat(), new JcampDxNmrFormat(), new TopSpinProfileFormat(), new BioLogicMprFormat(), new CyclerFormat(), new NativeCyclerFormat(), new EisSpectrumFormat(), new PolarisationRecordFormat()]);

    /// <summary>Identifies a file or throws <see cref="InstrumentFileException"/> with a reason a person can act on.</summary>
    public IdentifiedFile Identify(string fileName, byte[] content)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (content.Length == 0)
        {
            throw new InstrumentFileException(fileName, "the file is empty", expected: "an instrument export or experiment.json", code: "EMPTY");
        }
        string head = Encoding.Latin1.GetString(content, 0, Math.Min(content.Length, HeadBytes));
        foreach (var reader in _readers)
        {
            if (reader.Sniff(fileName, head))
            {
                return reader.Read(fileName, content);
            }
        }
        if (head.Contains('\0', StringComparison.Ordinal))
        {
            throw new InstrumentFileException(fileName, "the file is binary and matches no supported binary format", expected: $"one of: {string.Join(", ", _readers.Select(r => r.FormatId))}", code: "UNKNOWN_FORMAT");
        }
        throw new InstrumentFileException(fileName, "the content matches no supported format", expected: $"one of: {string.Join(", ", _readers.Select(r => r.FormatId))}", code: "UNKNOWN_FORMAT");
    }

    private static string Number(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    private sealed class TopSpinProfileFormat : IFormatReader
    {
        public string FormatId => "topspin-1d-text";

        public bool Sniff(string fileName, string head) => TopSpinProfileReader.Sniff(head);

        public IdentifiedFile Read(string fileName, byte[] content)
        {
            var profile = TopSpinProfileReader.Read(content, fileName);
            return new IdentifiedFile(FormatId, "mri", "profile", $"TopSpinProfileReader {TopSpinProfileReader.Version}",
                $"{profile.Size} points, EXPNO {profile.ExpNo}", profile.Size,
                [$"intensity (a.u.), {profile.LeftPpm} → {profile.RightPpm} ppm"],
                Number(profile.Values[0]), Number(profile.Values[^1]));
        }
    }

    private sealed class EisSpectrumFormat : IFormatReader
    {
        public string FormatId => "eis";

        public bool Sniff(string fileName, string head) => EisFormats.Detect(fileName, Encoding.Latin1.GetBytes(head)) is not null;

        public IdentifiedFile Read(string fileName, byte[] content) => Describe(EisFormats.Read(fileName, content));

        public static IdentifiedFile Describe(Spectrum s)
        {
            string Point(int i) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"f = {s.Frequency[i]:G10} Hz, Z = {s.ZReal[i]:G10} {(s.ZImag[i] < 0 ? "-" : "+")} {Math.Abs(s.ZImag[i]):G10}j Ohm");
            return new IdentifiedFile(s.FormatId, "eis", "spectrum", $"EisFormats {EisFormats.Version} ({s.FormatId})",
                s.IncompleteLastRow ? $"{s.Count} points; the last row is incomplete (the file ends inside it) and not used" : $"{s.Count} points", s.Count, ["f (Hz)", "Z' (Ohm)", "Z'' (Ohm)", .. s.Columns.Keys], Point(0), Point(s.Count - 1));
        }
    }

    private sealed class PolarisationRecordFormat : IFormatReader
    {
        public string FormatId => "zahner-polarisation-text";

        public bool Sniff(string fileName, string head)
        {
            var first = head.Split('\n', 2)[0].Trim();
            var fields = first.Split('\t');
            return fields.Length == 3 && fields.All(f => double.TryParse(f, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _));
        }

        public IdentifiedFile Read(string fileName, byte[] content)
        {
            var series = DelimitedTimeSeriesReader.Read(Encoding.UTF8.GetString(content), fileName, DelimitedTimeSeriesLayout.ZahnerPolarisation, 1.0);
            string Row(int i) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"t = {(series.Time[i] + series.StartOffset) / 3600:G10} h, V = {series.Voltage[i]:G10} V, j = {series.Current[i] * 1e3:G10} mA/cm²");
            return new IdentifiedFile(FormatId, "electrochemistry", "polarisation", $"DelimitedTimeSeriesReader {DelimitedTimeSeriesReader.Version}",
                $"{series.Count} rows over {series.Time[^1] / 3600:0.###} h", series.Count,
                ["time (h)", "cell voltage (V)", "current density (mA/cm²)"], Row(0), Row(series.Count - 1));
        }
    }

    private sealed class CyclerFormat : IFormatReader
    {
        public string FormatId => "cycler";

        public bool Sniff(string fileName, string head) => CyclerFormats.Detect(head) is not null || CyclerFormats.LooksLikeNdax(fileName, head);

        public IdentifiedFile Read(string fileName, byte[] content)
        {
            using var record = CyclerFormats.Open(new MemoryStream(content, writable: false), fileName);
            return Describe(record);
        }

        public static IdentifiedFile Describe(CyclerRecord record)
        {
            string fileName = record.Info.SourceName;
            int rows = 0;
            CyclerSample first = default, last = default;
            var cycles = new SortedSet<int>();
            foreach (var s in record.Samples)
            {
                first = rows++ == 0 ? s : first;
                last = s;
                if (s.Cycle >= 0)
                {
                    cycles.Add(s.Cycle);
                }
            }
            if (rows == 0)
            {
                throw new InstrumentFileException(fileName, "the file has a column line but no rows", expected: "at least one data row", code: "NO_ROWS");
            }
            var info = record.Info;
            string Row(CyclerSample r) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"line {r.Row}: t = {r.TimeS - first.TimeS:G10} s, V = {r.VoltageV:G10} V, I = {r.CurrentA:G10} A{(r.Cycle >= 0 ? $", cycle {r.Cycle}" : "")}{(r.Step >= 0 ? $", step {r.Step}" : "")}{(r.StepType is null ? "" : $" ({r.StepType})")}");
            string summary = $"{rows} rows{(cycles.Count > 0 ? $", cycles {cycles.Min}–{cycles.Max}" : "")}{(record.IncompleteLastRow ? "; the last row is incomplete (the file ends inside it) and not used" : "")}";
            return new IdentifiedFile(info.FormatId, "cycler", "timeseries", info.Reader, summary, rows, info.Columns, Row(first), Row(last));
        }
    }

    /// <summary>
    /// EC-Lab binary files: read once, then described as an impedance spectrum when the technique is an impedance one
    /// (a <c>freq/Hz</c> column), otherwise as a cycler record.
    /// </summary>
    private sealed class BioLogicMprFormat : IFormatReader
    {
        public string FormatId => "biologic-mpr";

        public bool Sniff(string fileName, string head) => head.StartsWith("BIO-LOGIC MODULAR FILE", StringComparison.Ordinal);

        public IdentifiedFile Read(string fileName, byte[] content)
        {
            var mpr = BioLogic.MprReader.Read(fileName, content);
            if (mpr.Columns.ContainsKey("freq/Hz"))
            {
                return EisSpectrumFormat.Describe(EisFormats.FromMpr(mpr));
            }
            using var record = CyclerFormats.FromMpr(mpr);
            return CyclerFormat.Describe(record);
        }
    }

    /// <summary>
    /// Cycler vendors' native files that this version does not open: each is recognised and rejected with what to
    /// upload instead, rather than "matches no supported format".
    /// </summary>
    private sealed class NativeCyclerFormat : IFormatReader
    {
        public string FormatId => "cycler-native";

        public bool Sniff(string fileName, string head) => Native(fileName, head) is not null;

        public IdentifiedFile Read(string fileName, byte[] content) =>
            throw new InstrumentFileException(fileName, Native(fileName, Encoding.Latin1.GetString(content, 0, Math.Min(content.Length, 4096)))!,
                expected: "a CSV or text export of the test", code: "EXPORT_NEEDED");

        private static string? Native(string fileName, string head)
        {
            if (head.Length > 20 && head.AsSpan(4).StartsWith("Standard Jet DB", StringComparison.Ordinal))
            {
                return "the file is a Microsoft Access (Jet) database, as Arbin's .res files are; reading one needs a native database driver, which this "
                       + "pipeline does not use. Export the test to CSV with Arbin's software (MITS Pro or Data Watcher) and upload the CSV";
            }
            return null;
        }
    }

    /// <summary>A file of a vendor's NMR folder: validated on its own where it can be; the dataset is the folder (<see cref="NmrLayout"/>).</summary>
    private sealed class NmrPartFormat : IFormatReader
    {
        public string FormatId => "nmr-folder-part";

        public bool Sniff(string fileName, string head) => NmrLayout.Classify(fileName) is { Kind: not NmrPartKind.Single };

        public IdentifiedFile Read(string fileName, byte[] content)
        {
            var part = NmrLayout.Classify(fileName)!;
            string name = Path.GetFileName(fileName);
            string reader = $"NmrLayout {BrukerReader.Version}";
            if (part.Kind == NmrPartKind.Auxiliary)
            {
                return new IdentifiedFile($"{part.Vendor}-auxiliary", "nmr", "nmr-auxiliary", reader, $"{content.Length} bytes, kept with {Folder(part)}", content.Length, [], "", "");
            }
            string summary = name switch
            {
                "acqus" or "procs" => Parameters(BrukerParameters.Parse(Encoding.Latin1.GetString(content), fileName), name),
                "procpar" => $"{VarianReader.ReadProcpar(Encoding.Latin1.GetString(content), fileName).Count} parameters",
                "acqu.par" => $"{SpinsolveReader.ReadParameters(Encoding.Latin1.GetString(content)).Count} parameters",
                _ when name.EndsWith(".1d", StringComparison.Ordinal) => $"{SpinsolveReader.Read1D(content, fileName).Values.Length} complex points",
                _ => $"{content.Length} bytes of binary data",
            };
            return new IdentifiedFile($"{part.Vendor}-{name}", "nmr", "nmr-part", reader, $"{summary}; part of {Folder(part)}", content.Length, [], "", "");
        }

        private static string Folder(NmrPart part) => part.Folder.Length == 0 ? "the experiment's NMR dataset" : $"NMR dataset {part.Folder}";

        private static string Parameters(BrukerParameters p, string name) => name == "acqus"
            ? $"{p.Text("NUC1")}, TD {p.Integer("TD")}, SW_h {p.Number("SW_h").ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)} Hz"
            : $"SI {p.Integer("SI")}, OFFSET {p.Number("OFFSET").ToString("0.####", System.Globalization.CultureInfo.InvariantCulture)} ppm";
    }

    /// <summary>A JCAMP-DX file with an NMR FID or spectrum: a dataset on its own.</summary>
    private sealed class JcampDxNmrFormat : IFormatReader
    {
        public string FormatId => "jcamp-dx";

        public bool Sniff(string fileName, string head) => JcampDxReader.Sniff(head);

        public IdentifiedFile Read(string fileName, byte[] content)
        {
            var dataset = NmrDatasetReader.Read(fileName, new Dictionary<string, byte[]> { [fileName] = content });
            int points = dataset.Fid?.Count ?? dataset.Processed!.Count;
            return new IdentifiedFile(FormatId, "nmr", NmrLayout.SingleFileRole, dataset.Reader,
                dataset.Fid is { } fid ? $"NMR FID, {fid.Nucleus}, {fid.Count} complex points" : $"NMR spectrum, {points} points", points,
                [dataset.Fid is null ? "intensity (a.u.) vs ppm" : "FID real, imaginary"], "", "");
        }
    }

    private sealed class ManifestFormat : IFormatReader
    {
        public string FormatId => "experiment-manifest";

        public bool Sniff(string fileName, string head) =>
            Path.GetFileName(fileName).Equals("experiment.json", StringComparison.OrdinalIgnoreCase) || (head.TrimStart().StartsWith('{') && head.Contains("\"schemaVersion\"", StringComparison.Ordinal));

        public IdentifiedFile Read(string fileName, byte[] content)
        {
            using var stream = new MemoryStream(content);
            var manifest = ExperimentManifest.Read(stream, fileName);
            return new IdentifiedFile(FormatId, "manifest", "manifest", $"ExperimentManifest schema {ExperimentManifest.CurrentSchemaVersion}",
                manifest.CellId is null ? "manifest" : $"cell {manifest.CellId}", 1, ["JSON"],
                $"cellId {manifest.CellId ?? "-"}, area {manifest.ElectrodeAreaCm2?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"} cm²",
                manifest.MriDrift is { } m ? $"mriDrift: flipProfile {m.FlipProfile}, D model on {m.DModel.Variable}" : "no mriDrift section");
        }
    }
}
