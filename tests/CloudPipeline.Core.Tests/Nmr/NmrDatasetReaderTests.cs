using System.Text;
using CloudPipeline.Core.Formats;
using CloudPipeline.Core.Formats.Nmr;
using CloudPipeline.Testing;
using Xunit;

namespace CloudPipeline.Core.Tests.Nmr;

/// <summary>How a set of uploaded files becomes one NMR dataset: which vendor layout wins, which files it needs, and what a single file can be.</summary>
public sealed class NmrDatasetReaderTests
{
    private static byte[] Text(string s) => Encoding.Latin1.GetBytes(s);

    private const string Acqus = "##$TD= 4\n##$SW_h= 1000\n##$SFO1= 100\n##$BF1= 100\n##$NUC1= <1H>\n";

    [Fact]
    public void A_bruker_experiment_reads_its_fid_and_the_first_processed_spectrum_beside_it()
    {
        var files = new Dictionary<string, byte[]>
        {
            ["10/acqus"] = Text(Acqus),
            ["10/fid"] = new byte[16],
            ["10/pdata/2/procs"] = Text("##$SI= 1\n##$OFFSET= 9\n##$SW_p= 100\n##$SF= 100\n"),
            ["10/pdata/2/1r"] = [7, 0, 0, 0],
            ["10/pdata/1/procs"] = Text("##$SI= 2\n##$OFFSET= 5\n##$SW_p= 100\n##$SF= 100\n"),
            ["10/pdata/1/1r"] = [1, 0, 0, 0, 2, 0, 0, 0],
            ["10/pdata/1/1i"] = [3, 0, 0, 0, 4, 0, 0, 0],
            ["10/pdata/10/procs"] = Text("##$SI= 1\n##$OFFSET= 9\n##$SW_p= 100\n##$SF= 100\n"),
            ["10/pdata/10/1r"] = [8, 0, 0, 0],
        };
        var d = NmrDatasetReader.Read("cell1/nmr", files);
        Assert.Equal(("bruker", 2), (d.FormatId, d.Fid!.Count));
        Assert.Equal([1.0, 2.0], d.Processed!.Real); // pdata/1 before pdata/2 and pdata/10
        Assert.Equal("cell1/nmr/10/pdata/1/1r", d.Processed.SourceName);
        Assert.Equal([3.0, 4.0], d.Processed.Imaginary!);
        Assert.Equal("cell1/nmr/10/fid", d.Fid.SourceName);
        Assert.Equal(files.Keys.Order(StringComparer.Ordinal), d.Files);
        // A 1i of another length than SI is named by its path.
        var shortImaginary = new Dictionary<string, byte[]>(files) { ["10/pdata/1/1i"] = [3, 0, 0, 0] };
        var ex = Assert.Throws<InstrumentFileException>(() => NmrDatasetReader.Read("cell1/nmr", shortImaginary));
        Assert.StartsWith("cell1/nmr/10/pdata/1/1i", ex.Message, StringComparison.Ordinal);
        // procs without 1r: the FID only.
        files.Remove("10/pdata/1/1r");
        Assert.Null(NmrDatasetReader.Read("cell1/nmr", files).Processed);
    }

    [Theory]
    [InlineData("10/acqus", "the experiment has acqus but no fid", "fid", "10/fid beside acqus (a Bruker experiment needs both)")]
    [InlineData("x.fid/procpar", "the experiment has procpar but no fid", "fid", "fid beside procpar")]
    [InlineData("spin/acqu.par", "the experiment has acqu.par but no data.1d", "data.1d", "data.1d beside acqu.par")]
    public void A_folder_without_its_data_file_names_what_is_missing(string present, string message, string field, string expected)
    {
        var content = present.EndsWith("acqus", StringComparison.Ordinal) ? Text(Acqus) : Text("sw 1 1 1 0 0 2 1 0 1 64\n1 1000\n0\n");
        var ex = Assert.Throws<InstrumentFileException>(() => NmrDatasetReader.Read("cell1/nmr", new Dictionary<string, byte[]> { [present] = content }));
        Assert.Equal(("MISSING_FILE", field), (ex.Code, ex.Field));
        Assert.Contains($"cell1/nmr/{present}, field '{field}': {message}", ex.Message, StringComparison.Ordinal);
        Assert.Equal(expected, ex.Expected);
    }

