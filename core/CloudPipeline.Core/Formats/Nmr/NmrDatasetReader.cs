using System.Text;
using CloudPipeline.Core.Formats.Mri;

namespace CloudPipeline.Core.Formats.Nmr;

/// <summary>One NMR dataset as read: the FID when the data has one, the vendor's processed spectrum when it has one.</summary>
/// <param name="Name">The dataset's name (folder or file).</param>
/// <param name="FormatId">The format id, e.g. <c>bruker</c>, <c>jcamp-dx</c>.</param>
/// <param name="Reader">The reader and its version, for provenance.</param>
/// <param name="Fid">The FID, or null for processed-only data.</param>
/// <param name="Processed">The vendor's processed spectrum (Bruker <c>1r</c>/<c>1i</c>, a JCAMP-DX or totxt spectrum), or null.</param>
/// <param name="Procs">Bruker <c>procs</c>, whose PHC0/PHC1/LB/SI reproduce the vendor's processing, or null.</param>
/// <param name="Files">The files the dataset was read from.</param>
public sealed record NmrDataset(string Name, string FormatId, string Reader, NmrFid? Fid, NmrSpectrum? Processed, BrukerParameters? Procs, IReadOnlyList<string> Files);

/// <summary>
/// Recognises an NMR dataset from its files (relative paths with <c>/</c>, as uploaded or on disk) and reads each file
/// once: a Bruker experiment folder (<c>acqus</c> + <c>fid</c> [+ <c>pdata/N/procs</c>, <c>1r</c>, <c>1i</c>]), a Varian
/// <c>.fid</c> folder (<c>fid</c> + <c>procpar</c>), a Spinsolve folder (<c>acqu.par</c> + <c>data.1d</c>), a JCAMP-DX file or a
/// TopSpin text export.
/// </summary>
public static class NmrDatasetReader
{
    /// <summary>The files that must be present before a Bruker experiment can be processed.</summary>
    public static readonly IReadOnlyList<string> BrukerRequired = ["acqus", "fid"];

