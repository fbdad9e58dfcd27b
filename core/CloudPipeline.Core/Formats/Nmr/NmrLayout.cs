namespace CloudPipeline.Core.Formats.Nmr;

/// <summary>What an uploaded file is within an NMR dataset.</summary>
public enum NmrPartKind
{
    /// <summary>A file the reader needs (acqus, fid, procs, 1r, procpar, acqu.par, data.1d, …).</summary>
    Data,

    /// <summary>A vendor file kept with the dataset but not read (acqu, scon, outd, text, log, …).</summary>
    Auxiliary,

    /// <summary>A file that is a dataset on its own (JCAMP-DX).</summary>
    Single,
}

/// <summary>Where an uploaded file belongs: its NMR dataset folder (a path within the experiment), vendor and kind.</summary>
/// <param name="Folder">The dataset's folder (empty for the experiment's root), or the file's own path for a single-file dataset.</param>
/// <param name="Vendor"><c>bruker</c>, <c>varian</c>, <c>spinsolve</c> or <c>jcamp-dx</c>.</param>
/// <param name="Kind">The file's kind.</param>
public sealed record NmrPart(string Folder, string Vendor, NmrPartKind Kind);

/// <summary>
/// The folder layouts of NMR vendors, by path alone (ingestion sees one file at a time): a Bruker experiment folder
/// (<c>acqus</c>, <c>fid</c>/<c>ser</c>, <c>pdata/N/…</c>), a Varian <c>*.fid</c> folder, a Spinsolve folder
/// (<c>acqu.par</c>, <c>*.1d</c>). The readiness check asks which required files a folder still lacks.
/// </summary>
public static class NmrLayout
{
    private static readonly HashSet<string> BrukerData = new(StringComparer.Ordinal) { "acqus", "fid", "ser" };
    private static readonly HashSet<string> BrukerProcessed = new(StringComparer.Ordinal) { "procs", "1r", "1i" };

    private static readonly HashSet<string> BrukerAuxiliary = new(StringComparer.Ordinal)
    {
        "acqu", "acqum", "acqums", "acqu2", "acqu2s", "scon", "scon2", "pulseprogram", "uxnmr.par", "uxnmr.info", "audita.txt", "format.temp",
        "specpar", "shimvalues", "prosol", "precom.output", "cpdprg2", "cpdprg", "title", "vdlist", "vclist", "difflist", "fq1list", "gpnam0",
    };

    private static readonly HashSet<string> BrukerPdataAuxiliary = new(StringComparer.Ordinal)
    {
        "proc", "outd", "meta", "meta.ext", "auditp.txt", "intrng", "peaks", "curdat2", "title", "thumb.png", "peaklist.xml", "integrals.txt", "parm.txt",
    };

    /// <summary>The part a path is, or null when the path is no NMR vendor layout.</summary>
    public static NmrPart? Classify(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string name = Path.GetFileName(path);
        string parent = path.Contains('/') ? path[..path.LastIndexOf('/')] : "";
        int pdata = path.IndexOf("pdata/", StringComparison.Ordinal);
        if (pdata >= 0 && (pdata == 0 || path[pdata - 1] == '/'))
        {
            string folder = pdata == 0 ? "" : path[..(pdata - 1)];
            if (BrukerProcessed.Contains(name))
            {
                return new NmrPart(folder, "bruker", NmrPartKind.Data);
            }
            if (BrukerPdataAuxiliary.Contains(name))
            {
                return new NmrPart(folder, "bruker", NmrPartKind.Auxiliary);
            }
        }
        if (parent.EndsWith(".fid", StringComparison.OrdinalIgnoreCase))
        {
            return new NmrPart(parent, "varian", name is "fid" or "procpar" ? NmrPartKind.Data : NmrPartKind.Auxiliary);
        }
        if (name == "acqu.par" || name.EndsWith(".1d", StringComparison.Ordinal))
        {
            return new NmrPart(parent, "spinsolve", NmrPartKind.Data);
        }
        if (BrukerData.Contains(name))
        {
            return new NmrPart(parent, "bruker", NmrPartKind.Data);
        }
        if (BrukerAuxiliary.Contains(name) && parent.Length > 0)
        {
            return new NmrPart(parent, "bruker", NmrPartKind.Auxiliary);
        }
        string extension = Path.GetExtension(name).ToLowerInvariant();
        if (extension is ".dx" or ".jdx" or ".jcamp")
        {
            return new NmrPart(path, "jcamp-dx", NmrPartKind.Single);
        }
        return null;
    }

    /// <summary>
    /// The part a catalogued NMR file is: a file identified by content as a single-file NMR dataset (role
    /// <c>nmr-spectrum</c>, e.g. JCAMP-DX under any name) is its own dataset; other files go by their path.
    /// </summary>
    public static NmrPart? Classify(string path, string? role) =>
        role == SingleFileRole ? new NmrPart(path, "jcamp-dx", NmrPartKind.Single) : Classify(path);

    /// <summary>The role of a file that is an NMR dataset on its own.</summary>
    public const string SingleFileRole = "nmr-spectrum";

    /// <summary>The files a folder of <paramref name="vendor"/> still lacks, given the paths (relative to the folder) present.</summary>
    public static IReadOnlyList<string> Missing(string vendor, IReadOnlyCollection<string> present)
    {
        ArgumentNullException.ThrowIfNull(present);
        string[] required = vendor switch
        {
            "bruker" => present.Contains("ser") ? ["acqus", "ser"] : ["acqus", "fid"],
            "varian" => ["procpar", "fid"],
            "spinsolve" => ["acqu.par", "data.1d"],
            _ => [],
        };
        return required.Where(r => !present.Contains(r)).ToList();
    }
}
