using System.Text;
using CloudPipeline.Core.Formats;
using CloudPipeline.Core.Formats.Cycler;
using CloudPipeline.Testing;
using Xunit;

namespace CloudPipeline.Core.Tests.Identification;

/// <summary>
/// What <see cref="FormatRegistry"/> identifies real files as, and the summary, first and last records it shows for
/// them; the values are those SOURCES.md and the specs state for the files.
/// </summary>
public sealed class FormatRegistryTests
{
    private static IdentifiedFile Identify(string name, params string[] real) => FormatRegistry.Default.Identify(name, File.ReadAllBytes(SharedData.RealFile(real)));

    [RealDataFact]
    public void A_topspin_profile_shows_its_size_expno_axis_and_first_value()
    {
        // mri-drift-velocity.md §9.1: SIZE 256, LEFT 187.76339721679688, RIGHT −343.2189798116477, EXPNO 5, first 13824.080078125.
        var f = Identify("MRI10mm_Li_PEO_Li7(005).txt", "thienenkamp-mri", "Li_Li", "MRI10mm_Li_PEO_Li7(005).txt");
        Assert.Equal(("topspin-1d-text", "mri", "profile", "256 points, EXPNO 5", 256), (f.FormatId, f.Technique, f.Role, f.Summary, f.Points));
        Assert.Equal(["intensity (a.u.), 187.76339721679688 → -343.2189798116477 ppm"], f.Columns);
        Assert.Equal("13824.080078125", f.First);
        Assert.StartsWith("TopSpinProfileReader ", f.Reader, StringComparison.Ordinal);
    }

    [RealDataFact]
    public void An_impedance_spectrum_shows_its_first_and_last_points_with_the_sign_of_z_imaginary()
    {
        // eis.md §2: 43 points, 1000.3201 Hz 65.470886−0.38998979j … 0.01689554 Hz 110.97003−2.3458567j.
        var f = Identify("exampleDataBioLogic.mpt", "eclab", "exampleDataBioLogic.mpt");
        Assert.Equal(("eis", "spectrum", "43 points", 43), (f.Technique, f.Role, f.Summary, f.Points));
        Assert.Equal(["f (Hz)", "Z' (Ohm)", "Z'' (Ohm)"], f.Columns.Take(3));
        Assert.Equal("f = 1000.3201 Hz, Z = 65.470886 - 0.38998979j Ohm", f.First);
        Assert.Equal("f = 0.01689554 Hz, Z = 110.97003 - 2.3458567j Ohm", f.Last);
        // An inductive first point is shown with a plus sign: the Autolab file's first row is 10000 Hz,
        // 0.013785863964281 + 0.007191946305823j, shown to ten significant digits.
        var autolab = Identify("exampleDataAutolab.txt", "autolab-txt", "exampleDataAutolab.txt");
        Assert.Equal("f = 10000 Hz, Z = 0.01378586396 + 0.007191946306j Ohm", autolab.First);
        Assert.Equal(41, autolab.Points);
    }

    [RealDataFact]
    public void A_polarisation_record_shows_rows_duration_and_its_rows_in_file_units()
    {
        // mri-drift-velocity.md §9.1: 1022 rows, 2.55705 h 0.16491 V 0.09984 mA/cm² … 9.09941 h 1.49983 V 0.02381 mA/cm².
        var f = Identify("POL.txt", "thienenkamp-mri", "Li_Li", "POL.txt");
        Assert.Equal(("zahner-polarisation-text", "electrochemistry", "polarisation", 1022), (f.FormatId, f.Technique, f.Role, f.Points));
        Assert.Equal("1022 rows over 6.542 h", f.Summary); // 9.09941 − 2.55705 = 6.54236 h
        Assert.Equal("t = 2.55705 h, V = 0.16491 V, j = 0.09984 mA/cm²", f.First);
        Assert.Equal("t = 9.09941 h, V = 1.49983 V, j = 0.02381 mA/cm²", f.Last);
        Assert.Equal(["time (h)", "cell voltage (V)", "current density (mA/cm²)"], f.Columns);
    }

    [RealDataFact]
    public void A_cycler_export_shows_rows_cycles_and_its_first_and_last_records()
    {
        // The Neware export: 9065 rows, cycles 1–4; first 0 s 2.9170 V 0 A (Rest, step 1), last 518538 s 0.4251 V 0.00099171 A.
        var f = Identify("neware_uio.csv", "neware-csv", "neware_uio.csv");
        Assert.Equal(("neware-csv", "cycler", "timeseries", "9065 rows, cycles 1–4", 9065), (f.FormatId, f.Technique, f.Role, f.Summary, f.Points));
        Assert.Equal("line 2: t = 0 s, V = 2.917 V, I = 0 A, cycle 1, step 1 (Rest)", f.First);
        Assert.Equal("line 9066: t = 518538 s, V = 0.4251 V, I = 0.00099171 A, cycle 4, step 13 (CC Chg)", f.Last);
    }

