using System.Numerics;
using CloudPipeline.Core.Formats.Nmr;
using MathNet.Numerics.IntegralTransforms;

namespace CloudPipeline.Core.Analysis.Nmr;

/// <summary>How the spectrum is phased (spec §2 step 7).</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(CamelCaseEnumConverter<PhaseMode>))]
public enum PhaseMode
{
    /// <summary>Automatic: ACME entropy minimisation over p0 and p1.</summary>
    Acme,

    /// <summary>Automatic: p0 only (p1 fixed at <see cref="NmrProcessingOptions.P1"/>); the default for one-region spectra such as ⁷Li metal.</summary>
    ZeroOrder,

    /// <summary>The given p0 and p1.</summary>
    Manual,
}

/// <summary>Baseline correction (spec §2 step 8).</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(CamelCaseEnumConverter<BaselineMode>))]
public enum BaselineMode
{
    /// <summary>None (the ⁷Li workflow).</summary>
    None,

    /// <summary>Iterative modified polynomial (IModPoly).</summary>
    IModPoly,

    /// <summary>Asymmetric least squares (Whittaker smoother).</summary>
    AsymmetricLeastSquares,
}

/// <summary>Processing settings (spec §2); every one is recorded with the result. Defaults are the spec's.</summary>
public sealed record NmrProcessingOptions
{
    /// <summary>Subtract the complex mean of the last eighth of the FID. Default off.</summary>
    public bool DcOffset { get; init; }

    /// <summary>Factor for the first point; null = 0.5, or 1.0 for digitally filtered Bruker data.</summary>
    public double? FirstPointFactor { get; init; }

    /// <summary>Exponential line broadening LB (Hz). Default 0.</summary>
    public double LineBroadeningHz { get; init; }

    /// <summary>Gaussian broadening GW (added FWHM, Hz). Default 0.</summary>
    public double GaussianHz { get; init; }

    /// <summary>TopSpin GM: GB as a fraction of the acquisition time (with a negative <see cref="LineBroadeningHz"/>); null = not used.</summary>
    public double? GaussMaximumPosition { get; init; }

    /// <summary>Points after zero filling; null = the next power of two ≥ 2× the complex points.</summary>
    public int? Size { get; init; }

    /// <summary>Phase mode. Default ACME.</summary>
    public PhaseMode Phase { get; init; } = PhaseMode.Acme;

    /// <summary>Zero-order phase (degrees) for <see cref="PhaseMode.Manual"/>.</summary>
    public double P0 { get; init; }

    /// <summary>First-order phase (degrees, pivot at index 0) for <see cref="PhaseMode.Manual"/> and the fixed p1 of <see cref="PhaseMode.ZeroOrder"/>.</summary>
    public double P1 { get; init; }

    /// <summary>Baseline correction. Default none.</summary>
    public BaselineMode Baseline { get; init; } = BaselineMode.None;

    /// <summary>Polynomial degree of IModPoly. Default 3.</summary>
    public int BaselineDegree { get; init; } = 3;

    /// <summary>λ of the asymmetric least squares baseline (index units). Default 1e6.</summary>
    public double BaselineLambda { get; init; } = 1e6;
}

/// <summary>A processed spectrum with what was done to it.</summary>
/// <param name="Spectrum">The phased (and baseline-corrected) spectrum.</param>
/// <param name="P0">Zero-order phase applied (degrees).</param>
/// <param name="P1">First-order phase applied (degrees, pivot index 0), beyond the group-delay correction.</param>
/// <param name="GroupDelay">Group delay removed (complex points).</param>
/// <param name="FirstPointFactor">The first-point factor used.</param>
/// <param name="Baseline">The subtracted baseline, or null.</param>
/// <param name="Flags">Flags such as <c>phase_suspect</c>.</param>
/// <param name="Options">The settings.</param>
public sealed record ProcessedNmr(NmrSpectrum Spectrum, double P0, double P1, double GroupDelay, double FirstPointFactor, double[]? Baseline,
    IReadOnlyList<string> Flags, NmrProcessingOptions Options)
{
    /// <summary>The version recorded with results.</summary>
    public const string AlgorithmVersion = "nmr-processing@1.0.0";
}

