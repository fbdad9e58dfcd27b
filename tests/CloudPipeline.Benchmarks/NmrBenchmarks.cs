using BenchmarkDotNet.Attributes;
using CloudPipeline.Core.Analysis.Nmr;
using CloudPipeline.Core.Formats.Nmr;

namespace CloudPipeline.Benchmarks;

/// <summary>
/// NMR throughput (the targets): a 64k-point FID (65,536 complex points, zero-filled to 131,072 by default
/// processing) to a phased, baseline-corrected spectrum with ACME auto-phase and IModPoly baseline; the same with the
/// p0-only phase; and the three-component pseudo-Voigt fit of the ⁷Li Li-metal analysis on a 4096-point spectrum.
/// Peer figure: nmrglue 0.80 s per spectrum for the same processing.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 8)]
public class NmrBenchmarks
{
    private NmrFid _fid = null!;
    private NmrSpectrum _li7 = null!;

    [GlobalSetup]
    public void Setup()
    {
        double[] ppm = [0.9, 1.3, 2.1, 3.7, 4.8, 7.2, 7.3];
        _fid = NmrSimulation.Fid(ppm.Select((p, i) => new SimulatedLine(p, 0.002, 1.0 / (i + 1))).ToList(), 400.13, 4.7, 8000, 65536, 1e-5, 3, "1H");
        var processed = NmrProcessor.Process(NmrSimulation.Fid([new(245, 6, 1.0), new(250, 8, 0.35), new(263, 12, 0.25)], 77.8, 255, 50_000, 4096, 1e-4, 7),
            new NmrProcessingOptions { Size = 4096, Phase = PhaseMode.ZeroOrder });
        _li7 = processed.Spectrum;
    }

    [Benchmark(Description = "64k FID -> spectrum, ACME phase + IModPoly baseline")]
    public double SpectrumAcme() => NmrProcessor.Process(_fid, new NmrProcessingOptions { Baseline = BaselineMode.IModPoly, Size = 65536 }).P0;

    [Benchmark(Description = "64k FID -> spectrum, p0-only phase + IModPoly baseline")]
    public double SpectrumZeroOrder() => NmrProcessor.Process(_fid, new NmrProcessingOptions { Baseline = BaselineMode.IModPoly, Phase = PhaseMode.ZeroOrder, Size = 65536 }).P0;

    [Benchmark(Description = "7Li three-component pseudo-Voigt fit (4096 points)")]
    public double LiMetalFit() => LiMetalAnalysis.Analyse(_li7).RSquared;
}
