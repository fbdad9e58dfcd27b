using System.Runtime.CompilerServices;
using BenchmarkDotNet.Running;
using CloudPipeline.Core.Numerics;

// dotnet run -c Release --project tests/CloudPipeline.Benchmarks -- --filter '*Storage*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

/// <summary>The hosts' numerics settings, also in BenchmarkDotNet's child processes (which load this assembly, not its entry point).</summary>
internal static class BenchmarkProcess
{
    [ModuleInitializer]
    internal static void Initialize() => NumericsRuntime.UseSingleThreadedKernels();
}
