using System.Numerics;

namespace CloudPipeline.Core.Analysis.Eis.Circuits;

/// <summary>One element type of the circuit language (impedance.py's names and parameter order).</summary>
/// <param name="Name">The element name, e.g. <c>CPE</c>.</param>
/// <param name="Parameters">Parameter count.</param>
/// <param name="Units">Parameter units, for reports.</param>
/// <param name="UpperBounds">Default upper bounds per parameter (+∞ unless an exponent is bounded by 1).</param>
/// <param name="Impedance">Z(ω, parameters).</param>
public sealed record CircuitElement(string Name, int Parameters, string[] Units, double[] UpperBounds, Func<double, ReadOnlySpan<double>, Complex> Impedance);

/// <summary>Delegate shape for span-taking impedance functions.</summary>
public delegate Complex ImpedanceFunction(double omega, ReadOnlySpan<double> p);

/// <summary>The element table (eis spec §4).</summary>
public static class CircuitElements
{
    private static readonly Complex J = Complex.ImaginaryOne;

    private static CircuitElement E(string name, string[] units, ImpedanceFunction z, double[]? upper = null) =>
        new(name, units.Length, units, upper ?? units.Select(_ => double.PositiveInfinity).ToArray(), (w, p) => z(w, p));

    /// <summary>coth(x) as 1/tanh(x), taken as 1 for |x| &gt; 20 where tanh saturates (and cosh would overflow).</summary>
    private static Complex Coth(Complex x) => x.Magnitude > 20 ? Complex.One : 1 / Complex.Tanh(x);

    private static Complex Tanh(Complex x) => x.Magnitude > 20 ? Complex.One : Complex.Tanh(x);

    /// <summary>All elements, longest names first (the parser takes the longest match).</summary>
    public static IReadOnlyList<CircuitElement> All { get; } = new[]
    {
        E("R", ["Ohm"], (_, p) => p[0]),
        E("C", ["F"], (w, p) => 1 / (J * w * p[0])),
        E("L", ["H"], (w, p) => J * w * p[0]),
        E("CPE", ["Ohm^-1 s^a", ""], (w, p) => 1 / (p[0] * Complex.Pow(J * w, p[1])), [double.PositiveInfinity, 1]),
        E("W", ["Ohm s^-1/2"], (w, p) => p[0] * (1 - J) / Math.Sqrt(w)),
        E("Wo", ["Ohm", "s"], (w, p) => { var x = Complex.Sqrt(J * w * p[1]); return p[0] * Coth(x) / x; }),
        E("Ws", ["Ohm", "s"], (w, p) => { var x = Complex.Sqrt(J * w * p[1]); return p[0] * Tanh(x) / x; }),
        E("K", ["Ohm", "s"], (w, p) => p[0] / (1 + J * w * p[1])),
        E("Zarc", ["Ohm", "s", ""], (w, p) => p[0] / (1 + Complex.Pow(J * w * p[1], p[2]))),
        E("La", ["H", ""], (w, p) => Complex.Pow(J * w * p[0], p[1]), [double.PositiveInfinity, 1]),
        E("G", ["Ohm", "s"], (w, p) => p[0] / Complex.Sqrt(1 + J * w * p[1])),
        E("Gs", ["Ohm", "s", ""], (w, p) => { var x = Complex.Sqrt(1 + J * w * p[1]); return p[0] / (x * Tanh(p[2] * x)); }),
    }.OrderByDescending(e => e.Name.Length).ToArray();
}
