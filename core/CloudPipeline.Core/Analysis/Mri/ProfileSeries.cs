using CloudPipeline.Core.Formats;
using CloudPipeline.Core.Formats.Mri;

namespace CloudPipeline.Core.Analysis.Mri;

/// <summary>
/// A time-ordered stack of profiles that share one axis. Profiles are ordered by file name (ordinal), which for
/// TopSpin exports with zero-padded <c>(NNN)</c> equals EXPNO order; a different EXPNO order or gaps in the
/// numbering are reported as warnings, because the published method assumes one profile per time step.
/// </summary>
public sealed class ProfileSeries
{
    private ProfileSeries(IReadOnlyList<TopSpinProfile> profiles, IReadOnlyList<string> warnings)
    {
        Profiles = profiles;
        Warnings = warnings;
    }

    /// <summary>The profiles in time order.</summary>
    public IReadOnlyList<TopSpinProfile> Profiles { get; }

    /// <summary>Ordering and numbering remarks.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Points per profile.</summary>
    public int Size => Profiles[0].Size;

    /// <summary>Orders and checks the profiles.</summary>
    /// <exception cref="InstrumentFileException">A profile's SIZE or spectral axis differs from the first profile's; the message names the file.</exception>
    public static ProfileSeries Create(IEnumerable<TopSpinProfile> profiles)
    {
        var ordered = profiles.OrderBy(p => p.SourceName, StringComparer.Ordinal).ToList();
        if (ordered.Count == 0)
        {
            throw new AnalysisException("NO_PROFILES", "The series has no profiles.");
        }
        var first = ordered[0];
        foreach (var profile in ordered.Skip(1))
        {
            if (profile.Size != first.Size)
            {
                throw new InstrumentFileException(profile.SourceName, $"SIZE = {profile.Size} differs from SIZE = {first.Size} of {first.SourceName}", field: "SIZE",
                    expected: "every profile of a series on the same grid", code: "SIZE_DIFFERS");
            }
            if (!Same(profile.LeftPpm, first.LeftPpm) || !Same(profile.RightPpm, first.RightPpm))
            {
                throw new InstrumentFileException(profile.SourceName,
                    $"spectral region {profile.LeftPpm}…{profile.RightPpm} ppm differs from {first.LeftPpm}…{first.RightPpm} ppm of {first.SourceName}",
                    field: "LEFT/RIGHT", expected: "every profile of a series on the same axis", code: "AXIS_DIFFERS");
            }
        }

        var warnings = new List<string>();
        var expnos = ordered.Select(p => p.ExpNo).ToList();
        if (expnos.All(e => e.HasValue))
        {
            var numbers = expnos.Select(e => e!.Value).ToList();
            if (!numbers.SequenceEqual(numbers.Order()))
            {
                warnings.Add("EXPNO_ORDER_MISMATCH: file-name order differs from EXPNO order; file-name order is used.");
            }
            var missing = Enumerable.Range(numbers.Min(), numbers.Max() - numbers.Min() + 1).Except(numbers).ToList();
            if (missing.Count > 0)
            {
                warnings.Add($"EXPNO_GAPS: EXPNO {string.Join(", ", missing)} missing; profiles are taken as consecutive time steps (published method).");
            }
        }
        return new ProfileSeries(ordered, warnings);
    }

    private static bool Same(double a, double b) => Math.Abs(a - b) <= 1e-9 * Math.Max(1, Math.Abs(a));
}
