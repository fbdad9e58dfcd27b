using CloudPipeline.Core.Formats.Nmr;
using CloudPipeline.Testing;
using Xunit;

namespace CloudPipeline.Core.Tests.Nmr;

/// <summary>Where an uploaded path belongs in the NMR vendors' folder layouts (Bruker, Varian, Spinsolve, JCAMP-DX).</summary>
public sealed class NmrLayoutTests
{
    [Theory]
    [InlineData("cell1/nmr/10/acqus", "cell1/nmr/10", "bruker", NmrPartKind.Data)]
    [InlineData("10/fid", "10", "bruker", NmrPartKind.Data)]
    [InlineData("10/ser", "10", "bruker", NmrPartKind.Data)]
    [InlineData("fid", "", "bruker", NmrPartKind.Data)]
    [InlineData("10/pdata/1/1r", "10", "bruker", NmrPartKind.Data)]
    [InlineData("10/pdata/1/1i", "10", "bruker", NmrPartKind.Data)]
    [InlineData("pdata/1/procs", "", "bruker", NmrPartKind.Data)]
    [InlineData("a/10/pdata/2/outd", "a/10", "bruker", NmrPartKind.Auxiliary)]
    [InlineData("10/acqu", "10", "bruker", NmrPartKind.Auxiliary)]
    [InlineData("10/pulseprogram", "10", "bruker", NmrPartKind.Auxiliary)]
    [InlineData("x/test2.fid/procpar", "x/test2.fid", "varian", NmrPartKind.Data)]
    [InlineData("test2.fid/fid", "test2.fid", "varian", NmrPartKind.Data)]
    [InlineData("test2.FID/text", "test2.FID", "varian", NmrPartKind.Auxiliary)]
    [InlineData("spin/acqu.par", "spin", "spinsolve", NmrPartKind.Data)]
    [InlineData("spin/data.1d", "spin", "spinsolve", NmrPartKind.Data)]
    [InlineData("spin/spectrum.1d", "spin", "spinsolve", NmrPartKind.Data)]
    [InlineData("x/ethanol.JDX", "x/ethanol.JDX", "jcamp-dx", NmrPartKind.Single)]
    [InlineData("x/testfid.dx", "x/testfid.dx", "jcamp-dx", NmrPartKind.Single)]
    [InlineData("x/spectrum.jcamp", "x/spectrum.jcamp", "jcamp-dx", NmrPartKind.Single)]
    public void Classifies_vendor_paths(string path, string folder, string vendor, NmrPartKind kind)
    {
        Assert.Equal(new NmrPart(folder, vendor, kind), NmrLayout.Classify(path));
    }

    [RealDataTheory]
    [InlineData("bruker1/1")]
    [InlineData("bruker2/2")]
    [InlineData("bruker2/3")]
    public void Every_file_of_a_real_bruker_experiment_belongs_to_that_experiment(string experiment)
    {
        // Uploaded as lab/<experiment>/…: the reader's files are data, everything else TopSpin wrote is kept beside them.
        string[] data = ["acqus", "fid", "pdata/1/procs", "pdata/1/1r", "pdata/1/1i"];
        var files = RealNmr.Files($"bruker-nmr/{experiment}").Keys.ToList();
        Assert.Contains("acqu", files); // the real folders hold auxiliary files too
        Assert.All(files, f => Assert.Equal(new NmrPart($"lab/{experiment}", "bruker", data.Contains(f) ? NmrPartKind.Data : NmrPartKind.Auxiliary), NmrLayout.Classify($"lab/{experiment}/{f}")));
    }

    /// <summary>Other files TopSpin writes into an experiment folder and its pdata/N folders (lists, titles, audit trails, exports) are kept with it, not refused.</summary>
    [Theory]
    [InlineData("acqu2")]
    [InlineData("acqu2s")]
    [InlineData("scon2")]
    [InlineData("uxnmr.par")]
    [InlineData("uxnmr.info")]
    [InlineData("audita.txt")]
    [InlineData("format.temp")]
    [InlineData("specpar")]
    [InlineData("shimvalues")]
    [InlineData("prosol")]
    [InlineData("precom.output")]
    [InlineData("cpdprg2")]
    [InlineData("cpdprg")]
    [InlineData("title")]
    [InlineData("vdlist")]
    [InlineData("vclist")]
    [InlineData("difflist")]
    [InlineData("fq1list")]
    [InlineData("gpnam0")]
    [InlineData("pdata/1/title")]
    [InlineData("pdata/1/thumb.png")]
    [InlineData("pdata/1/peaklist.xml")]
    [InlineData("pdata/1/integrals.txt")]
    [InlineData("pdata/1/parm.txt")]
    public void Other_topspin_files_are_kept_with_their_experiment(string file)
    {
        Assert.Equal(new NmrPart("lab/10", "bruker", NmrPartKind.Auxiliary), NmrLayout.Classify($"lab/10/{file}"));
    }

    [Theory]
    [InlineData("acqu")] // a Bruker auxiliary name needs its experiment folder
    [InlineData("xpdata/1/1r")] // "pdata/" must be a whole folder name; 1r outside pdata is nothing
    [InlineData("10/pdata/1/notes.xyz")]
    [InlineData("spin/DATA.1D")] // Spinsolve writes lower case
    [InlineData("cell1/POL.txt")]
    [InlineData("profile(005).txt")]
    public void Other_paths_are_not_nmr_parts(string path)
    {
        Assert.Null(NmrLayout.Classify(path));
    }

    [Fact]
    public void A_file_identified_as_a_single_file_dataset_is_its_own_dataset_whatever_its_name()
    {
        Assert.Equal(new NmrPart("cell1/li7.txt", "jcamp-dx", NmrPartKind.Single), NmrLayout.Classify("cell1/li7.txt", NmrLayout.SingleFileRole));
        Assert.Equal(new NmrPart("10", "bruker", NmrPartKind.Data), NmrLayout.Classify("10/acqus", "nmr-part"));
        Assert.Null(NmrLayout.Classify("cell1/li7.txt", null));
        Assert.Throws<ArgumentNullException>(() => NmrLayout.Classify(null!));
    }

    [Theory]
    [InlineData("bruker", new[] { "acqus" }, new[] { "fid" })]
    [InlineData("bruker", new[] { "fid", "pdata/1/1r" }, new[] { "acqus" })]
    [InlineData("bruker", new[] { "ser" }, new[] { "acqus" })] // a 2D or arrayed experiment has ser instead of fid
    [InlineData("bruker", new[] { "acqus", "fid" }, new string[0])]
    [InlineData("varian", new string[0], new[] { "procpar", "fid" })]
    [InlineData("varian", new[] { "fid" }, new[] { "procpar" })]
    [InlineData("spinsolve", new[] { "acqu.par" }, new[] { "data.1d" })]
    [InlineData("spinsolve", new[] { "data.1d", "acqu.par" }, new string[0])]
    [InlineData("jcamp-dx", new string[0], new string[0])]
    public void Missing_lists_the_required_files_a_folder_lacks_in_order(string vendor, string[] present, string[] missing)
    {
        Assert.Equal(missing, NmrLayout.Missing(vendor, present));
    }

    [Fact]
    public void Missing_needs_the_list_of_present_files()
    {
        Assert.Equal("present", Assert.Throws<ArgumentNullException>(() => NmrLayout.Missing("bruker", null!)).ParamName);
    }
}
