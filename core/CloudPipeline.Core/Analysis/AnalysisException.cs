namespace CloudPipeline.Core.Analysis;

/// <summary>
/// Input that an analysis cannot work with (too few profiles, a record that ends too early, …). A permanent
/// error: retrying does not help, the input or the manifest must change. <see cref="Code"/> is stable.
/// </summary>
public sealed class AnalysisException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AnalysisException(string code, string message)
        : base(message)
    {
        Code = code;
    }

    /// <summary>A stable code such as <c>TOO_FEW_PROFILES</c>.</summary>
    public string Code { get; }
}
