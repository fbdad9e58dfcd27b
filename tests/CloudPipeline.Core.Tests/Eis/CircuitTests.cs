using System.Numerics;
using CloudPipeline.Core.Analysis.Eis;
using CloudPipeline.Core.Analysis.Eis.Circuits;
using CloudPipeline.Core.Formats.Eis;
using CloudPipeline.Testing;
using Xunit;

namespace CloudPipeline.Core.Tests.Eis;

/// <summary>The circuit language and CNLS against eis.md §8.2 and §8.5.</summary>
public sealed class CircuitTests
{
    private static readonly double[] Frequencies = [0.001, 1, 1000];

    private static void Close(double expected, double actual, double relative, double absolute = 0) =>
        Assert.True(Math.Abs(actual - expected) <= Math.Max(relative * Math.Abs(expected), absolute), $"expected {expected:R}, got {actual:R}");

    [Theory]
    [InlineData("R1", 0.1, 0, 0.1, 0, 0.1, 0)]
    [InlineData("C1", 0, -1591.5494309, 0, -1.5915494309, 0, -0.0015915494)]
    [InlineData("L1", 0, 0.000628319, 0, 0.628319, 0, 628.319)]
    [InlineData("W1", 1.26156626, -1.26156626, 0.03989423, -0.03989423, 0.00126157, -0.00126157)]
    [InlineData("Wo1", 0.033333333, -79.5774743, 0.0330043705, -0.0823286679, 0.0019947114, -0.0019947114)]
    [InlineData("Ws1", 0.09999998, -4.18878913e-05, 0.08327519, -0.0333838167, 0.00199471, -0.00199471)]
    [InlineData("CPE1", 26.2162368, -8.51817171, 6.58522096, -2.13966799, 1.65413272, -0.5374603)]
    public void Elements_match_the_table(string circuit, double re0, double im0, double re1, double im1, double re2, double im2)
    {
        // The table prints about six significant digits.
        AssertImpedances(circuit, [.. new[] { 0.1, 0.2 }.Take(Circuit.Parse(circuit).ParameterNames.Count)], [new(re0, im0), new(re1, im1), new(re2, im2)], 5e-6, 1e-12);
    }

    /// <summary>
    /// The optional elements against the eis spec §4 formulas evaluated independently (Python's cmath, principal
    /// branches as impedance.py's numpy), at 1 mHz, 1 Hz and 1 kHz: K = R/(1 + jωτ), Zarc = R/(1 + (jωτ)^φ),
    /// La = (jωL)^α, G = R/√(1 + jωτ), Gs = R/(√(1 + jωτ)·tanh(φ√(1 + jωτ))).
    /// </summary>
    [Theory]
    [InlineData("K1", new[] { 0.1, 0.2 }, 0.09999984209, -0.0001256635077, 0.03877266367, -0.04872316614, 6.332569967e-08, -7.957742115e-05)]
    [InlineData("Zarc1", new[] { 0.1, 0.2, 0.8 }, 0.09985047117, -0.0004531932161, 0.04306926116, -0.03586828273, 0.0001033608866, -0.0003147346076)]
    [InlineData("La1", new[] { 0.1, 0.8 }, 0.000848254669, 0.00261065943, 0.2130719393, 0.655768, 53.52125134, 164.7214741)]
    [InlineData("G1", new[] { 0.1, 0.2 }, 0.09999994078, -6.283179106e-05, 0.07107755022, -0.03427465212, 0.001995504598, -0.001993917258)]
    [InlineData("Gs1", new[] { 0.1, 0.2, 0.8 }, 0.1505938727, -0.0001583502607, 0.0739694814, -0.06216801736, 0.001995504598, -0.001993917258)]
    public void Optional_elements_match_their_formulas(string circuit, double[] p, double re0, double im0, double re1, double im1, double re2, double im2)
    {
        Assert.Equal(p.Length, Circuit.Parse(circuit).ParameterNames.Count);
        AssertImpedances(circuit, p, [new(re0, im0), new(re1, im1), new(re2, im2)], 1e-8, 1e-15);
    }

