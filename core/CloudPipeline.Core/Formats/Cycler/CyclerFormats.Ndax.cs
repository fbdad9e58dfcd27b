using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml.Linq;

namespace CloudPipeline.Core.Formats.Cycler;

/// <summary>Neware BTS 8 native archives (<c>.ndax</c>) in the canonical model.</summary>
public static partial class CyclerFormats
{
    /// <summary>The format id of a Neware <c>.ndax</c> archive.</summary>
    public const string NewareNdaxFormatId = "neware-ndax";

    private const int NdcPage = 4096;

    // Neware's step-type codes (the Step_Type of Step.xml and the status of data_step.ndc), named as its CSV exports name them.
    private static readonly Dictionary<int, string> NewareStepTypes = new()
    {
        [1] = "CC Chg", [2] = "CC DChg", [3] = "CV Chg", [4] = "Rest", [5] = "Cycle", [7] = "CCCV Chg", [8] = "CP DChg", [9] = "CP Chg", [10] = "CR DChg",
        [13] = "Pause", [16] = "Pulse", [17] = "SIM", [19] = "CV DChg", [20] = "CCCV DChg", [21] = "Control", [22] = "OCV", [26] = "CPCV DChg", [27] = "CPCV Chg",
    };

    /// <summary>True when the head of a file is a zip archive that names itself, or one of its parts, as a Neware archive.</summary>
    internal static bool LooksLikeNdax(string fileName, string head) =>
        head.StartsWith("PK\u0003\u0004", StringComparison.Ordinal) && (fileName.EndsWith(".ndax", StringComparison.OrdinalIgnoreCase)
            || head.Contains("data.ndc", StringComparison.Ordinal) || head.Contains("EditStep.xml", StringComparison.Ordinal) || head.Contains("TestInfo.xml", StringComparison.Ordinal));

