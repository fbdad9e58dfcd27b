namespace CloudPipeline.Core.Formats.Eis;

/// <summary>
/// An impedance spectrum with Z = Zre + j·Zim (a capacitive response has Zim &lt; 0), in the file's point order
/// (never re-sorted: some instruments sweep upwards). Every other numeric column of the file is kept.
/// </summary>
/// <param name="SourceName">The file it came from.</param>
/// <param name="FormatId">The detected format.</param>
/// <param name="Frequency">f (Hz), &gt; 0.</param>
/// <param name="ZReal">Zre (Ω).</param>
/// <param name="ZImag">Zim (Ω), sign-normalised.</param>
/// <param name="Columns">All numeric columns by their header name (NaN where a cell is not a number); empty for headerless files.</param>
public sealed record Spectrum(string SourceName, string FormatId, double[] Frequency, double[] ZReal, double[] ZImag, IReadOnlyDictionary<string, double[]> Columns)
{
    /// <summary>
    /// The file ended inside its last row (a copy taken while the instrument was still writing): that row was not
    /// used. A later complete upload of the file gives the whole spectrum.
    /// </summary>
    public bool IncompleteLastRow { get; init; }

    /// <summary>Points.</summary>
    public int Count => Frequency.Length;

    /// <summary>|Z| at point i.</summary>
    public double Modulus(int i) => Math.Sqrt(ZReal[i] * ZReal[i] + ZImag[i] * ZImag[i]);

    /// <summary>Phase at point i (rad), atan2(Zim, Zre).</summary>
    public double Phase(int i) => Math.Atan2(ZImag[i], ZReal[i]);
}
