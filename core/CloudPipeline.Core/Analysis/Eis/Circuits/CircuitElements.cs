using System.Numerics;

namespace CloudPipeline.Core.Analysis.Eis.Circuits;

/// <summary>
/// Z(ω) of an element and its partial derivatives ∂Z/∂p_k, written into <paramref name="gradient"/> (one slot per
/// parameter).
/// </summary>
/// <param name="omega">Angular frequency ω (rad/s).</param>
/// <param name="p">The element's parameters.</param>
/// <param name="gradient">Receives ∂Z/∂p_k.</param>
/// <returns>Z.</returns>
public delegate Complex ImpedanceGradient(double omega, ReadOnlySpan<double> p, Span<Complex> gradient);

/// <summary>Delegate shape for span-taking impedance functions.</summary>
public delegate Complex ImpedanceFunction(double omega, ReadOnlySpan<double> p);

/// <summary>One element type of the circuit language (impedance.py's names and parameter order).</summary>
/// <param name="Name">The element name, e.g. <c>CPE</c>.</param>
/// <param name="Parameters">Parameter count.</param>
/// <param name="Units">Parameter units, for reports.</param>
/// <param name="UpperBounds">Default upper bounds per parameter (+∞ unless an exponent is bounded by 1).</param>
/// <param name="Impedance">Z(ω, parameters).</param>
/// <param name="Gradient">Z(ω, parameters) with its analytic derivatives.</param>
public sealed record CircuitElement(string Name, int Parameters, string[] Units, double[] UpperBounds, ImpedanceFunction Impedance, ImpedanceGradient Gradient);

/// <summary>
/// The element table (eis spec §4), each element with its impedance and the analytic derivatives the fit's
/// Jacobian uses (x = jω; τ, Q, … as named below). A test holds every derivative to central differences.
/// </summary>
public static class CircuitElements
{
    private static readonly Complex J = Complex.ImaginaryOne;

    // Stryker disable once Equality,Conditional : equivalent mutants: for |x| of 20 and above .NET's Complex.Tanh is already 1 to double precision (tested up to |x| ≈ 7,900), so the guard saves work and changes no value.
    /// <summary>coth(x) as 1/tanh(x), taken as 1 for |x| &gt; 20 where tanh saturates.</summary>
    private static Complex Coth(Complex x) => x.Magnitude > 20 ? Complex.One : 1 / Complex.Tanh(x);

    // Stryker disable once Equality : equivalent mutant: tanh(20) is 1 to double precision.
    private static Complex Tanh(Complex x) => x.Magnitude > 20 ? Complex.One : Complex.Tanh(x);

    /// <summary>
    /// The finite Warburg elements, Z = R·f(x)/x with x = √(jωτ) and f = coth (Wo) or tanh (Ws). Both satisfy
    /// f′ = 1 − f², so ∂Z/∂R = f(x)/x and ∂Z/∂τ = R·(1 − f² − f/x)/(2τ) (from dx/dτ = x/(2τ)).
    /// </summary>
    private static Complex FiniteWarburg(double w, ReadOnlySpan<double> p, Span<Complex> d, bool open)
    {
        var x = Complex.Sqrt(J * w * p[1]);
        var f = open ? Coth(x) : Tanh(x);
        d[0] = f / x;
        d[1] = p[0] * (1 - f * f - f / x) / (2 * p[1]);
        return p[0] * d[0];
    }

    private static CircuitElement E(string name, string[] units, ImpedanceGradient gradient, double[]? upper = null)
    {
        // Z alone: the gradient function with a scratch span (elements have at most three parameters).
        Complex Impedance(double w, ReadOnlySpan<double> p)
        {
            Span<Complex> scratch = stackalloc Complex[3];
            return gradient(w, p, scratch);
        }
        return new(name, units.Length, units, upper ?? units.Select(_ => double.PositiveInfinity).ToArray(), Impedance, gradient);
    }