    private static void AssertImpedances(string circuit, double[] p, Complex[] expected, double relative, double absolute)
    {
        var c = Circuit.Parse(circuit);
        for (int i = 0; i < Frequencies.Length; i++)
        {
            var z = c.Impedance(2 * Math.PI * Frequencies[i], p);
            Close(expected[i].Real, z.Real, relative, absolute);
            Close(expected[i].Imaginary, z.Imaginary, relative, absolute);
        }
    }

    /// <summary>
    /// Units and bounds as the eis spec §4 states them: parameters in the order R, τ, exponent; every lower bound 0 and
    /// upper bound +∞ except the CPE and La exponents (at most 1).
    /// </summary>
    [Fact]
    public void Each_element_names_its_parameter_units_and_bounds_the_exponents_of_cpe_and_la_by_one()
    {
        var expected = new Dictionary<string, string[]>
        {
            ["R"] = ["Ohm"], ["C"] = ["F"], ["L"] = ["H"], ["CPE"] = ["Ohm^-1 s^a", ""], ["W"] = ["Ohm s^-1/2"], ["Wo"] = ["Ohm", "s"], ["Ws"] = ["Ohm", "s"],
            ["K"] = ["Ohm", "s"], ["Zarc"] = ["Ohm", "s", ""], ["La"] = ["H", ""], ["G"] = ["Ohm", "s"], ["Gs"] = ["Ohm", "s", ""],
        };
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), CircuitElements.All.Select(e => e.Name).Order(StringComparer.Ordinal));
        foreach (var element in CircuitElements.All)
        {
            Assert.Equal(expected[element.Name], element.Units);
            Assert.Equal(element.Units.Length, element.Parameters);
            double[] upper = element.Name is "CPE" or "La" ? [double.PositiveInfinity, 1] : [.. element.Units.Select(_ => double.PositiveInfinity)];
            Assert.Equal(upper, element.UpperBounds);
        }
    }

    /// <summary>Analytic limits that tie elements together: Zarc at φ = 1 is the Voigt K, La at α = 1 is L, Gs for large φ is G, Wo and Ws tend to R at low frequency.</summary>
    [Fact]
    public void Elements_reduce_to_each_other_in_their_analytic_limits()
    {
        foreach (double f in new[] { 1e-3, 0.3, 17, 4e4 })
        {
            double w = 2 * Math.PI * f;
            var zarc = Circuit.Parse("Zarc1").Impedance(w, [3.0, 2e-3, 1.0]);
            var k = Circuit.Parse("K1").Impedance(w, [3.0, 2e-3]);
            Close(k.Real, zarc.Real, 1e-12, 1e-15);
            Close(k.Imaginary, zarc.Imaginary, 1e-12, 1e-15);
            var la = Circuit.Parse("La1").Impedance(w, [2e-6, 1.0]);
            Close(0, la.Real, 0, 1e-12 * w * 2e-6);
            Close(w * 2e-6, la.Imaginary, 1e-12);
            var gs = Circuit.Parse("Gs1").Impedance(w, [5.0, 0.01, 60]);
            var g = Circuit.Parse("G1").Impedance(w, [5.0, 0.01]);
            Close(g.Real, gs.Real, 1e-9, 1e-15);
            Close(g.Imaginary, gs.Imaginary, 1e-9, 1e-15);
        }
        // ωτ → ∞ (|x| in the thousands, where tanh and coth are 1 to double precision): both finite Warburgs become
        // the semi-infinite R/√(jωτ).
        foreach (string name in new[] { "Wo1", "Ws1" })
        {
            double w = 2 * Math.PI * 1e7;
            var z = Circuit.Parse(name).Impedance(w, [7.0, 1.0]);
            var limit = 7.0 / Complex.Sqrt(Complex.ImaginaryOne * w);
            Close(limit.Real, z.Real, 1e-12);
            Close(limit.Imaginary, z.Imaginary, 1e-12);
        }
        // ωτ → 0: tanh(x)/x → 1, so Ws → R; coth(x)/x → 1/x², so Wo's real part → R/3 (its series expansion 1/x² + 1/3).
        var ws = Circuit.Parse("Ws1").Impedance(2 * Math.PI * 1e-7, [7.0, 1.0]);
        Close(7.0, ws.Real, 1e-9);
        var wo = Circuit.Parse("Wo1").Impedance(2 * Math.PI * 1e-7, [7.0, 1.0]);
        Close(7.0 / 3, wo.Real, 1e-6);
    }

    [Fact]
    public void Series_and_parallel_compose_and_parameters_are_named_in_order()
    {
        var c = Circuit.Parse("R0-p(R1,C1)-p(R2-Wo1,C2)");
        Assert.Equal(["R0", "R1", "C1", "R2", "Wo1_0", "Wo1_1", "C2"], c.ParameterNames);
        var s = Circuit.Parse("R1-R2");
        var p = Circuit.Parse("p(R1,R2)");
        Assert.Equal(10, s.Impedance(1, [4, 6]).Real, 12);
        Assert.Equal(2.4, p.Impedance(1, [4, 6]).Real, 12);
    }

    [Theory]
    [InlineData("R0-X1", 3, "unknown element")]
    [InlineData("R0-R0", 3, "duplicate label R0")]
    [InlineData("R0-p(R1,C1", 3, "unbalanced '('")]
    [InlineData("R0-p(R1,C1))", 11, "unbalanced ')'")]
    [InlineData("R0-CPE", 6, "needs an index")]
    public void Syntax_errors_give_the_position(string text, int position, string problem)
    {
        var ex = Assert.Throws<CircuitSyntaxException>(() => Circuit.Parse(text));
        Assert.Equal(position, ex.Position);
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wrong_initial_guess_length_is_named()
    {
        var s = Synthetic("R0-p(R1,C1)", [10, 100, 1e-5]);
        var ex = Assert.Throws<ArgumentException>(() => CircuitFitter.Fit(s, Circuit.Parse("R0-p(R1,C1)"), [1, 2]));
        Assert.Contains("needs 3 values, not 2", ex.Message, StringComparison.Ordinal);
    }

    internal static Spectrum Synthetic(string circuit, double[] parameters)
    {
        var c = Circuit.Parse(circuit);
        var f = Enumerable.Range(0, 31).Select(i => Math.Pow(10, 5 - i / 6.0)).ToArray();
        var z = f.Select(x => c.Impedance(2 * Math.PI * x, parameters)).ToArray();
        return new Spectrum("synthetic", "synthetic", f, z.Select(v => v.Real).ToArray(), z.Select(v => v.Imaginary).ToArray(), new Dictionary<string, double[]>());
    }

    [Fact]
    public void Noise_free_rc_and_cpe_spectra_are_recovered()
    {
        var rc = CircuitFitter.Fit(Synthetic("R0-p(R1,C1)", [10, 100, 1e-5]), Circuit.Parse("R0-p(R1,C1)"), [5, 50, 1e-6]);
        Assert.All(rc.Values.Zip([10, 100, 1e-5]), x => Close(x.Second, x.First, 1e-8));
        Assert.True(rc.ChiSquare < 1e-20, $"chi2 {rc.ChiSquare}");
        var cpe = CircuitFitter.Fit(Synthetic("R0-p(R1,CPE1)", [10, 100, 1e-5, 0.8]), Circuit.Parse("R0-p(R1,CPE1)"), [5, 50, 1e-6, 0.9]);
        Assert.All(cpe.Values.Zip([10, 100, 1e-5, 0.8]), x => Close(x.Second, x.First, 1e-6));
    }

    [Fact]
    public void Noise_free_zarc_spectrum_is_recovered_within_half_a_percent()
    {
        double[] truth = [10, 50, 1e-3, 0.8];
        var fit = CircuitFitter.Fit(Synthetic("R0-Zarc1", truth), Circuit.Parse("R0-Zarc1"), [5, 30, 3e-4, 0.9]);
        Assert.All(fit.Values.Zip(truth), x => Close(x.Second, x.First, 0.005));
    }

    [Fact]
    public void A_text_file_that_is_not_eis_is_a_clear_error()
    {
        var ex = Assert.Throws<Formats.InstrumentFileException>(() => EisFormats.Read("notes.txt", "Cell 7 looked fine today.\nRestarted at 14:00.\n"u8.ToArray()));
        Assert.Equal("NOT_EIS", ex.Code);
        Assert.Contains("notes.txt", ex.Message, StringComparison.Ordinal);
        Assert.Contains("no impedance layout recognises the file", ex.Message, StringComparison.Ordinal);
    }

    private static Spectrum ExampleData() => EisPreprocessing.KeepCapacitiveOnly(RealSpectra.Read("eis-csv/exampleData.csv"));

    [RealDataFact]
    public void Randles_fit_reproduces_the_reference_with_confidence_intervals()
    {
        var s = ExampleData();
        Assert.Equal(57, s.Count);
        var fit = CircuitFitter.Fit(s, Circuit.Parse("R0-p(R1-Wo1,C1)"), [.01, .005, .01, 200, .1]);
        double[] expected = [1.86235717e-02, 1.16804085e-02, 6.27121224e-02, 2.21232935e+02, 1.17171440e+00];
        Assert.All(fit.Values.Zip(expected), x => Close(x.Second, x.First, 1e-5));
        Close(1.20503e-4, fit.ChiSquare, 1e-5);
        double[] se = [2.4353e-4, 3.0515e-4, 4.3845e-3, 34.915, 0.085139];
        Assert.All(fit.Parameters.Select(p => p.StandardError).Zip(se), x => Close(x.Second, x.First, 0.02));
        Close(0.9611, fit.Correlation![2, 3], 1e-3);
        var r0 = fit.Parameters[0];
        Close(r0.Value - 1.98197 * r0.StandardError, r0.Lower95, 1e-4);
        var z10 = Circuit.Parse("R0-p(R1-Wo1,C1)").Impedance(2 * Math.PI * 10, fit.Values);
        Close(0.0251618, z10.Real, 1e-6);
        Close(-0.00601304, z10.Imaginary, 1e-5);
    }

    [RealDataFact]
    public void Seven_parameter_circuit_reaches_the_converged_optimum()
    {
        var fit = CircuitFitter.Fit(ExampleData(), Circuit.Parse("R0-p(R1,C1)-p(R2-Wo1,C2)"), [.01, .01, 100, .01, .05, 100, 1]);
        Assert.True(fit.ChiSquare <= 1.9428e-5, $"chi2 {fit.ChiSquare}");
        double[] bounded = [1.6519e-2, 8.6786e-3, 3.3218, 5.3904e-3, 6.3703e-2, 2.3785e2, 2.1953e-1];
        Assert.All(fit.Values.Zip(bounded), x => Close(x.Second, x.First, 0.01));
        var withBounds = CircuitFitter.Fit(ExampleData(), Circuit.Parse("R0-p(R1,C1)-p(R2-Wo1,C2)"), [.01, .01, 100, .01, .05, 100, 1],
            new CircuitFitOptions { LowerBounds = new double[7], UpperBounds = [10, 1, 1e3, 1, 1, 1e4, 100] });
        Assert.All(withBounds.Values.Zip(fit.Values), x => Close(x.Second, x.First, 1e-6));
    }

    [RealDataFact]
    public void Modulus_weighted_seven_parameter_fit_is_at_least_as_good_as_the_reference_optimum()
    {
        // From the stated guess this LM reaches a lower minimum (chi2 0.01839) than the reference point of eis.md §8.5
        // (0.02002, where the two branches share the resistance differently), so the reference is a local optimum:
        // assert the chi2, as the spec asks for searches that may find other optima.
        var circuit = Circuit.Parse("R0-p(R1,C1)-p(R2-Wo1,C2)");
        var options = new CircuitFitOptions { Weighting = FitWeighting.Modulus };
        var fit = CircuitFitter.Fit(ExampleData(), circuit, [.01, .01, 100, .01, .05, 100, 1], options);
        double[] reference = [1.6399e-2, 9.0562e-3, 3.0604, 5.2867e-3, 1.4487e-1, 1.3201e3, 2.0151e-1];
        var polishedReference = CircuitFitter.Fit(ExampleData(), circuit, reference, options);
        Assert.All(polishedReference.Values.Zip(reference), x => Close(x.Second, x.First, 0.01)); // the reference is a true local optimum here too
        Assert.True(fit.ChiSquare <= polishedReference.ChiSquare, $"chi2 {fit.ChiSquare} > reference {polishedReference.ChiSquare}");
    }
}
