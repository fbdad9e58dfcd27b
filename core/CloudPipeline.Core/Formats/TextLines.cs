namespace CloudPipeline.Core.Formats;

/// <summary>Searches over a text file's lines, shared by the text readers that find their tables by a marker line.</summary>
internal static class TextLines
{
    /// <summary>The index of the first line at or after <paramref name="start"/> that <paramref name="marker"/> accepts, or null.</summary>
    public static int? IndexOf(IReadOnlyList<string> lines, Func<string, bool> marker, int start = 0)
    {
        for (int i = start; i < lines.Count; i++)
        {
            if (marker(lines[i]))
            {
                return i;
            }
        }
        return null;
    }
}
