using CloudPipeline.Core.Formats.Eis;
using CloudPipeline.Core.Numerics;
using MathNet.Numerics.LinearAlgebra;
using Complex = System.Numerics.Complex;

namespace CloudPipeline.Core.Analysis.Eis;

/// <summary>How λ is chosen.</summary>
public enum LambdaSelection
{
    /// <summary>The given λ (default 1e-3): reproducible across a time series.</summary>
    Fixed,

    /// <summary>Generalised cross-validation on the unconstrained problem over 10^[−6…1] in 1/8-decade steps.</summary>
    Gcv,

    /// <summary>Maximum Menger curvature of the L-curve of the NNLS solutions over the same grid.</summary>
    LCurve,
}

/// <summary>How the interphase window of log10 τ is read.</summary>
public enum TauWindowConvention
{
    /// <summary>τ of the kernel 1/(1 + j·2πf·τ) (default).</summary>
    Angular,

    /// <summary>τ = 1/f: the window is shifted by −log10(2π).</summary>
    Cyclic,
}

/// <summary>DRT parameters (eis spec §6) with their defaults.</summary>
public sealed record DrtParameters
{
    /// <summary>Grid points. Default 92.</summary>
    public int GridPoints { get; init; } = 92;

    /// <summary>Decades added beyond the measured range at each end. Default 1.</summary>
    public double ExtensionDecades { get; init; } = 1;

    /// <summary>λ rule. Default fixed.</summary>
    public LambdaSelection Selection { get; init; } = LambdaSelection.Fixed;

    /// <summary>λ for the fixed rule. Default 1e-3.</summary>
    public double Lambda { get; init; } = 1e-3;

    /// <summary>Regularisation order: 0 identity, 1 or 2 difference matrices. Default 0.</summary>
    public int Order { get; init; }

    /// <summary>Fit a series inductance. Default true.</summary>
    public bool Inductance { get; init; } = true;

    /// <summary>Interphase window, log10 τ lower bound (exclusive). Default −4.</summary>
    public double WindowFrom { get; init; } = -4;

    /// <summary>Interphase window, log10 τ upper bound (exclusive). Default 0.</summary>
    public double WindowTo { get; init; }

    /// <summary>Peak search window. Default −4 … −2.</summary>
    public (double From, double To) PeakWindow { get; init; } = (-4, -2);

    /// <summary>τ convention of the windows. Default angular.</summary>
    public TauWindowConvention Convention { get; init; } = TauWindowConvention.Angular;

    /// <summary>Electrode area (cm²) for area-specific values; null: none.</summary>
    public double? ElectrodeAreaCm2 { get; init; }

    /// <summary>A symmetric cell (Li‖Li): per-electrode values are half. Never for a full cell.</summary>
    public bool Symmetric { get; init; }
}

/// <summary>A tracked DRT peak.</summary>
/// <param name="GridLog10Tau">The grid maximum.</param>
/// <param name="RefinedLog10Tau">Parabola-refined position.</param>
/// <param name="Density">Peak density (Ω per decade).</param>
/// <param name="Area">Σ R_k between the flanking minima (Ω).</param>
public sealed record DrtPeak(double GridLog10Tau, double RefinedLog10Tau, double Density, double Area);

/// <summary>The DRT.</summary>
public sealed record DrtResult
{
    /// <summary>The version recorded with results.</summary>
    public const string AlgorithmVersion = "eis-drt@1.0.0";

    /// <summary>R∞ (Ω).</summary>
    public required double RInfinity { get; init; }

    /// <summary>Series inductance (H).</summary>
    public required double Inductance { get; init; }

    /// <summary>Grid log10 τ.</summary>
    public required double[] Log10Tau { get; init; }

    /// <summary>Resistance per bin R_k (Ω).</summary>
    public required double[] Resistance { get; init; }

    /// <summary>Density g_k = R_k/Δlog10 τ (Ω per decade).</summary>
    public required double[] Density { get; init; }

    /// <summary>Σ R_k (Ω).</summary>
    public required double PolarisationResistance { get; init; }

    /// <summary>Σ R_k inside the interphase window (Ω).</summary>
    public required double InterphaseResistance { get; init; }

