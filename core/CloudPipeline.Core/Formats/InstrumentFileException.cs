using System.Text;

namespace CloudPipeline.Core.Formats;

/// <summary>
/// An instrument file that cannot be read as its format requires. The message names the file, the line
/// or field where reading stopped, what was found and what was expected, so a person can fix the export.
/// </summary>
public sealed class InstrumentFileException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="fileName">The file (name or path) being read.</param>
    /// <param name="problem">What is wrong, in plain words.</param>
    /// <param name="line">The 1-based line number, when the problem has one.</param>
    /// <param name="field">The field, column or header key, when the problem has one.</param>
    /// <param name="expected">What the reader expected instead.</param>
    /// <param name="code">A stable machine-readable code such as <c>SIZE_MISMATCH</c>.</param>
    public InstrumentFileException(string fileName, string problem, int? line = null, string? field = null, string? expected = null, string code = "INVALID_FILE")
        : base(Compose(fileName, problem, line, field, expected))
    {
        FileName = fileName;
        Problem = problem;
        Line = line;
        Field = field;
        Expected = expected;
        Code = code;
    }

    /// <summary>The file being read.</summary>
    public string FileName { get; }

    /// <summary>What is wrong.</summary>
    public string Problem { get; }

    /// <summary>The 1-based line, if any.</summary>
    public int? Line { get; }

    /// <summary>The field or header key, if any.</summary>
    public string? Field { get; }

    /// <summary>What was expected, if stated.</summary>
    public string? Expected { get; }

    /// <summary>A stable code for machines.</summary>
    public string Code { get; }

    private static string Compose(string fileName, string problem, int? line, string? field, string? expected)
    {
        var sb = new StringBuilder(fileName);
        if (line is { } l)
        {
            sb.Append(", line ").Append(l);
        }
        if (field is not null)
        {
            sb.Append(", field '").Append(field).Append('\'');
        }
        sb.Append(": ").Append(problem);
        if (expected is not null)
        {
            sb.Append("; expected ").Append(expected);
        }
        return sb.Append('.').ToString();
    }
}