    [RealDataFact]
    public void Bruker_folder_parts_show_their_parameters_and_their_dataset()
    {
        // SOURCES.md §3a, bruker2/2: 31P, TD 17542, SW_h 14619.8830409357 Hz; procs SI 65536, OFFSET 31.47019; fid 70656 B; outd 407 B.
        var acqus = Identify("cell1/nmr/2/acqus", "bruker-nmr", "bruker2", "2", "acqus");
        Assert.Equal(("bruker-acqus", "nmr", "nmr-part"), (acqus.FormatId, acqus.Technique, acqus.Role));
        Assert.Equal("31P, TD 17542, SW_h 14619.883 Hz; part of NMR dataset cell1/nmr/2", acqus.Summary);
        var procs = Identify("cell1/nmr/2/pdata/1/procs", "bruker-nmr", "bruker2", "2", "pdata", "1", "procs");
        Assert.Equal("SI 65536, OFFSET 31.4702 ppm; part of NMR dataset cell1/nmr/2", procs.Summary);
        var fid = Identify("fid", "bruker-nmr", "bruker2", "2", "fid");
        Assert.Equal(("bruker-fid", "70656 bytes of binary data; part of the experiment's NMR dataset", 70656), (fid.FormatId, fid.Summary, fid.Points));
        var outd = Identify("cell1/nmr/2/pdata/1/outd", "bruker-nmr", "bruker2", "2", "pdata", "1", "outd");
        Assert.Equal(("bruker-auxiliary", "nmr-auxiliary", "407 bytes, kept with NMR dataset cell1/nmr/2", 407), (outd.FormatId, outd.Role, outd.Summary, outd.Points));
    }

    [RealDataFact]
    public void Varian_and_spinsolve_parts_show_what_they_hold()
    {
        // SOURCES.md §3c: data.1d holds 16384 complex points.
        var data = Identify("spin/data.1d", "spinsolve-nmr", "1D_exp_1_20240725-103717", "data.1d");
        Assert.Equal(("spinsolve-data.1d", "16384 complex points; part of NMR dataset spin"), (data.FormatId, data.Summary));
        var acqu = Identify("spin/acqu.par", "spinsolve-nmr", "1D_exp_1_20240725-103717", "acqu.par");
        Assert.Equal("74 parameters; part of NMR dataset spin", acqu.Summary); // acqu.par has 74 "key = value" lines
        var procpar = Identify("test2.fid/procpar", "varian-nmr", "test2.fid", "procpar");
        Assert.Equal("varian-procpar", procpar.FormatId);
        // procpar holds 557 parameter header lines ("name subtype basictype max min step Ggroup Dgroup protection active intptr").
        Assert.Equal("557 parameters; part of NMR dataset test2.fid", procpar.Summary);
    }

    [RealDataFact]
    public void A_jcamp_dx_fid_is_a_dataset_of_its_own()
    {
        // SOURCES.md §3c: nmr_fid.dx is an NTUPLES NMR FID with VAR_DIM 16384, the same FID as data.1d (1H).
        var f = Identify("cell1/li7.dx", "spinsolve-nmr", "1D_exp_1_20240725-103717", "nmr_fid.dx");
        Assert.Equal(("jcamp-dx", "nmr", "nmr-spectrum", "NMR FID, 1H, 16384 complex points", 16384), (f.FormatId, f.Technique, f.Role, f.Summary, f.Points));
        Assert.Equal(["FID real, imaginary"], f.Columns);
    }

