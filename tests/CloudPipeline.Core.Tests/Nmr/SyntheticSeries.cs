using CloudPipeline.Core.Analysis.Nmr;
using CloudPipeline.Core.Formats.Nmr;

namespace CloudPipeline.Core.Tests.Nmr;

/// <summary>The frequency-domain spectra and PFG series of the spec's oracles (items 16, 19, 20), with seeded Gaussian noise.</summary>
internal static class SyntheticSeries
{
    /// <summary>Lorentzians on <paramref name="points"/> points from <paramref name="leftPpm"/> to <paramref name="rightPpm"/>.</summary>
    public static NmrSpectrum Spectrum(IReadOnlyList<SimulatedLine> lines, double leftPpm, double rightPpm, int points, double noise = 0, int seed = 1, double frequencyMHz = 77.8)
    {
        var random = new Random(seed);
        double step = (leftPpm - rightPpm) / (points - 1);
        var y = new double[points];
        for (int k = 0; k < points; k++)
        {
            double x = leftPpm - k * step;
            y[k] = lines.Sum(l => LineshapeFitter.Evaluate(LineshapeKind.Lorentzian, l.Height, l.CentrePpm, l.FwhmPpm, 1, x)) + (noise > 0 ? noise * Gaussian(random) : 0);
        }
        return new NmrSpectrum("simulated", y, null, leftPpm, step * points * frequencyMHz, frequencyMHz);
    }

    /// <summary>S(g) = S₀·exp(−b·D) with Gaussian noise relative to S₀.</summary>
    public static double[] Attenuation(IReadOnlyList<double> gradientsTPerM, double diffusionM2PerS, double deltaSmall, double deltaBig, double gamma, double s0 = 1, double relativeNoise = 0, int seed = 1)
    {
        var random = new Random(seed);
        return gradientsTPerM.Select(g => s0 * Math.Exp(-StejskalTanner.B(g, deltaSmall, deltaBig, gamma) * diffusionM2PerS) + s0 * relativeNoise * Gaussian(random)).ToArray();
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
