using System.Numerics;
using CloudPipeline.Core.Analysis.Eis.Circuits;
using Xunit;

namespace CloudPipeline.Core.Tests.Eis;

/// <summary>Every element's analytic derivatives, and the circuit tree's, against central differences of Z.</summary>
public sealed class CircuitGradientTests
{
    // Parameter sets per element: typical values, and exponents away from their bounds.
    public static TheoryData<string, double[]> Elements => new()
    {
        { "R", [12.5] },
        { "C", [2.2e-5] },
        { "L", [3.1e-7] },
        { "CPE", [1.4e-4, 0.83] },
        { "W", [41.0] },
        { "Wo", [35.0, 0.8] },
        { "Ws", [28.0, 1.7] },
        { "K", [17.0, 3.3e-3] },
        { "Zarc", [22.0, 4.1e-3, 0.77] },
        { "La", [2.5e-6, 0.91] },
        { "G", [14.0, 0.6] },
        { "Gs", [19.0, 0.45, 1.6] },
    };

    private static readonly double[] Omegas = [2 * Math.PI * 0.013, 2 * Math.PI * 1.7, 2 * Math.PI * 230, 2 * Math.PI * 8.9e4];

    [Theory]
    [MemberData(nameof(Elements))]
    public void The_analytic_derivatives_of_each_element_match_central_differences(string name, double[] parameters)
    {
        var element = CircuitElements.All.Single(e => e.Name == name);
        Assert.Equal(parameters.Length, element.Parameters);
        var gradient = new Complex[parameters.Length];
        foreach (double w in Omegas)
        {
            var z = element.Gradient(w, parameters, gradient);
            Assert.Equal(element.Impedance(w, parameters), z);
            for (int k = 0; k < parameters.Length; k++)
            {
                var numeric = CentralDifference(q => element.Impedance(w, q), parameters, k);
                AssertClose(numeric, gradient[k], $"{name} ∂Z/∂p{k} at ω = {w:G4}");
            }
        }
    }

    [Fact]
    public void The_circuit_tree_carries_derivatives_through_series_and_nested_parallel_connections()
    {
        var circuit = Circuit.Parse("R0-p(R1-Wo1,CPE1)-p(R2,p(C2,L2-K2))-Zarc3");
        double[] p = [8, 30, 20, 0.9, 1e-4, 0.8, 50, 1e-5, 1e-6, 40, 2e-3, 12, 1e-3, 0.7];
        Assert.Equal(p.Length, circuit.ParameterNames.Count);
        var gradient = new Complex[p.Length];
        foreach (double w in Omegas)
        {
            var z = circuit.ImpedanceAndGradient(w, p, gradient);
            Assert.Equal(circuit.Impedance(w, p).Real, z.Real, 1e-9 * z.Magnitude);
            for (int k = 0; k < p.Length; k++)
            {
                // Where a parameter barely moves Z (L2 at 0.01 Hz), rounding in Z limits the numeric derivative: compare
                // the change of Z a 1 % change of the parameter makes, to 10⁻⁸ of |Z|, as well as relatively.
                var numeric = CentralDifference(q => circuit.Impedance(w, q), p, k);
                double floor = 1e-8 * z.Magnitude / (0.01 * Math.Abs(p[k]));
                Assert.True((numeric - gradient[k]).Magnitude <= Math.Max(1e-5 * numeric.Magnitude, floor),
                    $"∂Z/∂{circuit.ParameterNames[k]} at ω = {w:G4}: numeric {numeric}, analytic {gradient[k]}");
            }
        }
    }

    // Central differences with one Richardson step, (4·D(h/2) − D(h))/3, h = 10⁻³·|p|: truncation O(h⁴) and a step
    // large enough that rounding in Z stays far below the tolerance even where Z barely depends on the parameter.
    private static Complex CentralDifference(Func<double[], Complex> z, double[] p, int k)
    {
        Complex D(double h)
        {
            var q = (double[])p.Clone();
            q[k] = p[k] + h;
            var plus = z(q);
            q[k] = p[k] - h;
            return (plus - z(q)) / (2 * h);
        }
        double step = 1e-3 * Math.Abs(p[k]);
        return (4 * D(step / 2) - D(step)) / 3;
    }

    private static void AssertClose(Complex expected, Complex actual, string what)
    {
        double scale = Math.Max(expected.Magnitude, 1e-300);
        Assert.True((expected - actual).Magnitude <= 1e-5 * scale, $"{what}: numeric {expected}, analytic {actual}");
    }
}