    [RealDataFact]
    public void An_arbin_res_database_is_recognised_and_asks_for_an_export()
    {
        var ex = Assert.Throws<InstrumentFileException>(() => Identify("test.res", "arbin-res", "20160805_test001_45_cc_01.res"));
        Assert.Equal("EXPORT_NEEDED", ex.Code);
        Assert.Contains("Microsoft Access (Jet) database", ex.Message, StringComparison.Ordinal);
        Assert.Contains("a CSV or text export of the test", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_manifest_shows_its_cell_area_and_mri_section()
    {
        var plain = FormatRegistry.Default.Identify("experiment.json", Encoding.UTF8.GetBytes("""{ "schemaVersion": 1, "cellId": "A1", "electrodeAreaCm2": 0.283 }"""));
        Assert.Equal(("experiment-manifest", "manifest", "manifest", "cell A1", 1), (plain.FormatId, plain.Technique, plain.Role, plain.Summary, plain.Points));
        Assert.Equal("cellId A1, area 0.283 cm²", plain.First);
        Assert.Equal("no mriDrift section", plain.Last);
        // Recognised by content under another name; no cell and no area shown as "-".
        var bare = FormatRegistry.Default.Identify("setup.txt", Encoding.UTF8.GetBytes("""  { "schemaVersion": 1, "mriDrift": { "flipProfile": true } }"""));
        Assert.Equal(("manifest", "cellId -, area - cm²"), (bare.Summary, bare.First));
        Assert.StartsWith("mriDrift: flipProfile True, D model on ", bare.Last, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_binary_and_unknown_text_files_are_errors_that_say_what_was_expected()
    {
        var empty = Assert.Throws<InstrumentFileException>(() => FormatRegistry.Default.Identify("x.txt", []));
        Assert.Equal("EMPTY", empty.Code);
        Assert.Contains("x.txt", empty.Message, StringComparison.Ordinal);
        var binary = Assert.Throws<InstrumentFileException>(() => FormatRegistry.Default.Identify("x.bin", [0x01, 0x00, 0x02, 0x03]));
        Assert.Equal("UNKNOWN_FORMAT", binary.Code);
        Assert.Contains("binary", binary.Message, StringComparison.Ordinal);
        var text = Assert.Throws<InstrumentFileException>(() => FormatRegistry.Default.Identify("notes.txt", Encoding.UTF8.GetBytes("a shopping list\nmilk\n")));
        Assert.Equal("UNKNOWN_FORMAT", text.Code);
        Assert.Contains("matches no supported format", text.Message, StringComparison.Ordinal);
        Assert.Contains("topspin-1d-text", text.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("binary", text.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_binary_and_unknown_files_say_what_they_are_and_list_the_formats_read()
    {
        var registry = FormatRegistry.Default;
        var empty = Assert.Throws<InstrumentFileException>(() => registry.Identify("e.csv", []));
        Assert.Equal(("EMPTY", "an instrument export or experiment.json"), (empty.Code, empty.Expected));
        Assert.Contains("e.csv", empty.Message, StringComparison.Ordinal);
        Assert.Contains("the file is empty", empty.Message, StringComparison.Ordinal);
        string formats = "one of: experiment-manifest, nmr-folder-part, jcamp-dx, topspin-1d-text, biologic-mpr, cycler, cycler-native, eis, zahner-polarisation-text";
        var binary = Assert.Throws<InstrumentFileException>(() => registry.Identify("b.bin", [1, 0, 2, 0, 3]));
        Assert.Equal(("UNKNOWN_FORMAT", formats), (binary.Code, binary.Expected));
        Assert.Contains("the file is binary and matches no supported binary format", binary.Message, StringComparison.Ordinal);
        var text = Assert.Throws<InstrumentFileException>(() => registry.Identify("notes.txt", "hello\nworld\n"u8.ToArray()));
        Assert.Equal(("UNKNOWN_FORMAT", formats), (text.Code, text.Expected));
        Assert.Contains("the content matches no supported format", text.Message, StringComparison.Ordinal);
        Assert.Equal("content", Assert.Throws<ArgumentNullException>(() => registry.Identify("x", null!)).ParamName);
    }

    [Fact]
    public void A_cycler_record_from_cycle_0_without_steps_and_cut_in_its_last_row_says_so()
    {
        // Three Arbin rows with cycle 0 and no step index, the last cut inside its voltage; times relative to the first row.
        string csv = "Data_Point,Test_Time,DateTime,Current,Voltage,Cycle_Index\n1,10,0,0.5,3.1,0\n2,12.5,0,0.5,3.2,0\n3,15,0,0.5,3.";
        var f = FormatRegistry.Default.Identify("c.csv", Encoding.UTF8.GetBytes(csv));
        Assert.Equal(("arbin-csv", $"CyclerFormats {CyclerFormats.Version} (arbin-csv)"), (f.FormatId, f.Reader));
        Assert.Equal("2 rows, cycles 0–0; the last row is incomplete (the file ends inside it) and not used", f.Summary);
        Assert.Equal("line 2: t = 0 s, V = 3.1 V, I = 0.5 A, cycle 0", f.First);
        Assert.Equal("line 3: t = 2.5 s, V = 3.2 V, I = 0.5 A, cycle 0", f.Last);
        // Without a cycle column there is no cycle range.
        var plain = FormatRegistry.Default.Identify("p.csv", "Data_Point,Test_Time,DateTime,Current,Voltage\n1,0,0,1,3\n2,1,0,1,3.1\n"u8.ToArray());
        Assert.Equal("2 rows", plain.Summary);
        Assert.Equal("line 3: t = 1 s, V = 3.1 V, I = 1 A", plain.Last);
    }
}