    /// <summary>
    /// A Neware <c>.ndax</c> zip archive written by BTS 8 (ndc version 17). Its parts, as read here (the layout was learned
    /// from NewareNDA's reader and checked on the real archive: the integrated current of every step equals the
    /// archive's own capacity counter):
    /// <list type="bullet">
    /// <item><c>data.ndc</c>: after a 4,096-byte header, 4,096-byte pages whose bytes 132–4,091 hold (V, I) pairs as float32 (V, A, charge positive); an all-zero pair is an unused slot. The n-th pair is record n.</item>
    /// <item><c>data_step.ndc</c>: 100-byte step entries (pages' bytes 132–4,031): cycle (int32, from 0), step number (int32), step-type code (byte 24), first record (int32 at byte 33).</item>
    /// <item><c>data_runInfo.ndc</c>: 100-byte entries (pages' bytes 232–4,031) for some records only (each step's first and last, and every 60th): step time (int32 ms), charge and discharge capacity (float32 Ah), charge and discharge energy (float32 Wh), Unix time (int32 s) and its milliseconds (int16 at byte 45), step number and record number (int32 at bytes 37, 41).</item>
    /// </list>
    /// The archive stores the time of those records only. Test time runs on the step clock (integer ms) within a step,
    /// from 0 at the first record, and each later step starts at its wall-clock (Unix) time; the wall clock itself jitters
    /// by tens of ms between stored records, so it is not used within a step. A record's time is the straight line between the two stored
    /// records around it, which are in the same step (every step's first and last record are stored), so for the
    /// instrument's fixed sampling interval it is exact; records after the last stored one have no time and are not
    /// used (<see cref="CyclerFileInfo.Metadata"/> <c>untimed records</c> counts them). The vendor counters are
    /// given on the stored records only.
    /// </summary>
    private static CyclerRecord OpenNdax(byte[] head, Stream content, string sourceName)
    {
        var buffer = new MemoryStream();
        buffer.Write(head);
        content.CopyTo(buffer);
        content.Dispose();
        buffer.Position = 0;
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(buffer, ZipArchiveMode.Read);
        }
        catch (InvalidDataException e)
        {
            throw new InstrumentFileException(sourceName, $"the zip archive cannot be opened ({e.Message})", expected: "a complete Neware .ndax archive", code: "NDAX_CORRUPT");
        }
        try
        {
            return OpenNdax(zip, sourceName);
        }
        catch
        {
            zip.Dispose();
            throw;
        }
    }

    private static CyclerRecord OpenNdax(ZipArchive zip, string sourceName)
    {
        ZipArchiveEntry Part(string name) => zip.GetEntry(name)
            ?? throw new InstrumentFileException(sourceName, $"the archive has no {name}", field: name, expected: "a Neware BTS 8 .ndax archive (data.ndc, data_step.ndc, data_runInfo.ndc)", code: "NDAX_PART_MISSING");
        var data = Part("data.ndc");
        var steps = ReadNdcEntries(Part("data_step.ndc"), sourceName, 7, 132, 100, e => BinaryPrimitives.ReadInt32LittleEndian(e[33..]) != 0,
            e => new NdaxStep(BinaryPrimitives.ReadInt32LittleEndian(e) + 1, BinaryPrimitives.ReadInt32LittleEndian(e[4..]), e[24], BinaryPrimitives.ReadInt32LittleEndian(e[33..])));
        var anchors = ReadNdcEntries(Part("data_runInfo.ndc"), sourceName, 18, 232, 100, e => BinaryPrimitives.ReadInt32LittleEndian(e[41..]) != 0,
            e => new NdaxAnchor(BinaryPrimitives.ReadInt32LittleEndian(e[41..]), BinaryPrimitives.ReadInt32LittleEndian(e[37..]), BinaryPrimitives.ReadInt32LittleEndian(e) / 1000.0,
                BinaryPrimitives.ReadInt32LittleEndian(e[33..]) + BinaryPrimitives.ReadInt16LittleEndian(e[45..]) / 1000.0,
                BinaryPrimitives.ReadSingleLittleEndian(e[5..]), BinaryPrimitives.ReadSingleLittleEndian(e[9..]), BinaryPrimitives.ReadSingleLittleEndian(e[13..]),
                BinaryPrimitives.ReadSingleLittleEndian(e[17..])));
        if (steps.Count == 0 || anchors.Count == 0)
        {
            throw new InstrumentFileException(sourceName, steps.Count == 0 ? "data_step.ndc lists no steps" : "data_runInfo.ndc stores no record times", expected: "a test with recorded data", code: "NO_ROWS");
        }
        for (int i = 1; i < anchors.Count; i++)
        {
            if (anchors[i].Record <= anchors[i - 1].Record)
            {
                throw new InstrumentFileException(sourceName, $"data_runInfo.ndc entry {i + 1} is for record {anchors[i].Record}, not after record {anchors[i - 1].Record}",
                    field: "data_runInfo.ndc", expected: "record numbers that increase", code: "NDAX_CORRUPT");
            }
        }
        // Test time: the step clock (integer ms) within a step, from 0 at the first record; a later step starts when the
        // wall clock says it did.
        double stepStart = -anchors[0].StepTimeS;
        for (int i = 0; i < anchors.Count; i++)
        {
            var a = anchors[i];
            if (i > 0 && a.Step != anchors[i - 1].Step)
            {
                stepStart = a.UnixTimeS - anchors[0].UnixTimeS - a.StepTimeS;
            }
            anchors[i] = a with { TestTimeS = stepStart + a.StepTimeS };
        }
        var metadata = NdaxMetadata(zip);
        DateTime? start = metadata.TryGetValue("StartTime", out var text) && DateTime.TryParseExact(text, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t : null;
        var info = new CyclerFileInfo(sourceName, NewareNdaxFormatId, $"CyclerFormats {Version} ({NewareNdaxFormatId}, ndc 17)",
            ["Record", "Voltage(V)", "Current(A)", "Cycle", "Step", "Step Type", "Time (interpolated between stored records)", "Chg. Cap.(Ah)", "DChg. Cap.(Ah)", "Chg. Energy(Wh)", "DChg. Energy(Wh)", "Unix time"],
            metadata, start, HasCycles: true, HasSteps: true, HasStepTypes: true);
        return new CyclerRecord(info, _ => NdaxRows(data, sourceName, steps, anchors, untimed => metadata["untimed records"] = untimed.ToString(CultureInfo.InvariantCulture)), zip);
    }

    private static IEnumerator<CyclerSample> NdaxRows(ZipArchiveEntry data, string sourceName, List<NdaxStep> steps, List<NdaxAnchor> anchors, Action<long> reportUntimed)
    {
        using var stream = OpenPart(data, sourceName);
        var page = new byte[NdcPage];
        ReadNdcHeader(stream, page, sourceName, "data.ndc", 1);
        int record = 0, anchor = 0, step = 0;
        long untimed = 0;
        double t0 = anchors[0].UnixTimeS;
        while (ReadNdcPage(stream, page, sourceName, "data.ndc"))
        {
            for (int at = 132; at + 8 <= NdcPage - 4; at += 8)
            {
                if (BinaryPrimitives.ReadInt64LittleEndian(page.AsSpan(at)) == 0)
                {
                    continue; // an unused slot
                }
                record++;
                while (anchor + 1 < anchors.Count && anchors[anchor + 1].Record <= record)
                {
                    anchor++;
                }
                while (step + 1 < steps.Count && steps[step + 1].FirstRecord <= record)
                {
                    step++;
                }
                var a = anchors[anchor];
                if (record < a.Record || (record > a.Record && anchor + 1 == anchors.Count))
                {
                    untimed++;
                    continue;
                }
                double time = a.TestTimeS;
                bool stored = record == a.Record;
                if (!stored)
                {
                    var b = anchors[anchor + 1];
                    time += (b.TestTimeS - a.TestTimeS) * (record - a.Record) / (b.Record - a.Record);
                }
                var s = steps[step];
                yield return new CyclerSample(record, time, BinaryPrimitives.ReadSingleLittleEndian(page.AsSpan(at)), BinaryPrimitives.ReadSingleLittleEndian(page.AsSpan(at + 4)),
                    s.Cycle, s.Number, NewareStepTypes.GetValueOrDefault(s.Type) ?? $"type {s.Type}", double.NaN,
                    stored ? a.ChargeAh : double.NaN, stored ? a.DischargeAh : double.NaN, stored ? a.ChargeWh : double.NaN, stored ? a.DischargeWh : double.NaN, t0 + time);
            }
        }
        reportUntimed(untimed);
    }

    private static List<T> ReadNdcEntries<T>(ZipArchiveEntry part, string sourceName, int fileType, int first, int size, Func<ReadOnlySpan<byte>, bool> used, Func<ReadOnlySpan<byte>, T> read)
    {
        using var stream = OpenPart(part, sourceName);
        var page = new byte[NdcPage];
        ReadNdcHeader(stream, page, sourceName, part.FullName, fileType);
        var entries = new List<T>();
        while (ReadNdcPage(stream, page, sourceName, part.FullName))
        {
            for (int at = first; at + size <= NdcPage - 64; at += size)
            {
                var entry = page.AsSpan(at, size);
                if (used(entry))
                {
                    entries.Add(read(entry));
                }
            }
        }
        return entries;
    }

    private static Stream OpenPart(ZipArchiveEntry part, string sourceName)
    {
        try
        {
            return part.Open();
        }
        catch (InvalidDataException e)
        {
            throw new InstrumentFileException(sourceName, $"{part.FullName} cannot be opened ({e.Message})", field: part.FullName, expected: "an undamaged .ndax archive", code: "NDAX_CORRUPT");
        }
    }

    /// <summary>Reads the next 4,096-byte page of an archive part; false at its end (a last partial page is not used).</summary>
    private static bool ReadNdcPage(Stream stream, byte[] page, string sourceName, string part)
    {
        try
        {
            return stream.ReadAtLeast(page, NdcPage, throwOnEndOfStream: false) == NdcPage;
        }
        catch (InvalidDataException e)
        {
            throw new InstrumentFileException(sourceName, $"{part} cannot be decompressed ({e.Message})", field: part, expected: "an undamaged .ndax archive", code: "NDAX_CORRUPT");
        }
    }

    private static void ReadNdcHeader(Stream stream, byte[] page, string sourceName, string part, int fileType)
    {
        if (!ReadNdcPage(stream, page, sourceName, part))
        {
            throw new InstrumentFileException(sourceName, $"{part} ends inside its header", field: part, expected: "a 4,096-byte ndc header", code: "NDAX_CORRUPT");
        }
        if (page[0] != fileType || page[2] != 17)
        {
            throw new InstrumentFileException(sourceName, $"{part} is ndc file type {page[0]}, version {page[2]}", field: part,
                expected: $"ndc file type {fileType}, version 17 (Neware BTS 8); for other versions export the test as CSV from BTS", code: "NDAX_VERSION");
        }
    }

    /// <summary>TestInfo.xml's attributes (start time, channel, step file, …) and the server version of VersionInfo.xml, as written.</summary>
    private static Dictionary<string, string> NdaxMetadata(ZipArchive zip)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (part, element) in new[] { ("TestInfo.xml", "TestInfo"), ("VersionInfo.xml", "ZwjVersion") })
        {
            if (zip.GetEntry(part) is not { } entry)
            {
                continue;
            }
            try
            {
                using var reader = new StreamReader(entry.Open(), Encoding.Latin1); // declared GB2312; the attributes kept here are ASCII
                string xml = reader.ReadToEnd();
                int declarationEnd = xml.StartsWith("<?xml", StringComparison.Ordinal) ? Math.Max(xml.IndexOf("?>", StringComparison.Ordinal) + 2, 0) : 0;
                foreach (var attribute in XElement.Parse(xml[declarationEnd..]).Descendants(element).FirstOrDefault()?.Attributes() ?? [])
                {
                    metadata.TryAdd(attribute.Name.LocalName, attribute.Value);
                }
            }
            catch (Exception e) when (e is System.Xml.XmlException or InvalidDataException)
            {
                // Metadata only: a damaged description does not stop the data being read.
            }
        }
        return metadata;
    }

    private readonly record struct NdaxStep(int Cycle, int Number, byte Type, int FirstRecord);

    /// <summary>A record whose time and counters data_runInfo.ndc stores; <see cref="TestTimeS"/> is set once all are read.</summary>
    private readonly record struct NdaxAnchor(int Record, int Step, double StepTimeS, double UnixTimeS, double ChargeAh, double DischargeAh, double ChargeWh, double DischargeWh)
    {
        public double TestTimeS { get; init; }
    }
}
