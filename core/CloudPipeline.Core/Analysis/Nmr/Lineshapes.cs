using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace CloudPipeline.Core.Analysis.Nmr;

/// <summary>Lineshape of a component (spec §3).</summary>
public enum LineshapeKind
{
    /// <summary>L = A/(1 + ((x−x₀)/(w/2))²); area A·π·w/2.</summary>
    Lorentzian,

    /// <summary>G = A·exp(−4 ln2·(x−x₀)²/w²); area A·w·√(π/(4 ln 2)).</summary>
    Gaussian,

    /// <summary>PV = η·L + (1−η)·G with shared A, x₀, w; η ∈ [0, 1].</summary>
    PseudoVoigt,
}

/// <summary>A component's starting values and bounds (height A, centre x₀ and FWHM w in ppm, η).</summary>
/// <param name="Height">Initial A.</param>
/// <param name="Centre">Initial x₀.</param>
/// <param name="Width">Initial w.</param>
/// <param name="Eta">Initial η (pseudo-Voigt only).</param>
public sealed record ComponentGuess(double Height, double Centre, double Width, double Eta = 0.5);

/// <summary>A fitted component with standard errors.</summary>
/// <param name="Height">A.</param>
/// <param name="HeightSe">SE of A.</param>
/// <param name="Centre">x₀ (ppm).</param>
/// <param name="CentreSe">SE of x₀.</param>
/// <param name="Width">FWHM w (ppm).</param>
/// <param name="WidthSe">SE of w.</param>
/// <param name="Eta">η (1 for Lorentzian, 0 for Gaussian).</param>
/// <param name="EtaSe">SE of η (0 when not fitted).</param>
/// <param name="Area">Area of the component.</param>
public sealed record FittedComponent(double Height, double HeightSe, double Centre, double CentreSe, double Width, double WidthSe, double Eta, double EtaSe, double Area);

/// <summary>A lineshape fit.</summary>
/// <param name="Kind">Lineshape.</param>
/// <param name="Components">Fitted components.</param>
/// <param name="RSquared">R² = 1 − SS_res/SS_tot over the window.</param>
/// <param name="Fit">The model over the window's points.</param>
/// <param name="Iterations">Iterations used.</param>
public sealed record LineshapeFitResult(LineshapeKind Kind, IReadOnlyList<FittedComponent> Components, double RSquared, double[] Fit, int Iterations);

/// <summary>
/// Lineshape deconvolution (spec §3): bounded Levenberg–Marquardt (MathNet's) with analytic derivatives; SE from
/// σ²(JᵀJ)⁻¹ with σ² = SS_res/(n − p).
/// </summary>
public static class LineshapeFitter
{
    private const double FourLn2 = 2.772588722239781;

    /// <summary>The version recorded with results.</summary>
    public const string AlgorithmVersion = "nmr-lineshape@1.0.0";

    /// <summary>Value of one component at x.</summary>
    public static double Evaluate(LineshapeKind kind, double a, double x0, double w, double eta, double x)
    {
        double u = (x - x0) / w;
        double l = 1 / (1 + 4 * u * u);
        double g = Math.Exp(-FourLn2 * u * u);
        return kind switch
        {
            LineshapeKind.Lorentzian => a * l,
            LineshapeKind.Gaussian => a * g,
            _ => a * (eta * l + (1 - eta) * g),
        };
    }

    /// <summary>Area of one component.</summary>
    public static double Area(LineshapeKind kind, double a, double w, double eta) => kind switch
    {
        LineshapeKind.Lorentzian => a * Math.PI * w / 2,
        LineshapeKind.Gaussian => a * w * Math.Sqrt(Math.PI / FourLn2),
        _ => a * w * (eta * Math.PI / 2 + (1 - eta) * Math.Sqrt(Math.PI / FourLn2)),
    };

