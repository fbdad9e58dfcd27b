using System.Runtime.CompilerServices;
using BenchmarkDotNet.Running;
using CloudPipeline.Core.Numerics;

// dotnet run -c Release --project tests/CloudPipeline.Benchmarks -- --filter '*Eis*'
//   ... -- --cycler-rows 10000000   (a synthetic cycler file of that many rows, analysed from disk; rows/s and peak memory)
if (args is ["--cycler-rows", var rows])
{
    CloudPipeline.Benchmarks.CyclerBenchmarks.RunLarge(long.Parse(rows, System.Globalization.CultureInfo.InvariantCulture));
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

/// <summary>The hosts' numerics settings, also in BenchmarkDotNet's child processes (which load this assembly, not its entry point).</summary>
internal static class BenchmarkProcess
{
    [ModuleInitializer]
    internal static void Initialize() => NumericsRuntime.UseSingleThreadedKernels();
}
