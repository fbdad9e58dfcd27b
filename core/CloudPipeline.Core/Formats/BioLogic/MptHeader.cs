using System.Globalization;

namespace CloudPipeline.Core.Formats.BioLogic;

/// <summary>
/// The head of an EC-Lab text export (<c>.mpt</c>), read by both the impedance and the cycler readers: line 1 is
/// <c>EC-Lab ASCII FILE</c> and line 2 <c>Nb header lines : N</c>, where N counts the lines up to and including the
/// column line.
/// </summary>
public static class MptHeader
{
    private const string Magic = "EC-Lab ASCII FILE";
    private const string Count = "Nb header lines :";

    /// <summary>
    /// The 1-based number of the column line (N), or null when <paramref name="head"/> is not an EC-Lab text export or
    /// N is not a whole number ≥ 3 (the two lines above and the column line itself). A leading byte order mark and
    /// blanks around line 1 are allowed.
    /// </summary>
    /// <param name="head">The file's first lines (at least two); the column line itself need not be among them.</param>
    public static int? ColumnLineNumber(IReadOnlyList<string> head) =>
        head is [var first, var second, ..]
        && first.TrimStart('\uFEFF').Trim() == Magic
        && second.StartsWith(Count, StringComparison.Ordinal)
        && int.TryParse(second.AsSpan(Count.Length).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int n)
        && n >= 3
            ? n
            : null;
}
