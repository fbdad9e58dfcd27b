using System.Numerics;

namespace CloudPipeline.Core.Formats.Nmr;

/// <summary>
/// A free induction decay in the canonical form of the NMR spec (§0): complex points whose spectrum
/// <c>fftshift(FFT(fid))</c> runs from high to low ppm, the carrier in the middle.
/// </summary>
/// <param name="SourceName">The file or folder it was read from.</param>
/// <param name="FormatId">The format id, e.g. <c>bruker-fid</c>.</param>
/// <param name="Points">The complex points (readers apply the conjugation their format needs).</param>
/// <param name="SpectralWidthHz">Spectral width (Hz); the dwell time is its reciprocal.</param>
/// <param name="FrequencyMHz">Spectrometer frequency of 0 ppm (MHz); TopSpin's SF, or BF1 when unreferenced.</param>
/// <param name="CarrierPpm">The chemical shift of the carrier (the centre of the spectrum).</param>
/// <param name="GroupDelay">Digital-filter group delay in complex points (0 for analogue data).</param>
/// <param name="Nucleus">The observed nucleus, e.g. <c>7Li</c>.</param>
/// <param name="Parameters">Acquisition parameters as read, for provenance.</param>
/// <param name="Flags">Reader flags such as <c>grpdly_unknown</c>.</param>
public sealed record NmrFid(string SourceName, string FormatId, Complex[] Points, double SpectralWidthHz, double FrequencyMHz, double CarrierPpm,
    double GroupDelay, string Nucleus, IReadOnlyDictionary<string, string> Parameters, IReadOnlyList<string> Flags)
{
    /// <summary>Number of complex points.</summary>
    public int Count => Points.Length;

    /// <summary>Dwell time (s).</summary>
    public double DwellSeconds => 1 / SpectralWidthHz;

    /// <summary>When the acquisition started, if the files say (Bruker DATE, Spinsolve startTime, JCAMP-DX LONGDATE).</summary>
    public DateTimeOffset? AcquiredAt { get; init; }

    /// <summary>True for data from a Bruker digital filter, whose first point needs no ½ factor (spec §2 step 3).</summary>
    public bool DigitallyFiltered => GroupDelay > 0;
}

/// <summary>
/// A 1D spectrum on the canonical axis (spec §0): index 0 at the left (high ppm) edge,
/// <c>δ(k) = OffsetPpm − k·SpectralWidthHz/(FrequencyMHz·N)</c>.
/// </summary>
/// <param name="SourceName">Where it came from.</param>
/// <param name="Real">Real part.</param>
/// <param name="Imaginary">Imaginary part, when known.</param>
/// <param name="OffsetPpm">Chemical shift of index 0 (TopSpin's OFFSET).</param>
/// <param name="SpectralWidthHz">Spectral width (Hz).</param>
/// <param name="FrequencyMHz">Frequency of 0 ppm (MHz).</param>
public sealed record NmrSpectrum(string SourceName, double[] Real, double[]? Imaginary, double OffsetPpm, double SpectralWidthHz, double FrequencyMHz)
{
    /// <summary>Number of points.</summary>
    public int Count => Real.Length;

    /// <summary>Step between points (ppm, positive; the axis descends).</summary>
    public double StepPpm => SpectralWidthHz / (FrequencyMHz * Count);

    /// <summary>Chemical shift of index <paramref name="k"/> (fractional indices allowed).</summary>
    public double Ppm(double k) => OffsetPpm - k * StepPpm;

    /// <summary>The (fractional) index of chemical shift <paramref name="ppm"/>.</summary>
    public double IndexOf(double ppm) => (OffsetPpm - ppm) / StepPpm;

    /// <summary>The axis in ppm.</summary>
    public double[] PpmAxis()
    {
        var axis = new double[Count];
        for (int k = 0; k < axis.Length; k++)
        {
            axis[k] = Ppm(k);
        }
        return axis;
    }

    /// <summary>The same spectrum with every shift moved by <paramref name="deltaPpm"/> (referencing, spec §2 step 9).</summary>
    public NmrSpectrum Shifted(double deltaPpm) => this with { OffsetPpm = OffsetPpm + deltaPpm };
}
