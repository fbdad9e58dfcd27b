using System.Numerics;
using BenchmarkDotNet.Attributes;
using CloudPipeline.Core.Analysis.Eis;
using CloudPipeline.Core.Analysis.Eis.Circuits;
using CloudPipeline.Core.Formats.Eis;

namespace CloudPipeline.Benchmarks;

/// <summary>
/// EIS throughput: Randles fits of exampleData.csv (57 capacitive points, from impedance.py's test guess) and DRT
/// solves of a 60-point spectrum on a 92-point τ grid (fixed λ).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 8)]
public class EisBenchmarks
{
    private static readonly Circuit Randles = Circuit.Parse("R0-p(R1-Wo1,C1)");
    private static readonly double[] Guess = [.01, .005, .01, 200, .1];
    private Spectrum? _example;
    private Spectrum _sixty = null!;

    [GlobalSetup]
    public void Setup()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared", "data", "real", "eis-csv", "exampleData.csv");
            if (File.Exists(candidate))
            {
                _example = EisPreprocessing.KeepCapacitiveOnly(EisFormats.Read("exampleData.csv", File.ReadAllBytes(candidate)));
                break;
            }
        }
        var f = Enumerable.Range(0, 60).Select(i => Math.Pow(10, 5 - 5.0 * i / 59)).ToArray();
        var z = f.Select(x => 10 + 100 / new Complex(1, 2 * Math.PI * x * 1e-3) + 50 / (1 + Complex.Pow(new Complex(0, 2 * Math.PI * x * 1e-5), 0.8))).ToArray();
        _sixty = new Spectrum("sixty", "synthetic", f, z.Select(v => v.Real).ToArray(), z.Select(v => v.Imaginary).ToArray(), new Dictionary<string, double[]>());
    }

    [Benchmark(Description = "Randles fit, exampleData.csv (57 points)")]
    public double RandlesFit() => _example is null ? double.NaN : CircuitFitter.Fit(_example, Randles, Guess).ChiSquare;

    [Benchmark(Description = "DRT, 60 points x 92 tau, fixed lambda")]
    public double DrtSolve() => Drt.Compute(_sixty).InterphaseResistance;
}