    [Fact]
    public void A_single_topspin_export_is_a_spectrum_on_its_ppm_axis()
    {
        string profile = "# File created = x\n# Data set = a 5 1 b\n# LEFT = 10 ppm. RIGHT = 0 ppm.\n#\n# SIZE = 3 ( = number of points)\n#\n1\n2\n3\n";
        var d = NmrDatasetReader.Read("li7.txt", new Dictionary<string, byte[]> { ["li7.txt"] = Text(profile) });
        Assert.Equal("topspin-1d-text", d.FormatId);
        Assert.Null(d.Fid);
        Assert.Equal([1.0, 2, 3], d.Processed!.Real);
        // Three points from 10 to 0 ppm are 5 ppm apart; the window is 3 × 5 = 15 ppm wide (SF 1).
        Assert.Equal((10.0, 15.0, 1.0), (d.Processed.OffsetPpm, d.Processed.SpectralWidthHz, d.Processed.FrequencyMHz));
        Assert.Equal("li7.txt", d.Processed.SourceName);
        // From 10 to 4 ppm in three points: 3 ppm apart, a window of 9 ppm.
        var narrow = NmrDatasetReader.Read("li7.txt", new Dictionary<string, byte[]> { ["li7.txt"] = Text(profile.Replace("RIGHT = 0", "RIGHT = 4", StringComparison.Ordinal)) });
        Assert.Equal((10.0, 9.0), (narrow.Processed!.OffsetPpm, narrow.Processed.SpectralWidthHz));
    }

