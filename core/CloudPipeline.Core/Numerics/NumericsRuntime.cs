namespace CloudPipeline.Core.Numerics;

/// <summary>Process-wide settings of the numerics library, applied once by each entry point (hosts, CLI, benchmarks).</summary>
public static class NumericsRuntime
{
    /// <summary>
    /// Runs MathNet's linear algebra on the calling thread. The analyses factorise small matrices (tens to a few
    /// hundred columns) where MathNet's parallel loops cost more than they save, and the pipeline already runs many
    /// analyses at once: single-threaded, Lin-KK of Circuit3_EIS_1.z takes 0.11 ms instead of 0.46 ms, a Randles
    /// fit 0.67 ms instead of 1.2 ms (2-core machine).
    /// </summary>
    public static void UseSingleThreadedKernels() => MathNet.Numerics.Control.UseSingleThread();
}