    /// <summary>R_int·A (Ω·cm²), if an area was given.</summary>
    public double? InterphaseAsr { get; init; }

    /// <summary>Per-electrode R_int/2 for symmetric cells.</summary>
    public double? InterphaseResistancePerElectrode { get; init; }

    /// <summary>Per-electrode ASR/2 for symmetric cells with an area.</summary>
    public double? InterphaseAsrPerElectrode { get; init; }

    /// <summary>The peak in the peak window, if any.</summary>
    public DrtPeak? Peak { get; init; }

    /// <summary>λ used.</summary>
    public required double Lambda { get; init; }

    /// <summary>Relative residuals (Ẑ − Z)/|Z|.</summary>
    public required Complex[] Residuals { get; init; }

    /// <summary>Parameters used.</summary>
    public required DrtParameters Parameters { get; init; }
}

/// <summary>Distribution of relaxation times by Tikhonov-regularised non-negative least squares (eis spec §6).</summary>
public static class Drt
{
    /// <summary>Computes the DRT.</summary>
    public static DrtResult Compute(Spectrum spectrum, DrtParameters? parameters = null)
    {
        var p = parameters ?? new DrtParameters();
        EisValidation.RequireUsable(spectrum, minimumPoints: 3);
        int n = spectrum.Count, k = p.GridPoints;
        double fMax = spectrum.Frequency.Max(), fMin = spectrum.Frequency.Min();
        double from = Math.Log10(1 / (2 * Math.PI * fMax)) - p.ExtensionDecades;
        double to = Math.Log10(1 / (2 * Math.PI * fMin)) + p.ExtensionDecades;
        var log10Tau = Enumerable.Range(0, k).Select(i => from + (to - from) * i / (k - 1)).ToArray();
        double step = (to - from) / (k - 1);
        double rRef = Enumerable.Range(0, n).Max(spectrum.Modulus);
        // Stryker disable once Arithmetic : equivalent mutants: τ_L only scales the unpenalised inductance column, whose unknown ℓ scales back (L = ℓ·τ_L·R_ref).
        double tauL = 1 / (2 * Math.PI * fMax);
        // Stryker disable once Conditional : equivalent mutant: without inductance an extra column stays all zero, so its unknown is 0 and nothing else changes.
        int columns = 1 + k + (p.Inductance ? 1 : 0);

        var tau = log10Tau.Select(l => Math.Pow(10, l)).ToArray();
        var design = new double[2 * n * columns]; // column-major
        var b = Vector<double>.Build.Dense(2 * n);
        for (int i = 0; i < n; i++)
        {
            double omega = 2 * Math.PI * spectrum.Frequency[i];
            design[i] = 1;
            for (int j = 0; j < k; j++)
            {
                // 1/(1 + jωτ) = (1 − jωτ)/(1 + ω²τ²)
                double wt = omega * tau[j], denominator = 1 + wt * wt;
                design[(1 + j) * 2 * n + i] = 1 / denominator;
                design[(1 + j) * 2 * n + n + i] = -wt / denominator;
            }
            if (p.Inductance)
            {
                design[(1 + k) * 2 * n + n + i] = omega * tauL;
            }
            b[i] = spectrum.ZReal[i] / rRef;
            b[n + i] = spectrum.ZImag[i] / rRef;
        }
        var a = Matrix<double>.Build.DenseOfColumnMajor(2 * n, columns, design);
        var penalty = Penalty(p.Order, k, columns);
        var normal = new RegularisedNormalEquations(design, 2 * n, columns, b, penalty);
        double lambda = p.Selection switch
        {
            LambdaSelection.Gcv => new TikhonovGcv(a, b, penalty).Minimum(LambdaGrid()),
            LambdaSelection.LCurve => LCurveCorner(a, b, penalty, normal),
            _ => p.Lambda,
        };
        var x = Vector<double>.Build.DenseOfArray(normal.Solve(lambda));

        var resistance = Enumerable.Range(0, k).Select(j => x[1 + j] * rRef).ToArray();
        double shift = p.Convention == TauWindowConvention.Cyclic ? -Math.Log10(2 * Math.PI) : 0;
        double rint = Enumerable.Range(0, k).Where(j => log10Tau[j] > p.WindowFrom + shift && log10Tau[j] < p.WindowTo + shift).Sum(j => resistance[j]);
        var fitted = a * x;
        var residuals = Enumerable.Range(0, n).Select(i =>
            (new Complex(fitted[i], fitted[n + i]) * rRef - new Complex(spectrum.ZReal[i], spectrum.ZImag[i])) / spectrum.Modulus(i)).ToArray();
        double? asr = p.ElectrodeAreaCm2 is { } area ? rint * area : null;
        return new DrtResult
        {
            RInfinity = x[0] * rRef,
            Inductance = p.Inductance ? x[1 + k] * tauL * rRef : 0,
            Log10Tau = log10Tau,
            Resistance = resistance,
            Density = resistance.Select(r => r / step).ToArray(),
            PolarisationResistance = resistance.Sum(),
            InterphaseResistance = rint,
            InterphaseAsr = asr,
            InterphaseResistancePerElectrode = p.Symmetric ? rint / 2 : null,
            InterphaseAsrPerElectrode = p.Symmetric && asr is { } v ? v / 2 : null,
            Peak = FindPeak(log10Tau, resistance, step, p.PeakWindow.From + shift, p.PeakWindow.To + shift),
            Lambda = lambda,
            Residuals = residuals,
            Parameters = p,
        };
    }

