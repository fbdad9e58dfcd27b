namespace CloudPipeline.Core.Formats.Mri;

/// <summary>One 1D profile exported by Bruker TopSpin's "totxt" command.</summary>
/// <param name="SourceName">The file name it was read from.</param>
/// <param name="DataSetName">The data set name from the <c>Data set</c> header line.</param>
/// <param name="ExpNo">The experiment number (EXPNO), when the header has it.</param>
/// <param name="ProcNo">The processing number (PROCNO), when the header has it.</param>
/// <param name="LeftPpm">The LEFT edge of the spectral region (ppm).</param>
/// <param name="RightPpm">The RIGHT edge of the spectral region (ppm).</param>
/// <param name="Values">The intensities, from LEFT to RIGHT; exactly SIZE values.</param>
public sealed record TopSpinProfile(string SourceName, string? DataSetName, int? ExpNo, int? ProcNo, double LeftPpm, double RightPpm, double[] Values)
{
    /// <summary>The number of points (SIZE).</summary>
    public int Size => Values.Length;
}