    /// <summary>All elements, longest names first (the parser takes the longest match).</summary>
    public static IReadOnlyList<CircuitElement> All { get; } = new[]
    {
        // R: Z = R; ∂Z/∂R = 1.
        E("R", ["Ohm"], (_, p, d) =>
        {
            d[0] = 1;
            return p[0];
        }),

        // C: Z = 1/(jωC); ∂Z/∂C = −Z/C.
        E("C", ["F"], (w, p, d) =>
        {
            var z = 1 / (J * w * p[0]);
            d[0] = -z / p[0];
            return z;
        }),

        // L: Z = jωL; ∂Z/∂L = jω.
        E("L", ["H"], (w, p, d) =>
        {
            d[0] = J * w;
            return J * w * p[0];
        }),

        // CPE: Z = 1/(Q·(jω)^α); ∂Z/∂Q = −Z/Q; ∂Z/∂α = −Z·ln(jω).
        E("CPE", ["Ohm^-1 s^a", ""], (w, p, d) =>
        {
            var z = 1 / (p[0] * Complex.Pow(J * w, p[1]));
            d[0] = -z / p[0];
            d[1] = -z * Complex.Log(J * w);
            return z;
        }, [double.PositiveInfinity, 1]),

        // W (semi-infinite Warburg): Z = σ(1 − j)/√ω; ∂Z/∂σ = (1 − j)/√ω.
        E("W", ["Ohm s^-1/2"], (w, p, d) =>
        {
            d[0] = (1 - J) / Math.Sqrt(w);
            return p[0] * d[0];
        }),

        // Wo (finite-space Warburg): x = √(jωτ), Z = R·coth(x)/x.
        E("Wo", ["Ohm", "s"], (w, p, d) => FiniteWarburg(w, p, d, open: true)),

        // Ws (finite-length Warburg): x = √(jωτ), Z = R·tanh(x)/x.
        E("Ws", ["Ohm", "s"], (w, p, d) => FiniteWarburg(w, p, d, open: false)),

        // K (Voigt element): Z = R/(1 + jωτ); ∂Z/∂R = 1/(1 + jωτ); ∂Z/∂τ = −R·jω/(1 + jωτ)².
        E("K", ["Ohm", "s"], (w, p, d) =>
        {
            var denominator = 1 + J * w * p[1];
            d[0] = 1 / denominator;
            d[1] = -p[0] * J * w / (denominator * denominator);
            return p[0] * d[0];
        }),

        // Zarc: u = (jωτ)^α, Z = R/(1 + u); ∂Z/∂R = 1/(1 + u); ∂Z/∂τ = −R·α·u/(τ(1 + u)²); ∂Z/∂α = −R·u·ln(jωτ)/(1 + u)².
        E("Zarc", ["Ohm", "s", ""], (w, p, d) =>
        {
            var u = Complex.Pow(J * w * p[1], p[2]);
            var denominator = 1 + u;
            d[0] = 1 / denominator;
            d[1] = -p[0] * p[2] * u / (p[1] * denominator * denominator);
            d[2] = -p[0] * u * Complex.Log(J * w * p[1]) / (denominator * denominator);
            return p[0] * d[0];
        }),

        // La (modified inductance): Z = (jωL)^α; ∂Z/∂L = α·Z/L; ∂Z/∂α = Z·ln(jωL).
        E("La", ["H", ""], (w, p, d) =>
        {
            var z = Complex.Pow(J * w * p[0], p[1]);
            d[0] = p[1] * z / p[0];
            d[1] = z * Complex.Log(J * w * p[0]);
            return z;
        }, [double.PositiveInfinity, 1]),

        // G (Gerischer): Z = R/√(1 + jωτ); ∂Z/∂R = 1/√(1 + jωτ); ∂Z/∂τ = −R·jω/(2(1 + jωτ)^{3/2}).
        E("G", ["Ohm", "s"], (w, p, d) =>
        {
            var s = Complex.Sqrt(1 + J * w * p[1]);
            d[0] = 1 / s;
            d[1] = -p[0] * J * w / (2 * s * s * s);
            return p[0] * d[0];
        }),

        // Gs (finite-length Gerischer): x = √(1 + jωτ), Z = R/(x·tanh(φx)); ∂Z/∂R = Z/R;
        // ∂Z/∂φ = −R·sech²(φx)/tanh²(φx); ∂Z/∂τ = −R·(tanh(φx) + φx·sech²(φx))/(x·tanh(φx))²·jω/(2x).
        E("Gs", ["Ohm", "s", ""], (w, p, d) =>
        {
            var x = Complex.Sqrt(1 + J * w * p[1]);
            var tanh = Tanh(p[2] * x);
            var sech2 = 1 - tanh * tanh;
            var denominator = x * tanh;
            d[0] = 1 / denominator;
            d[2] = -p[0] * sech2 / (tanh * tanh);
            d[1] = -p[0] * (tanh + p[2] * x * sech2) / (denominator * denominator) * J * w / (2 * x);
            return p[0] * d[0];
        }),
    }.OrderByDescending(e => e.Name.Length).ToArray();
}