    /// <summary>10^−6 … 10^1 in steps of 1/8 decade.</summary>
    public static IEnumerable<double> LambdaGrid() => Enumerable.Range(0, 57).Select(i => Math.Pow(10, -6 + i / 8.0));

    /// <summary>P = [0, Γ, 0]: Γ acts on the R_k block only (identity, first or second differences).</summary>
    private static Matrix<double> Penalty(int order, int k, int columns)
    {
        if (order is < 0 or > 2)
        {
            throw new ArgumentOutOfRangeException(nameof(order), order, "The regularisation order must be 0, 1 or 2.");
        }
        int rows = k - order;
        var m = Matrix<double>.Build.Dense(rows, columns);
        double[] stencil = order switch { 0 => [1], 1 => [-1, 1], _ => [1, -2, 1] };
        for (int r = 0; r < rows; r++)
        {
            for (int s = 0; s < stencil.Length; s++)
            {
                m[r, 1 + r + s] = stencil[s];
            }
        }
        return m;
    }

    private static double LCurveCorner(Matrix<double> a, Vector<double> b, Matrix<double> penalty, RegularisedNormalEquations normal)
    {
        var grid = LambdaGrid().ToArray();
        var points = grid.Select(l =>
        {
            var x = Vector<double>.Build.DenseOfArray(normal.Solve(l));
            return (X: Math.Log((b - a * x).L2Norm()), Y: Math.Log(Math.Max((penalty * x).L2Norm(), 1e-300)));
        }).ToArray();
        int best = 1;
        double bestCurvature = double.NegativeInfinity;
        for (int i = 1; i < points.Length - 1; i++)
        {
            // Menger curvature: 4·area / (product of the three side lengths).
            var (p1, p2, p3) = (points[i - 1], points[i], points[i + 1]);
            double area2 = (p2.X - p1.X) * (p3.Y - p1.Y) - (p3.X - p1.X) * (p2.Y - p1.Y);
            double d12 = Math.Sqrt(Math.Pow(p2.X - p1.X, 2) + Math.Pow(p2.Y - p1.Y, 2));
            double d23 = Math.Sqrt(Math.Pow(p3.X - p2.X, 2) + Math.Pow(p3.Y - p2.Y, 2));
            double d13 = Math.Sqrt(Math.Pow(p3.X - p1.X, 2) + Math.Pow(p3.Y - p1.Y, 2));
            double curvature = 2 * area2 / (d12 * d23 * d13);
            if (double.IsFinite(curvature) && curvature > bestCurvature)
            {
                bestCurvature = curvature;
                best = i;
            }
        }
        return grid[best];
    }