    /// <summary>Reads a dataset.</summary>
    /// <param name="name">The dataset's name, for messages.</param>
    /// <param name="files">Relative path → content.</param>
    /// <exception cref="InstrumentFileException">A required file is missing, or a file cannot be read.</exception>
    public static NmrDataset Read(string name, IReadOnlyDictionary<string, byte[]> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        string? Find(string fileName) => files.Keys.Where(k => Path.GetFileName(k) == fileName).OrderBy(k => k.Count(c => c == '/')).ThenBy(k => k, StringComparer.Ordinal).FirstOrDefault();
        string Qualified(string key) => $"{name}/{key}";
        var list = files.Keys.OrderBy(k => k, StringComparer.Ordinal).ToList();

        if (Find("acqus") is { } acqusKey)
        {
            var acqus = BrukerParameters.Parse(Latin1(files[acqusKey]), Qualified(acqusKey));
            string root = acqusKey[..(acqusKey.LastIndexOf('/') + 1)]; // "" at the top
            if (!files.TryGetValue(root + "fid", out var fid))
            {
                throw new InstrumentFileException(Qualified(acqusKey), "the experiment has acqus but no fid", field: "fid", expected: $"{root}fid beside acqus (a Bruker experiment needs both)", code: "MISSING_FILE");
            }
            var procsKey = files.Keys.Where(k => k.StartsWith(root + "pdata/", StringComparison.Ordinal) && k.EndsWith("/procs", StringComparison.Ordinal))
                .OrderBy(k => k.Length).ThenBy(k => k, StringComparer.Ordinal).FirstOrDefault();
            BrukerParameters? procs = procsKey is null ? null : BrukerParameters.Parse(Latin1(files[procsKey]), Qualified(procsKey));
            var parsedFid = BrukerReader.ReadFid(acqus, fid, Qualified(root + "fid"), procs);
            NmrSpectrum? processed = null;
            // Stryker disable once Logical : procs is null exactly when procsKey is (the second test only informs the compiler).
            if (procsKey is not null && procs is not null)
            {
                string pdata = procsKey[..(procsKey.Length - "procs".Length)];
                if (files.TryGetValue(pdata + "1r", out var r))
                {
                    files.TryGetValue(pdata + "1i", out var i);
                    processed = BrukerReader.ReadProcessed(procs, r, Qualified(pdata + "1r"), i, Qualified(pdata + "1i"));
                }
            }
            return new NmrDataset(name, "bruker", $"BrukerReader {BrukerReader.Version}", parsedFid, processed, procs, list);
        }
        if (Find("procpar") is { } procparKey)
        {
            string root = procparKey[..(procparKey.LastIndexOf('/') + 1)]; // "" at the top
            if (!files.TryGetValue(root + "fid", out var fid))
            {
                throw new InstrumentFileException(Qualified(procparKey), "the experiment has procpar but no fid", field: "fid", expected: "fid beside procpar", code: "MISSING_FILE");
            }
            var procpar = VarianReader.ReadProcpar(Latin1(files[procparKey]), Qualified(procparKey));
            return new NmrDataset(name, "varian", $"VarianReader {VarianReader.Version}", VarianReader.ReadFid(fid, Qualified(root + "fid"), procpar, Qualified(procparKey)), null, null, list);
        }
        if (Find("acqu.par") is { } acquKey)
        {
            string root = acquKey[..(acquKey.LastIndexOf('/') + 1)]; // "" at the top
            if (!files.TryGetValue(root + "data.1d", out var data))
            {
                throw new InstrumentFileException(Qualified(acquKey), "the experiment has acqu.par but no data.1d", field: "data.1d", expected: "data.1d beside acqu.par", code: "MISSING_FILE");
            }
            var acqu = SpinsolveReader.ReadParameters(Latin1(files[acquKey]));
            return new NmrDataset(name, "spinsolve", $"SpinsolveReader {SpinsolveReader.Version}", SpinsolveReader.ReadFid(data, Qualified(root + "data.1d"), acqu, Qualified(acquKey)), null, null, list);
        }
        if (files.Count == 1)
        {
            // Stryker disable once Linq : the dictionary has exactly one entry here.
            var (key, content) = files.First();
            string text = Latin1(content);
            string source = files.Count == 1 && key == name ? name : Qualified(key);
            if (JcampDxReader.Sniff(text))
            {
                var blocks = JcampDxReader.Read(text, source);
                string reader = $"JcampDxReader {JcampDxReader.Version}";
                if (blocks.FirstOrDefault(b => b.DataType.Contains("FID", StringComparison.Ordinal) && b.Columns.Count > 0) is { } fidBlock)
                {
                    return new NmrDataset(name, "jcamp-dx", reader, JcampDxReader.ToFid(fidBlock, source), null, null, list);
                }
                if (blocks.FirstOrDefault(b => b.DataType.Contains("SPECTRUM", StringComparison.Ordinal) && b.X is not null && b.Records.Any(r => r.Key == "XYDATA")) is { } spectrumBlock)
                {
                    return new NmrDataset(name, "jcamp-dx", reader, null, JcampDxReader.ToSpectrum(spectrumBlock, source), null, list);
                }
                throw new InstrumentFileException(source, "the file has no NMR FID or NMR SPECTRUM block with data", field: "DATA TYPE", expected: "NMR FID (NTUPLES) or NMR SPECTRUM (XYDATA)", code: "NO_SPECTRUM");
            }
            if (TopSpinProfileReader.Sniff(text))
            {
                var profile = TopSpinProfileReader.Read(content, source);
                // totxt: the first and last values sit at LEFT and RIGHT (spec §1.3); no frequency, so the axis is kept in ppm (SF = 1).
                double step = (profile.LeftPpm - profile.RightPpm) / (profile.Size - 1);
                var spectrum = new NmrSpectrum(source, profile.Values, null, profile.LeftPpm, step * profile.Size, 1);
                return new NmrDataset(name, "topspin-1d-text", $"TopSpinProfileReader {TopSpinProfileReader.Version}", null, spectrum, null, list);
            }
        }
        throw new InstrumentFileException(name, $"no NMR dataset recognised among {files.Count} file(s) ({string.Join(", ", list.Take(8))})", field: "files",
            expected: "a Bruker experiment (acqus + fid), a Varian .fid folder (fid + procpar), a Spinsolve folder (acqu.par + data.1d), a JCAMP-DX file or a TopSpin text export", code: "UNKNOWN_FORMAT");
    }

    private static string Latin1(byte[] bytes) => Encoding.Latin1.GetString(bytes);
}
