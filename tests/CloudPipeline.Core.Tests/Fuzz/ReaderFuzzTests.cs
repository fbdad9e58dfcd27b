using System.Globalization;
using CloudPipeline.Core.Formats;
using CloudPipeline.Testing;
using Xunit;
using Xunit.Abstractions;

namespace CloudPipeline.Core.Tests.Fuzz;

/// <summary>
/// Every reader against mutated copies of the real files (<see cref="ReaderFuzzer"/>). CI runs 10,000 copies;
/// <c>CLOUDPIPELINE_FUZZ_COPIES=100000 dotnet test tests/CloudPipeline.Core.Tests -c Release --filter ReaderFuzzTests --logger "console;verbosity=detailed"</c>
/// runs more and prints copies per second; <c>CLOUDPIPELINE_FUZZ_SEED</c> changes the seed (16 by default).
/// </summary>
public sealed class ReaderFuzzTests(ITestOutputHelper output)
{
    [Fact]
    public void Mutated_copies_of_every_real_file_read_to_the_same_values_or_fail_naming_the_file()
    {
        int copies = int.TryParse(Environment.GetEnvironmentVariable("CLOUDPIPELINE_FUZZ_COPIES"), NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : 10_000;
        var fuzzer = ReaderFuzzer.FromRealFiles();
        int seed = int.TryParse(Environment.GetEnvironmentVariable("CLOUDPIPELINE_FUZZ_SEED"), NumberStyles.None, CultureInfo.InvariantCulture, out int s) ? s : 16;
        var (failures, elapsed, outcomes) = fuzzer.Run(copies, seed);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{copies:N0} copies of {fuzzer.FileCount} real files in {elapsed.TotalSeconds:F1} s = {copies / elapsed.TotalSeconds:F0} copies/s; {string.Join(", ", outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key} {o.Value:N0}"))}"));
        foreach (var f in failures.Take(40))
        {
            output.WriteLine($"{f.File}: {f.Mutation}: {f.Problem}");
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {copies} copies failed; first: {failures.FirstOrDefault()}");
    }

    // Regression tests, one per bug the harness found, named after the mutation.

    [Fact]
    public void Fuzz_bruker_proc_with_its_first_10_lines_replaced_by_a_topspin_profile_header()
    {
        // The spliced file had a profile's header and no intensities: identification indexed the first of no values.
        var proc = File.ReadAllLines(SharedData.RealFile("bruker-nmr", "bruker1", "1", "pdata", "1", "proc"));
        var profile = File.ReadAllLines(SharedData.RealFile("thienenkamp-mri", "Li_Li", "MRI10mm_Li_PEO_Li7(069).txt"));
        string spliced = string.Join('\n', profile.Take(10).Concat(proc.Skip(10)).Where(l => l.StartsWith('#') || l.StartsWith("##", StringComparison.Ordinal))) + "\n";
        var ex = Assert.Throws<InstrumentFileException>(() => FormatRegistry.Default.Identify("proc", System.Text.Encoding.UTF8.GetBytes(spliced)));
        Assert.Equal("NO_VALUES", ex.Code);
        Assert.Contains("proc", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fuzz_mpr_with_19_bytes_zeroed_at_byte_76()
    {
        // Zeros over the first module's header made its length read past the file as a negative int: a crash, not an error.
        byte[] bytes = File.ReadAllBytes(SharedData.RealFile("eclab", "peis.issue_149.mpr"));
        Array.Clear(bytes, 76, 19);
        var ex = Assert.Throws<InstrumentFileException>(() => FormatRegistry.Default.Identify("peis.issue_149.mpr", bytes));
        Assert.StartsWith("MPR_", ex.Code, StringComparison.Ordinal);
        Assert.Contains("peis.issue_149.mpr", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fuzz_varian_procpar_truncated_before_a_line()
    {
        // A string parameter whose value lines were cut off indexed past the last line. Cut before every line, the
        // file either reads or says which parameter lacks values.
        var lines = File.ReadAllText(SharedData.RealFile("varian-nmr", "test2.fid", "procpar")).Split('\n');
        int errors = 0;
        for (int n = 1; n < lines.Length; n++)
        {
            try
            {
                Formats.Nmr.VarianReader.ReadProcpar(string.Join('\n', lines.Take(n)) + "\n", "procpar");
            }
            catch (InstrumentFileException ex)
            {
                Assert.Contains("procpar", ex.Message, StringComparison.Ordinal);
                errors++;
            }
        }
        Assert.True(errors > 0); // some cuts fall inside a multi-line string value
    }

    [Fact]
    public void Fuzz_ndax_with_bit_3_flipped_at_byte_250921()
    {
        // Inside a compressed part: the decompressor's own exception escaped instead of an error naming the archive.
        const string name = "20260302_IFE_BTS85_2_9_8_1.ndax";
        byte[] bytes = File.ReadAllBytes(SharedData.RealFile("neware-ndax", name));
        bytes[250921] ^= 1 << 3;
        var ex = Assert.Throws<InstrumentFileException>(() => FormatRegistry.Default.Identify(name, bytes));
        Assert.Equal("NDAX_CORRUPT", ex.Code);
        Assert.Contains(name, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fuzz_zir_mpr_with_12_bytes_zeroed_at_byte_2001()
    {
        // The point count became 0: the impedance description indexed the first of no points.
        byte[] bytes = File.ReadAllBytes(SharedData.RealFile("eclab", "zir.mpr"));
        Array.Clear(bytes, 2001, 12);
        var ex = Assert.Throws<InstrumentFileException>(() => FormatRegistry.Default.Identify("zir.mpr", bytes));
        Assert.Contains("zir.mpr", ex.Message, StringComparison.Ordinal);
        Assert.Equal("NO_ROWS", ex.Code);
    }

    [Fact]
    public void Fuzz_peis_mpr_with_59_bytes_zeroed_at_byte_6958()
    {
        // The column ids became one unknown id repeated: it was sized once but laid out at every repeat, reading past the records.
        byte[] bytes = File.ReadAllBytes(SharedData.RealFile("eclab", "peis.mpr"));
        Array.Clear(bytes, 6958, 59);
        var ex = Assert.Throws<InstrumentFileException>(() => FormatRegistry.Default.Identify("peis.mpr", bytes));
        Assert.StartsWith("MPR_", ex.Code, StringComparison.Ordinal);
        Assert.Contains("peis.mpr", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fuzz_vsp_ocv_with_mpt_truncated_at_byte_33()
    {
        // Cut inside "Nb header lines : 3", before its colon: the header count was split on a colon that is not there.
        byte[] bytes = File.ReadAllBytes(SharedData.RealFile("eclab", "vsp_ocv_with.mpt"))[..33];
        var ex = Assert.Throws<InstrumentFileException>(() => FormatRegistry.Default.Identify("vsp_ocv_with.mpt", bytes));
        Assert.Contains("vsp_ocv_with.mpt", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fuzz_gamry_dta_truncated_at_byte_30795()
    {
        // Cut right after "ZCURVE<TAB>TABLE": the reader indexed the column line that was not there yet.
        byte[] bytes = File.ReadAllBytes(SharedData.RealFile("gamry-dta", "exampleDataGamry.DTA"))[..30795];
        var ex = Assert.Throws<InstrumentFileException>(() => FormatRegistry.Default.Identify("exampleDataGamry.DTA", bytes));
        Assert.Equal("INCOMPLETE_FILE", ex.Code);
        Assert.Contains("exampleDataGamry.DTA", ex.Message, StringComparison.Ordinal);
    }
}
