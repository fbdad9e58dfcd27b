using System.Text;

namespace CloudPipeline.Core.Formats.Nmr;

/// <summary>One labelled data record of a JCAMP-style text (<c>##LABEL= value</c>, continued on the lines that follow).</summary>
/// <param name="Label">The label as written, without <c>##</c>.</param>
/// <param name="Key">The label compared the JCAMP-DX way: blanks, <c>-</c>, <c>/</c>, <c>_</c> removed, upper case.</param>
/// <param name="Value">The text after <c>=</c> and the continuation lines, joined with <c>\n</c>; <c>$$</c> comments removed.</param>
/// <param name="Line">The 1-based line of the label.</param>
/// <param name="ValueLines">The continuation lines (comments removed), with their 1-based line numbers.</param>
public sealed record JcampRecord(string Label, string Key, string Value, int Line, IReadOnlyList<(int Line, string Text)> ValueLines)
{
    /// <summary>The value's first line (the text after <c>=</c>), trimmed.</summary>
    public string Head => Value.Split('\n', 2)[0].Trim();
}

/// <summary>
/// Splits JCAMP-style text into labelled records: the shared lexer of JCAMP-DX files (spec §1.4) and of
/// Bruker parameter files <c>acqus</c>/<c>procs</c> (spec §1.1). Text is ISO-8859-1, CRLF or LF.
/// </summary>
public static class JcampRecords
{
    /// <summary>Reads records from text.</summary>
    public static List<JcampRecord> Parse(string text)
    {
        var records = new List<JcampRecord>();
        string? label = null;
        int labelLine = 0;
        var value = new StringBuilder();
        var lines = new List<(int, string)>();
        int lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            string line = StripComment(raw.TrimEnd('\r'));
            string trimmed = line.TrimStart();
            if (trimmed.StartsWith("##", StringComparison.Ordinal))
            {
                Flush();
                int eq = trimmed.IndexOf('=', StringComparison.Ordinal);
                // Stryker disable once Equality : the line starts with "##", so '=' is never at 0.
                label = eq < 0 ? trimmed[2..].Trim() : trimmed[2..eq].Trim();
                labelLine = lineNumber;
                // Stryker disable once Equality : the line starts with "##", so '=' is never at 0.
                value.Append(eq < 0 ? "" : trimmed[(eq + 1)..]);
            }
            else if (label is not null && trimmed.Length > 0)
            {
                value.Append('\n').Append(line);
                lines.Add((lineNumber, line));
            }
        }
        Flush();
        return records;

        void Flush()
        {
            if (label is not null)
            {
                records.Add(new JcampRecord(label, NormaliseLabel(label), value.ToString(), labelLine, lines.ToList()));
            }
            label = null;
            value.Clear();
            lines.Clear();
        }
    }

    /// <summary>A label in JCAMP-DX comparison form.</summary>
    public static string NormaliseLabel(string label)
    {
        var sb = new StringBuilder(label.Length);
        foreach (char c in label)
        {
            if (c is not (' ' or '\t' or '-' or '/' or '_'))
            {
                sb.Append(char.ToUpperInvariant(c));
            }
        }
        return sb.ToString();
    }

    private static string StripComment(string line)
    {
        int i = line.IndexOf("$$", StringComparison.Ordinal);
        return i < 0 ? line : line[..i];
    }
}
