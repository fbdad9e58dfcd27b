using CloudPipeline.Core.Formats.Eis;

namespace CloudPipeline.Core.Analysis.Eis;

/// <summary>Optional preprocessing (eis spec §2); each step is recorded with the result by the caller.</summary>
public static class EisPreprocessing
{
    /// <summary>Keeps points with Zim &lt; 0 strictly (impedance.py's ignoreBelowX).</summary>
    public static Spectrum KeepCapacitiveOnly(Spectrum s) => Where(s, i => s.ZImag[i] < 0);

    /// <summary>Keeps points with fmin ≤ f ≤ fmax.</summary>
    public static Spectrum CropFrequency(Spectrum s, double fmin, double fmax) => Where(s, i => s.Frequency[i] >= fmin && s.Frequency[i] <= fmax);

    private static Spectrum Where(Spectrum s, Func<int, bool> keep)
    {
        var idx = Enumerable.Range(0, s.Count).Where(keep).ToArray();
        return s with
        {
            Frequency = idx.Select(i => s.Frequency[i]).ToArray(),
            ZReal = idx.Select(i => s.ZReal[i]).ToArray(),
            ZImag = idx.Select(i => s.ZImag[i]).ToArray(),
            Columns = s.Columns.ToDictionary(c => c.Key, c => idx.Select(i => c.Value[i]).ToArray()),
        };
    }
}