/// <summary>The processing chain of spec §2: DC offset, first point, apodization, zero fill, FFT, group delay, phase, baseline.</summary>
public static class NmrProcessor
{
    /// <summary>Processes a FID.</summary>
    /// <exception cref="ArgumentException">The zero-fill size is smaller than the FID.</exception>
    public static ProcessedNmr Process(NmrFid fid, NmrProcessingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(fid);
        var o = options ?? new NmrProcessingOptions();
        var spectrum = Transform(fid, o, out double c0);
        int n = spectrum.Length;
        var flags = new List<string>(fid.Flags);

        // Group delay: a linear phase of 360·g degrees across the spectrum (spec §1.1).
        Phasing.Apply(spectrum, 0, 360 * fid.GroupDelay);
        double p0, p1;
        switch (o.Phase)
        {
            case PhaseMode.Manual:
                (p0, p1) = (o.P0, o.P1);
                break;
            case PhaseMode.ZeroOrder:
                p1 = o.P1;
                p0 = Phasing.AutoZeroOrder(spectrum, p1);
                break;
            default:
                (p0, p1) = Phasing.Acme(spectrum);
                break;
        }
        Phasing.Apply(spectrum, p0, p1);
        var real = new double[n];
        var imag = new double[n];
        for (int k = 0; k < n; k++)
        {
            real[k] = spectrum[k].Real;
            imag[k] = spectrum[k].Imaginary;
        }
        if (Phasing.NegativeAreaFraction(real) > 0.05)
        {
            flags.Add("phase_suspect");
        }
        double[]? baseline = o.Baseline switch
        {
            BaselineMode.IModPoly => Baselines.IModPoly(real, o.BaselineDegree),
            BaselineMode.AsymmetricLeastSquares => Baselines.AsymmetricLeastSquares(real, o.BaselineLambda),
            _ => null,
        };
        if (baseline is not null)
        {
            for (int k = 0; k < n; k++)
            {
                real[k] -= baseline[k];
            }
        }
        double offset = fid.CarrierPpm + fid.SpectralWidthHz / (2 * fid.FrequencyMHz);
        return new ProcessedNmr(new NmrSpectrum(fid.SourceName, real, imag, offset, fid.SpectralWidthHz, fid.FrequencyMHz), p0, p1, fid.GroupDelay, c0, baseline, flags, o);
    }

    /// <summary>Steps 2–6: the complex spectrum before group-delay removal and phasing, index 0 at the left edge.</summary>
    public static Complex[] Transform(NmrFid fid, NmrProcessingOptions o, out double firstPointFactor)
    {
        ArgumentNullException.ThrowIfNull(fid);
        ArgumentNullException.ThrowIfNull(o);
        int td = fid.Count;
        int n = o.Size ?? (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)(2 * td));
        if (n < td)
        {
            throw new ArgumentException($"The zero-filled size {n} is smaller than the FID's {td} points.", nameof(o));
        }
        var data = new Complex[n];
        Array.Copy(fid.Points, data, td);
        if (o.DcOffset)
        {
            int from = td - td / 8;
            Complex mean = Complex.Zero;
            for (int i = from; i < td; i++)
            {
                mean += data[i];
            }
            mean /= td - from;
            for (int i = 0; i < td; i++)
            {
                data[i] -= mean;
            }
        }
        firstPointFactor = o.FirstPointFactor ?? (fid.DigitallyFiltered ? 1.0 : 0.5);
        data[0] *= firstPointFactor;
        double dw = fid.DwellSeconds;
        // Stryker disable once Logical : equivalent mutant: with LB = 0 and no GB the window is e⁰ = 1, and with GB set the loop runs anyway.
        bool em = o.LineBroadeningHz != 0 && o.GaussMaximumPosition is null;
        if (em || o.GaussianHz != 0 || o.GaussMaximumPosition is not null)
        {
            double aq = td * dw;
            double b = o.GaussMaximumPosition is { } gb ? -Math.PI * o.LineBroadeningHz / (2 * gb * aq) : 0;
            // Stryker disable once Conditional : equivalent mutant: the expression is 0 for a Gaussian broadening of 0.
            double g = o.GaussianHz != 0 ? Math.Pow(Math.PI * o.GaussianHz, 2) / (4 * Math.Log(2)) : 0;
            for (int i = 0; i < td; i++)
            {
                double t = i * dw;
                data[i] *= Math.Exp(-Math.PI * o.LineBroadeningHz * t - b * t * t - g * t * t);
            }
        }
        Fourier.Forward(data, FourierOptions.Matlab);
        // fftshift: the carrier to the middle, high ppm (index 0) on the left.
        var shifted = new Complex[n];
        int half = n / 2;
        Array.Copy(data, half, shifted, 0, n - half);
        Array.Copy(data, 0, shifted, n - half, half);
        return shifted;
    }
}
