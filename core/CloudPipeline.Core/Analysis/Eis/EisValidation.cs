using CloudPipeline.Core.Formats.Eis;

namespace CloudPipeline.Core.Analysis.Eis;

/// <summary>Checks a spectrum is analysable; errors name the file and what is wrong.</summary>
public static class EisValidation
{
    /// <summary>Throws <see cref="AnalysisException"/> for too few points, non-positive or repeated-direction-breaking frequencies.</summary>
    public static void RequireUsable(Spectrum spectrum, int minimumPoints)
    {
        ArgumentNullException.ThrowIfNull(spectrum);
        if (spectrum.Count < minimumPoints)
        {
            throw new AnalysisException("TOO_FEW_POINTS", $"{spectrum.SourceName}: {spectrum.Count} point(s); the analysis needs at least {minimumPoints}.");
        }
        for (int i = 0; i < spectrum.Count; i++)
        {
            if (!(spectrum.Frequency[i] > 0))
            {
                throw new AnalysisException("BAD_FREQUENCY", $"{spectrum.SourceName}: point {i + 1} has frequency {spectrum.Frequency[i]}; frequencies must be positive.");
            }
        }
        int direction = Math.Sign(spectrum.Frequency[^1] - spectrum.Frequency[0]);
        for (int i = 1; i < spectrum.Count; i++)
        {
            if (Math.Sign(spectrum.Frequency[i] - spectrum.Frequency[i - 1]) != direction)
            {
                throw new AnalysisException("NON_MONOTONIC_FREQUENCY",
                    $"{spectrum.SourceName}: frequencies are not monotonic at point {i + 1} ({spectrum.Frequency[i - 1]} Hz then {spectrum.Frequency[i]} Hz); split repeated sweeps or average repeated frequencies first.");
            }
        }
    }
}
