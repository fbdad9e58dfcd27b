using CloudPipeline.Core.Formats.Eis;

namespace CloudPipeline.Core.Analysis.Eis;

/// <summary>Optional preprocessing (eis spec §2); each step is recorded with the result by the caller.</summary>
public static class EisPreprocessing
{
    /// <summary>Keeps points with Zim &lt; 0 strictly (impedance.py's ignoreBelowX).</summary>
    public static Spectrum KeepCapacitiveOnly(Spectrum s) => Where(s, i => s.ZImag[i] < 0);

    /// <summary>Keeps points with fmin ≤ f ≤ fmax.</summary>
    public static Spectrum CropFrequency(Spectrum s, double fmin, double fmax) => Where(s, i => s.Frequency[i] >= fmin && s.Frequency[i] <= fmax);

    /// <summary>
    /// Splits a file holding repeated sweeps (e.g. EC-Lab loops) at every reversal of the sweep direction, so each
    /// sweep is analysed as its own spectrum (<c>name#1</c>, <c>name#2</c>, …). A single sweep is returned as is.
    /// </summary>
    public static IReadOnlyList<Spectrum> SplitSweeps(Spectrum s)
    {
        if (s.Count < 3)
        {
            return [s];
        }
        var starts = new List<int> { 0 };
        int direction = Math.Sign(s.Frequency[1] - s.Frequency[0]);
        for (int i = 1; i < s.Count; i++)
        {
            int step = Math.Sign(s.Frequency[i] - s.Frequency[i - 1]);
            if (step != direction && i - starts[^1] > 1)
            {
                starts.Add(i);
            }
        }
        if (starts.Count == 1)
        {
            return [s];
        }
        starts.Add(s.Count);
        return starts.Zip(starts.Skip(1), (from, to) => (from, to))
            .Select((range, k) => Where(s, i => i >= range.from && i < range.to) with { SourceName = $"{s.SourceName}#{k + 1}" })
            .ToList();
    }

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
