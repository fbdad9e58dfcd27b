namespace CloudPipeline.Core.Formats.Electrochemistry;

/// <summary>
/// The canonical DC time series every potentiostat or cycler reader produces: t in s since the first
/// row, V in volts, I in amperes with I &gt; 0 meaning charge (electrochemistry spec §1).
/// </summary>
/// <param name="SourceName">The file it came from.</param>
/// <param name="Time">t (s), starting at 0.</param>
/// <param name="Voltage">V (V).</param>
/// <param name="Current">I (A).</param>
/// <param name="StartOffset">The first row's time on the file's own clock (s), e.g. 2.55705 h = 9205.38 s for POL.txt.</param>
public sealed record TimeSeries(string SourceName, double[] Time, double[] Voltage, double[] Current, double StartOffset)
{
    /// <summary>The number of samples.</summary>
    public int Count => Time.Length;
}