    [Fact]
    public void A_jcamp_file_without_nmr_data_and_unknown_files_are_errors_that_list_what_is_accepted()
    {
        var peaks = Text("##TITLE=p\n##JCAMP-DX=5.01\n##DATA TYPE=PEAK TABLE\n##PEAK TABLE=(XY..XY)\n1, 2\n##END=\n");
        var ex = Assert.Throws<InstrumentFileException>(() => NmrDatasetReader.Read("cell1/p.dx", new Dictionary<string, byte[]> { ["p.dx"] = peaks }));
        Assert.Equal(("NO_SPECTRUM", "DATA TYPE", "NMR FID (NTUPLES) or NMR SPECTRUM (XYDATA)"), (ex.Code, ex.Field, ex.Expected));
        Assert.StartsWith("cell1/p.dx/p.dx", ex.Message, StringComparison.Ordinal);
        var unknown = Assert.Throws<InstrumentFileException>(() => NmrDatasetReader.Read("cell1/nmr", new Dictionary<string, byte[]> { ["b.txt"] = Text("b"), ["a.txt"] = Text("a") }));
        Assert.Equal(("UNKNOWN_FORMAT", "files"), (unknown.Code, unknown.Field));
        Assert.Contains("no NMR dataset recognised among 2 file(s) (a.txt, b.txt)", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("a Bruker experiment (acqus + fid)", unknown.Message, StringComparison.Ordinal);
    }

    [RealDataFact]
    public void A_jcamp_file_of_several_blocks_is_read_from_its_spectrum_block_with_data()
    {
        // ethanol_nmr.jdx: a link block, a structure, assignments, a peak table typed NMR SPECTRUM (no XYDATA), then the
        // data block (nmr.md oracle 13: 16,384 points, first y 1136.1 after YFACTOR 0.1).
        var d = RealNmr.Read("jcamp-dx/ethanol_nmr.jdx");
        Assert.Null(d.Fid);
        Assert.Equal(16384, d.Processed!.Real.Length);
        Assert.Equal(1136.1, d.Processed.Real[0], 1e-9);
    }

    [Fact]
    public void A_jcamp_fid_block_without_columns_is_not_taken_for_an_fid()
    {
        // An NMR FID written as one XYDATA column has no NTUPLES columns (real and imaginary), so there is no FID to read.
        var text = Text("##TITLE=f\n##JCAMP-DX=5.01\n##DATA TYPE=NMR FID\n##NPOINTS=2\n##FIRSTX=0\n##LASTX=1\n##XFACTOR=1\n##YFACTOR=1\n##XYDATA=(X++(Y..Y))\n0 1 2\n##END=\n");
        var ex = Assert.Throws<InstrumentFileException>(() => NmrDatasetReader.Read("f.dx", new Dictionary<string, byte[]> { ["f.dx"] = text }));
        Assert.Equal(("NO_SPECTRUM", "f.dx"), (ex.Code, ex.FileName));
    }

    /// <summary>Each layout names its format and reader with version, and finds its files at the root or one folder down.</summary>
    [RealDataTheory]
    [InlineData("varian-nmr/test2.fid", "varian", "VarianReader 1.0.0", "fid")]
    [InlineData("spinsolve-nmr/1D_exp_1_20240725-103717", "spinsolve", "SpinsolveReader 1.0.0", "data.1d")]
    [InlineData("bruker-nmr/bruker2/2", "bruker", "BrukerReader 1.0.0", "fid")]
    public void A_vendor_folder_at_the_root_or_inside_another_reads_the_same(string relative, string formatId, string reader, string data)
    {
        var files = RealNmr.Files(relative);
        var atRoot = NmrDatasetReader.Read("set", files);
        Assert.Equal((formatId, reader), (atRoot.FormatId, atRoot.Reader));
        Assert.Equal($"set/{data}", atRoot.Fid!.SourceName);
        var nested = NmrDatasetReader.Read("set", files.ToDictionary(f => "run7/" + f.Key, f => f.Value));
        Assert.Equal((formatId, reader), (nested.FormatId, nested.Reader));
        Assert.Equal($"set/run7/{data}", nested.Fid!.SourceName);
        Assert.Equal(atRoot.Fid.Points, nested.Fid.Points);
    }

    [Fact]
    public void Of_two_bruker_experiments_the_shallower_then_the_first_by_name_is_read()
    {
        var files = new Dictionary<string, byte[]>
        {
            ["a/b/acqus"] = Text(Acqus.Replace("TD= 4", "TD= 8", StringComparison.Ordinal)),
            ["a/b/fid"] = new byte[32],
            ["zz-exp/acqus"] = Text(Acqus),
            ["zz-exp/fid"] = [1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0],
            ["yy-exp/acqus"] = Text(Acqus),
            ["yy-exp/fid"] = [5, 0, 0, 0, 6, 0, 0, 0, 7, 0, 0, 0, 8, 0, 0, 0],
        };
        var d = NmrDatasetReader.Read("set", files);
        Assert.Equal(("BrukerReader 1.0.0", "set/yy-exp/fid"), (d.Reader, d.Fid!.SourceName)); // by depth, not by length
        Assert.Equal(2, d.Fid.Count);
        var jcamp = RealNmr.Read("jcamp-dx/TESTFID.DX");
        Assert.Equal(("jcamp-dx", "JcampDxReader 1.0.1"), (jcamp.FormatId, jcamp.Reader));
        var spectrum = RealNmr.Read("jcamp-dx/BRUKDIF.DX");
        Assert.Equal(("jcamp-dx", "JcampDxReader 1.0.1"), (spectrum.FormatId, spectrum.Reader));
        Assert.Null(spectrum.Fid);
        Assert.Equal("TopSpinProfileReader 1.0.0", NmrDatasetReader.Read("li7.txt", new Dictionary<string, byte[]> { ["li7.txt"] = Text("# LEFT = 10 ppm. RIGHT = 0 ppm.\n# SIZE = 2\n1\n2\n") }).Reader);
        Assert.Equal("files", Assert.Throws<ArgumentNullException>(() => NmrDatasetReader.Read("set", null!)).ParamName);
    }
}
