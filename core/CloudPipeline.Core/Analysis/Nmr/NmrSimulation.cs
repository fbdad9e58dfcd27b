using System.Numerics;
using CloudPipeline.Core.Formats.Nmr;

namespace CloudPipeline.Core.Analysis.Nmr;

/// <summary>A simulated line: centre (ppm), FWHM (ppm) and height of the absorptive Lorentzian it gives.</summary>
/// <param name="CentrePpm">Centre.</param>
/// <param name="FwhmPpm">Full width at half maximum.</param>
/// <param name="Height">Height of the processed line (before normalisation).</param>
public sealed record SimulatedLine(double CentrePpm, double FwhmPpm, double Height);

/// <summary>
/// Synthetic NMR data in the canonical form of nmr spec §0, for the benchmarks and the oracles: <c>fid[n] = Σ a_j·exp(−2πi·ν_j·n·DW − π·w_j·n·DW)</c>, ν_j = (δ_j − δ_carrier)·SF, w_j = FWHM·SF.
/// </summary>
public static class NmrSimulation
{
    /// <summary>A FID with the given lines and complex Gaussian noise of standard deviation <paramref name="noise"/> per part.</summary>
    public static NmrFid Fid(IReadOnlyList<SimulatedLine> lines, double frequencyMHz, double carrierPpm, double spectralWidthHz, int points, double noise = 0, int seed = 1, string nucleus = "7Li")
    {
        ArgumentNullException.ThrowIfNull(lines);
        double dw = 1 / spectralWidthHz;
        var data = new Complex[points];
        var random = new Random(seed);
        foreach (var line in lines)
        {
            double nu = (line.CentrePpm - carrierPpm) * frequencyMHz;
            double w = line.FwhmPpm * frequencyMHz;
            // The DFT of a·exp(−π·w·t) sampled every DW peaks at a/(π·w·DW) (first point halved): a = h·π·w·DW gives height h.
            double a = line.Height * Math.PI * w * dw;
            for (int n = 0; n < points; n++)
            {
                double t = n * dw;
                data[n] += a * Complex.FromPolarCoordinates(Math.Exp(-Math.PI * w * t), -2 * Math.PI * nu * t);
            }
        }
        if (noise > 0)
        {
            for (int n = 0; n < points; n++)
            {
                data[n] += new Complex(noise * Gaussian(random), noise * Gaussian(random));
            }
        }
        return new NmrFid("simulated", "simulated-fid", data, spectralWidthHz, frequencyMHz, carrierPpm, 0, nucleus, new Dictionary<string, string>(), []);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
