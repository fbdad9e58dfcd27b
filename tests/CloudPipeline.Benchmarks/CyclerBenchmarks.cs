using System.Diagnostics;
using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using CloudPipeline.Core.Formats.Cycler;
using CloudPipeline.Core.Pipeline;

namespace CloudPipeline.Benchmarks;

/// <summary>
/// Cycler throughput: the largest real cycler files here (the Neware .ndax archive, 252,901 records, and the Neware CSV,
/// 9,065 rows) and a synthetic Arbin-layout file of 1,000,000 rows, each read, parsed and summarised (steps, cycles, plot trace) in one pass from memory. Peer figure:
/// BEEP reports about 37 s to structure one Arbin file. The 10-million-row run with peak memory is
/// <c>-- --cycler-rows 10000000</c> (<see cref="RunLarge"/>), outside BenchmarkDotNet.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 8)]
public class CyclerBenchmarks
{
    private byte[]? _neware;
    private byte[]? _ndax;
    private byte[] _synthetic = [];

    [GlobalSetup]
    public void Setup()
    {
        _neware = RealData.Find("neware-csv/neware_uio.csv") is { } path ? File.ReadAllBytes(path) : null;
        _ndax = RealData.Find("neware-ndax/20260302_IFE_BTS85_2_9_8_1.ndax") is { } archive ? File.ReadAllBytes(archive) : null;
        using var buffer = new MemoryStream();
        using (var writer = new StreamWriter(buffer, leaveOpen: true))
        {
            SyntheticArbin.Write(writer, 1_000_000);
        }
        _synthetic = buffer.ToArray();
    }

    [Benchmark(Description = "Neware neware_uio.csv, 9,065 rows: read + cycle summary")]
    public int Neware() => _neware is null ? 0 : Analyse(_neware, "neware_uio.csv");

    [Benchmark(Description = "Neware .ndax, 252,901 records: unzip + read + cycle summary")]
    public int NewareNdax() => _ndax is null ? 0 : Analyse(_ndax, "20260302_IFE_BTS85_2_9_8_1.ndax");

    [Benchmark(Description = "synthetic Arbin CSV, 1,000,000 rows: read + cycle summary")]
    public int Synthetic() => Analyse(_synthetic, "synthetic.csv");

    private static int Analyse(byte[] content, string name)
    {
        using var record = CyclerFormats.Open(new MemoryStream(content, writable: false), name);
        return CyclerStage.Run(record).Analysis.Cycles.Count;
    }

    /// <summary>Writes a synthetic file of <paramref name="rows"/> rows to a temporary file, analyses it from disk, and prints rows per second and the process's peak working set.</summary>
    public static void RunLarge(long rows)
    {
        string path = Path.Combine(Path.GetTempPath(), $"cloudpipeline-cycler-{rows}.csv");
        try
        {
            using (var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20))
            {
                SyntheticArbin.Write(writer, rows);
            }
            long bytes = new FileInfo(path).Length;
            long before = Process.GetCurrentProcess().PeakWorkingSet64;
            var watch = Stopwatch.StartNew();
            using var record = CyclerFormats.Open(File.OpenRead(path), Path.GetFileName(path));
            var report = CyclerStage.Run(record);
            watch.Stop();
            using var self = Process.GetCurrentProcess();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{report.Analysis.Samples:N0} rows ({bytes / 1e6:F0} MB), {report.Analysis.Cycles.Count} cycles, {report.Analysis.Steps.Count} steps in {watch.Elapsed.TotalSeconds:F2} s = {report.Analysis.Samples / watch.Elapsed.TotalSeconds / 1e6:F2} million rows/s; peak working set {self.PeakWorkingSet64 / 1e6:F0} MB (before the read: {before / 1e6:F0} MB)"));
        }
        finally
        {
            File.Delete(path);
        }
    }
}

/// <summary>A synthetic Arbin-layout record: 1 s sampling, cycles of charge +1 A, rest, discharge −1 A, rest, 900 rows per step.</summary>
internal static class SyntheticArbin
{
    public static void Write(TextWriter writer, long rows)
    {
        writer.Write("Data_Point,Test_Time,DateTime,Step_Time,Step_Index,Cycle_Index,Current,Voltage,Charge_Capacity,Discharge_Capacity,Charge_Energy,Discharge_Energy\n");
        var c = CultureInfo.InvariantCulture;
        for (long i = 0; i < rows; i++)
        {
            long step = i / 900;
            int kind = (int)(step % 4);
            double current = kind switch { 0 => 1.0, 2 => -1.0, _ => 0.0 };
            double phase = (i % 900) / 900.0;
            double voltage = kind switch { 0 => 3.0 + phase, 1 => 4.0, 2 => 4.0 - phase, _ => 3.0 };
            writer.Write(string.Create(c, $"{i},{i}.0,{1.7e9 + i:F1},{i % 900},{kind + 1},{step / 4 + 1},{current:F4},{voltage:F6},,,,\n"));
        }
    }
}