    /// <summary>Fits components to (x, y).</summary>
    /// <param name="kind">Lineshape of every component.</param>
    /// <param name="x">Abscissae (ppm).</param>
    /// <param name="y">Ordinates.</param>
    /// <param name="guesses">One per component.</param>
    /// <param name="minWidth">Lower bound of w.</param>
    /// <param name="maxWidth">Upper bound of w.</param>
    /// <param name="maxIterations">Iteration limit (default 1000).</param>
    public static LineshapeFitResult Fit(LineshapeKind kind, double[] x, double[] y, IReadOnlyList<ComponentGuess> guesses,
        double minWidth, double maxWidth, int maxIterations = 1000)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(guesses);
        int per = kind == LineshapeKind.PseudoVoigt ? 4 : 3;
        int p = per * guesses.Count;
        double lo = x.Min(), hi = x.Max();
        var start = new double[p];
        var lower = new double[p];
        var upper = new double[p];
        double yMax = Math.Max(y.Max(), 1e-300);
        for (int c = 0; c < guesses.Count; c++)
        {
            var g = guesses[c];
            int o = c * per;
            start[o] = Math.Max(g.Height, 1e-6 * yMax);
            start[o + 1] = Math.Clamp(g.Centre, lo, hi);
            start[o + 2] = Math.Clamp(g.Width, minWidth * 1.0001, maxWidth * 0.9999);
            lower[o] = 0;
            upper[o] = 10 * yMax;
            lower[o + 1] = lo;
            upper[o + 1] = hi;
            lower[o + 2] = minWidth;
            upper[o + 2] = maxWidth;
            if (per == 4)
            {
                start[o + 3] = Math.Clamp(g.Eta, 0.0001, 0.9999);
                lower[o + 3] = 0;
                upper[o + 3] = 1;
            }
        }
        Vector<double> Model(Vector<double> parameters, Vector<double> xs)
        {
            var result = Vector<double>.Build.Dense(xs.Count);
            for (int i = 0; i < xs.Count; i++)
            {
                double sum = 0;
                for (int c = 0; c < guesses.Count; c++)
                {
                    int o = c * per;
                    sum += Evaluate(kind, parameters[o], parameters[o + 1], parameters[o + 2], per == 4 ? parameters[o + 3] : 0, xs[i]);
                }
                result[i] = sum;
            }
            return result;
        }
        Matrix<double> Jacobian(Vector<double> parameters, Vector<double> xs)
        {
            var j = Matrix<double>.Build.Dense(xs.Count, p);
            for (int i = 0; i < xs.Count; i++)
            {
                for (int c = 0; c < guesses.Count; c++)
                {
                    int o = c * per;
                    double a = parameters[o], x0 = parameters[o + 1], w = parameters[o + 2];
                    double eta = per == 4 ? parameters[o + 3] : kind == LineshapeKind.Lorentzian ? 1 : 0;
                    double u = (xs[i] - x0) / w;
                    double l = 1 / (1 + 4 * u * u);
                    double g = Math.Exp(-FourLn2 * u * u);
                    // ∂L/∂u = −8u·L², ∂G/∂u = −2·4ln2·u·G; ∂u/∂x₀ = −1/w, ∂u/∂w = −u/w.
                    double dShapeDu = eta * (-8 * u * l * l) + (1 - eta) * (-2 * FourLn2 * u * g);
                    j[i, o] = eta * l + (1 - eta) * g;
                    j[i, o + 1] = a * dShapeDu * (-1 / w);
                    j[i, o + 2] = a * dShapeDu * (-u / w);
                    if (per == 4)
                    {
                        j[i, o + 3] = a * (l - g);
                    }
                }
            }
            return j;
        }
        var xv = Vector<double>.Build.Dense(x);
        var yv = Vector<double>.Build.Dense(y);
        var objective = ObjectiveFunction.NonlinearModel(Model, Jacobian, xv, yv);
        var minimizer = new LevenbergMarquardtMinimizer(gradientTolerance: 1e-15, stepTolerance: 1e-15, functionTolerance: 1e-10, maximumIterations: maxIterations);
        var result = minimizer.FindMinimum(objective, Vector<double>.Build.Dense(start), Vector<double>.Build.Dense(lower), Vector<double>.Build.Dense(upper));
        var best = result.MinimizingPoint;
        var fit = Model(best, xv).ToArray();
        double ssRes = 0, ssTot = 0, mean = y.Average();
        for (int i = 0; i < y.Length; i++)
        {
            ssRes += (y[i] - fit[i]) * (y[i] - fit[i]);
            ssTot += (y[i] - mean) * (y[i] - mean);
        }
        var se = StandardErrors(Jacobian(best, xv), ssRes / Math.Max(1, y.Length - p));
        var components = new List<FittedComponent>();
        for (int c = 0; c < guesses.Count; c++)
        {
            int o = c * per;
            double eta = per == 4 ? best[o + 3] : kind == LineshapeKind.Lorentzian ? 1 : 0;
            components.Add(new FittedComponent(best[o], se[o], best[o + 1], se[o + 1], best[o + 2], se[o + 2], eta, per == 4 ? se[o + 3] : 0,
                Area(kind, best[o], best[o + 2], eta)));
        }
        return new LineshapeFitResult(kind, components, 1 - ssRes / ssTot, fit, result.Iterations);
    }

    private static double[] StandardErrors(Matrix<double> j, double sigma2)
    {
        var jtj = j.TransposeThisAndMultiply(j);
        try
        {
            var covariance = jtj.Inverse() * sigma2;
            return Enumerable.Range(0, covariance.RowCount).Select(i => Math.Sqrt(Math.Max(0, covariance[i, i]))).ToArray();
        }
        catch (ArgumentException)
        {
            return Enumerable.Repeat(double.NaN, jtj.RowCount).ToArray();
        }
    }
}
