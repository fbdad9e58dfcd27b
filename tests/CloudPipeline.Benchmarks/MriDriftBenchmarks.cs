using BenchmarkDotNet.Attributes;
using CloudPipeline.Core.Analysis.Mri;
using CloudPipeline.Core.Formats.Electrochemistry;
using CloudPipeline.Core.Formats.Mri;
using CloudPipeline.Core.Pipeline;

namespace CloudPipeline.Benchmarks;

/// <summary>
/// Drift-velocity analysis time and allocations: each real cell (files parsed beforehand, and once with reading them, from
/// ../shared/data/real), and a synthetic series of 1,000 profiles × 1,024 points.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 8)]
public class MriDriftBenchmarks
{
    private (ProfileSeries Series, TimeSeries Voltage)? _liLi;
    private (ProfileSeries Series, TimeSeries Voltage)? _nmc;
    private ProfileSeries _synthetic = null!;
    private TimeSeries _syntheticVoltage = null!;

    [GlobalSetup]
    public void Setup()
    {
        _liLi = LoadReal("Li_Li");
        _nmc = LoadReal("NMC622_Li");
        const int profiles = 1000, size = 1024;
        var random = new Random(7);
        _synthetic = ProfileSeries.Create(Enumerable.Range(0, profiles).Select(k =>
        {
            var values = new double[size];
            for (int j = 240; j < 784; j++)
            {
                values[j] = 1000 * (1 + 0.0001 * k * (j - 512) / 272.0) + random.NextDouble();
            }
            for (int j = 200; j < 240; j++)
            {
                values[j] = 25 * (j - 200);
            }
            for (int j = 784; j < 824; j++)
            {
                values[j] = 1000 - 25 * (j - 784);
            }
            return new TopSpinProfile($"syn({k:D4}).txt", "syn", k, 1, 0, 1, values);
        }));
        int rows = profiles * 22 + 1;
        _syntheticVoltage = new TimeSeries("syn-POL.txt", Enumerable.Range(0, rows).Select(i => i * 20.196).ToArray(),
            Enumerable.Range(0, rows).Select(i => i < rows / 3 ? 0.2 + 1.3 * i / (rows / 3.0) : 1.5).ToArray(),
            Enumerable.Range(0, rows).Select(i => i < rows / 3 ? 2.8e-5 : 2.5e-5 * Math.Exp(-(i - rows / 3) / 500.0) + 1e-6).ToArray(), 0);
    }

    [Benchmark(Description = "Li||Li real cell (46 profiles x 66 ROI points)")]
    public double LiLi() => _liLi is { } c ? DriftVelocityAnalysis.Run(c.Series, c.Voltage, new DriftVelocityParameters { FlipProfile = true }).Metrics.VMaxAbs : double.NaN;

    [Benchmark(Description = "Li||NMC622 real cell (52 profiles x 76 ROI points)")]
    public double Nmc() => _nmc is { } c ? DriftVelocityAnalysis.Run(c.Series, c.Voltage, new DriftVelocityParameters()).Metrics.VMaxAbs : double.NaN;

    [Benchmark(Description = "Li||Li real cell, reading and parsing its 95 files included (Octave loop: 76-119 ms)")]
    public double LiLiFromFiles() => LoadReal("Li_Li") is { } c ? DriftVelocityAnalysis.Run(c.Item1, c.Item2, new DriftVelocityParameters { FlipProfile = true }).Metrics.VMaxAbs : double.NaN;

    [Benchmark(Description = "synthetic 1,000 profiles x 1,024 points")]
    public double Synthetic() => DriftVelocityAnalysis.Run(_synthetic, _syntheticVoltage, new DriftVelocityParameters()).Metrics.VMaxAbs;

    private static (ProfileSeries, TimeSeries)? LoadReal(string cell) =>
        RealData.Find(Path.Combine("thienenkamp-mri", cell)) is { } folder
            ? MriCellFolder.Read(folder, Path.Combine(folder, "POL.txt"), 0.2827433) is var c ? (c.Profiles, c.Voltage) : null
            : null;
}