    private static DrtPeak? FindPeak(double[] log10Tau, double[] r, double step, double from, double to)
    {
        int best = -1;
        for (int j = 1; j < r.Length - 1; j++)
        {
            bool localMaximum = log10Tau[j] > from && log10Tau[j] < to && r[j] >= r[j - 1] && r[j] >= r[j + 1] && r[j] > 0;
            // Stryker disable once Equality : equivalent mutant of best < 0: j starts at 1, so best is −1 or at least 1, never 0.
            bool first = best < 0;
            if (localMaximum && (first || r[j] > r[best]))
            {
                best = j;
            }
        }
        if (best < 0)
        {
            return null;
        }
        double denominator = r[best - 1] - 2 * r[best] + r[best + 1];
        double delta = denominator == 0 ? 0 : 0.5 * (r[best - 1] - r[best + 1]) / denominator * step;
        int left = best, right = best;
        while (left > 0 && r[left - 1] <= r[left])
        {
            left--;
        }
        while (right < r.Length - 1 && r[right + 1] <= r[right])
        {
            right++;
        }
        double area = 0;
        for (int j = left; j <= right; j++)
        {
            area += r[j];
        }
        return new DrtPeak(log10Tau[best], log10Tau[best] + delta, r[best] / step, area);
    }
}

/// <summary>
/// The non-negative Tikhonov problem min ‖Ax − b‖² + λ‖Px‖² through its normal equations AᵀA + λ·PᵀP and Aᵀb. AᵀA,
/// Aᵀb and the column norms are formed once from the design, so solving for many λ (fixed, L-curve) only adds the
/// banded penalty; the stacked system [A; √λ·P] never needs to exist.
/// </summary>
internal sealed class RegularisedNormalEquations
{
    private readonly double[,] _gram;
    private readonly double[] _atb;
    private readonly double[] _designColumnL1;
    private readonly double[] _penaltyColumnL1;
    private readonly Matrix<double> _penalty;

    public RegularisedNormalEquations(double[] design, int rows, int columns, Vector<double> b, Matrix<double> penalty)
    {
        _gram = NonNegativeLeastSquares.Gram(design, rows, columns);
        _atb = NonNegativeLeastSquares.TransposeTimes(design, rows, columns, b.AsArray());
        _penalty = penalty;
        _designColumnL1 = new double[columns];
        _penaltyColumnL1 = new double[columns];
        // Stryker disable all : the column norms only set the solver's rounding threshold (1e-14 × the largest column norm below); mutants here change no result beyond rounding.
        for (int c = 0; c < columns; c++)
        {
            for (int r = 0; r < rows; r++)
            {
                _designColumnL1[c] += Math.Abs(design[c * rows + r]);
            }
            for (int r = 0; r < penalty.RowCount; r++)
            {
                _penaltyColumnL1[c] += Math.Abs(penalty[r, c]);
            }
        }
        // Stryker restore all
    }

    /// <summary>x ≥ 0 for one λ.</summary>
    public double[] Solve(double lambda)
    {
        int columns = _atb.Length;
        var normal = (double[,])_gram.Clone();
        // P is a banded stencil (≤ 3 non-zeros a row): λ·PᵀP from its non-zeros instead of a dense product.
        for (int r = 0; r < _penalty.RowCount; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                double v = _penalty[r, c];
                if (v == 0)
                {
                    // Stryker disable once Statement : equivalent mutant: without the skip the row adds λ·0·P = 0.
                    continue;
                }
                for (int d = Math.Max(0, c - 2); d <= Math.Min(columns - 1, c + 2); d++)
                {
                    normal[c, d] += lambda * v * _penalty[r, d];
                }
            }
        }
        // Stryker disable all : the rounding threshold of the solver (1e-14 × the largest column norm); mutants here change no result beyond rounding.
        double l1 = 0;
        for (int c = 0; c < columns; c++)
        {
            l1 = Math.Max(l1, _designColumnL1[c] + Math.Sqrt(lambda) * _penaltyColumnL1[c]);
        }
        double threshold = 1e-14 * l1;
        // Stryker restore all
        return NonNegativeLeastSquares.SolveNormal(normal, _atb, threshold);
    }
}
