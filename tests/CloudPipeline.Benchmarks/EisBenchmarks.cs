using System.Numerics;
using BenchmarkDotNet.Attributes;
using CloudPipeline.Core.Analysis.Eis;
using CloudPipeline.Core.Analysis.Eis.Circuits;
using CloudPipeline.Core.Formats.Eis;

namespace CloudPipeline.Benchmarks;

/// <summary>
/// EIS throughput on the peers' own files (issue "Speed"): Randles and seven-parameter fits of exampleData.csv (57
/// capacitive points, from impedance.py's test guesses; peers 72–80 ms and 91–126 ms), Lin-KK of Circuit3_EIS_1.z at
/// c = 0.69 (impedance.py 13–14 ms), DRT with GCV of LIB_data.txt (pyDRTtools 0.92–0.95 s), and a fixed-λ DRT of a
/// 60-point spectrum on a 92-point τ grid.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 8)]
public class EisBenchmarks
{
    private static readonly Circuit Randles = Circuit.Parse("R0-p(R1-Wo1,C1)");
    private static readonly double[] Guess = [.01, .005, .01, 200, .1];
    private static readonly Circuit Seven = Circuit.Parse("R0-p(R1,C1)-p(R2-Wo1,C2)");
    private static readonly double[] SevenGuess = [.01, .01, 100, .01, .05, 100, 1];
    private Spectrum? _example;
    private Spectrum? _circuit3;
    private Spectrum? _lib;
    private Spectrum _sixty = null!;

    [GlobalSetup]
    public void Setup()
    {
        _example = Real("eis-csv/exampleData.csv") is { } example ? EisPreprocessing.KeepCapacitiveOnly(example) : null;
        _circuit3 = Real("zplot-z/Circuit3_EIS_1.z");
        _lib = Real("eis-csv/LIB_data.txt");
        var f = Enumerable.Range(0, 60).Select(i => Math.Pow(10, 5 - 5.0 * i / 59)).ToArray();
        var z = f.Select(x => 10 + 100 / new Complex(1, 2 * Math.PI * x * 1e-3) + 50 / (1 + Complex.Pow(new Complex(0, 2 * Math.PI * x * 1e-5), 0.8))).ToArray();
        _sixty = new Spectrum("sixty", "synthetic", f, z.Select(v => v.Real).ToArray(), z.Select(v => v.Imaginary).ToArray(), new Dictionary<string, double[]>());
    }

    [Benchmark(Description = "Randles fit, exampleData.csv (57 points)")]
    public double RandlesFit() => _example is null ? double.NaN : CircuitFitter.Fit(_example, Randles, Guess).ChiSquare;

    [Benchmark(Description = "R0-p(R1,C1)-p(R2-Wo1,C2) fit, exampleData.csv")]
    public double SevenParameterFit() => _example is null ? double.NaN : CircuitFitter.Fit(_example, Seven, SevenGuess).ChiSquare;

    [Benchmark(Description = "Lin-KK, Circuit3_EIS_1.z, c = 0.69")]
    public double LinKkCircuit3() => _circuit3 is null ? double.NaN : LinKk.Run(_circuit3, new LinKkParameters { C = 0.69 }).Mu;

    [Benchmark(Description = "DRT with GCV, LIB_data.txt (107 points)")]
    public double DrtGcv() => _lib is null ? double.NaN : Drt.Compute(_lib, new DrtParameters { Selection = LambdaSelection.Gcv }).Lambda;

    [Benchmark(Description = "DRT, 60 points x 92 tau, fixed lambda")]
    public double DrtSolve() => Drt.Compute(_sixty).InterphaseResistance;

    /// <summary>A real spectrum from ../shared/data/real; null where absent.</summary>
    private static Spectrum? Real(string relative) =>
        RealData.Find(relative) is { } path ? EisFormats.Read(Path.GetFileName(path), File.ReadAllBytes(path)) : null;
}
