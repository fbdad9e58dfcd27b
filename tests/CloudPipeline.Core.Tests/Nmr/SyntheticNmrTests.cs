using System.Numerics;
using CloudPipeline.Core.Analysis;
using CloudPipeline.Core.Analysis.Mri;
using CloudPipeline.Core.Analysis.Nmr;
using CloudPipeline.Core.Formats;
using CloudPipeline.Core.Tests.Numerics;
using Xunit;

namespace CloudPipeline.Core.Tests.Nmr;

/// <summary>Synthetic oracles of nmr spec §9 (items 16–24) and the acceptance values.</summary>
public sealed class SyntheticNmrTests
{
    // Spec item 17: SF 77.8 MHz, carrier 255 ppm, SW 50 kHz, 4096 points.
    private const double Sf = 77.8, Carrier = 255, Sw = 50_000;

    // Time-domain noise σ per part; the DFT of N points multiplies it by √N: 1e-4 → σ ≈ 0.0064 of the bulk line's height.
    private const double Noise = 1e-4;

    private static ProcessedNmr Li7(double thirdPpm, int seed, double noise = Noise, PhaseMode phase = PhaseMode.ZeroOrder) =>
        NmrProcessor.Process(NmrSimulation.Fid([new(245, 6, 1.0), new(250, 8, 0.35), new(thirdPpm, 12, 0.25)], Sf, Carrier, Sw, 4096, noise, seed),
            new NmrProcessingOptions { Size = 4096, Phase = phase });

    [Fact]
    public void A_simulated_7Li_fid_processed_end_to_end_gives_245_250_263_ppm_and_R2_above_0_998()
    {
        var r = LiMetalAnalysis.Analyse(Li7(263, seed: 7).Spectrum);
        Assert.Equal("ok", r.Status);
        Assert.True(r.RSquared >= 0.998, $"R² {r.RSquared}");
        Assert.Equal(3, r.Components.Count);
        Assert.Equal(245, r.Components[0].CentrePpm, 0.5);
        Assert.Equal(250, r.Components[1].CentrePpm, 0.5);
        Assert.Equal(263, r.Components[2].CentrePpm, 0.5);
        Assert.Equal("mossy / high-surface-area Li", r.Components[2].Label);
        Assert.Equal("bulk Li metal", r.Components[0].Label);
        Assert.Equal(LiMorphology.Version, r.LookupVersion);
        // Skin depth at the spectrum's 77.8 MHz: 17.4 µm (spec §5); with no deposit thickness the intensities stay semi-quantitative.
        Assert.Equal(17.4e-6, r.SkinDepth.SkinDepthM, 0.1e-6);
        Assert.Contains("semi_quantitative", r.Flags);
    }

    [Fact]
    public void The_same_with_the_third_line_at_268_ppm_is_labelled_more_dendritic()
    {
        var r = LiMetalAnalysis.Analyse(Li7(268, seed: 11).Spectrum);
        Assert.True(r.RSquared >= 0.998, $"R² {r.RSquared}");
        Assert.Equal(268, r.Components[2].CentrePpm, 0.5);
        Assert.Equal(268, r.Components[2].RoundedPpm);
        Assert.Equal("dendritic", r.Components[2].Label);
    }

    [Fact]
    public void Frequency_domain_oracle_shifted_by_3_ppm_is_referenced_back_with_widths_within_ten_percent()
    {
        // Spec item 16: 4096 points 350→150 ppm, lines at 248/253/266 ppm (245/250/263 + 3), σ 0.005.
        var s = SyntheticSeries.Spectrum([new(248, 6, 1.0), new(253, 8, 0.35), new(266, 12, 0.25)], 350, 150, 4096, 0.005, seed: 3);
        var r = LiMetalAnalysis.Analyse(s, new LiMetalOptions { Lineshape = LineshapeKind.Lorentzian });
        Assert.Equal(-3.0, r.ReferenceShiftPpm, 0.2);
        Assert.Equal([245, 250, 263], r.Components.Select(c => c.RoundedPpm));
        Assert.Equal(6, r.Components[0].FwhmPpm, 0.6);
        Assert.Equal(8, r.Components[1].FwhmPpm, 0.8);
        Assert.Equal(12, r.Components[2].FwhmPpm, 1.2);
        Assert.Equal(["bulk Li metal", "dense deposit or bulk-line asymmetry (ambiguous)", "mossy / high-surface-area Li"], r.Components.Select(c => c.Label));
        Assert.DoesNotContain("reference_offset_large", r.Flags);
    }

    [Fact]
    public void Zero_order_auto_phase_recovers_a_37_degree_error()
    {
        var fid = NmrSimulation.Fid([new(245, 6, 1.0), new(250, 8, 0.35), new(263, 12, 0.25)], Sf, Carrier, Sw, 4096, Noise, 5);
        var spectrum = NmrProcessor.Transform(fid, new NmrProcessingOptions { Size = 4096 }, out _);
        Phasing.Apply(spectrum, -37, 0);
        Assert.Equal(37, Phasing.AutoZeroOrder(spectrum), 3.0);
    }

    /// <summary>
    /// A noise-free absorptive line is phased by the ACME score to a hundredth of a degree by the zero-order search (its
    /// last grid is 0.005°); turned by a further 180° it integrates negative, and the search turns it back.
    /// </summary>
    [Theory]
    [InlineData(37.3)]
    [InlineData(40.123)] // off the 0.05° grid: the last 0.005° refinement is needed
    [InlineData(123.4)]
    [InlineData(300.7)]
    public void Zero_order_auto_phase_of_a_noise_free_line_is_exact_to_a_hundredth_of_a_degree(double p0)
    {
        // A 3 ppm line spans about 19 points of the 4096; much narrower lines are phased with a bias of a few tenths of a degree.
        var fid = NmrSimulation.Fid([new(255, 3, 1.0)], Sf, Carrier, Sw, 2048);
        var spectrum = NmrProcessor.Transform(fid, new NmrProcessingOptions { Size = 4096 }, out _);
        Phasing.Apply(spectrum, -p0, 0);
        Assert.Equal(p0, Phasing.AutoZeroOrder(spectrum), 0.01);
        Phasing.Apply(spectrum, 180, 0);
        Assert.Equal((p0 + 180) % 360, Phasing.AutoZeroOrder(spectrum), 0.01);
    }

    [Fact]
    public void Acme_recovers_phi0_40_phi1_30_within_two_degrees_on_a_noisy_spectrum_with_lines_across_it()
    {
        // The acceptance: lines spread over the spectral width (so p1 is determined), σ ≈ 0.6 % of the line height.
        double[] ppms = [0, 120, 255, 380, 500];
        var fid = NmrSimulation.Fid(ppms.Select(p => new SimulatedLine(p, 2, 1)).ToList(), Sf, Carrier, Sw, 4096, Noise, 2);
        AssertPhaseRecovered(fid, ppms, 40, 30, 2);
    }

    [Fact]
    public void Acme_recovers_200_and_60_degrees_within_three_degrees_on_four_narrow_lines()
    {
        // Spec item 18 (noise-free, as stated): four 0.5 ppm lines at 230–275 ppm in the item 17 setup.
        double[] ppms = [230, 245, 260, 275];
        var fid = NmrSimulation.Fid(ppms.Select(p => new SimulatedLine(p, 0.5, 1)).ToList(), Sf, Carrier, Sw, 4096);
        AssertPhaseRecovered(fid, ppms, 200, 60, 3);
    }

    [Fact]
    public void Acme_recovers_a_first_order_phase_near_the_end_of_its_range()
    {
        // p1 = −170° is 10° from the clip at ±180°: the coarse grid has to find its basin, a local search from (0, 0)
        // ends on the clip. Noise-free 2 ppm lines leave ACME a bias of about 1.4° at the spectrum's edge.
        double[] ppms = [0, 120, 255, 380, 500];
        var fid = NmrSimulation.Fid(ppms.Select(p => new SimulatedLine(p, 2, 1)).ToList(), Sf, Carrier, Sw, 4096);
        AssertPhaseRecovered(fid, ppms, 300, -170, 2.5);
    }

    private static void AssertPhaseRecovered(CloudPipeline.Core.Formats.Nmr.NmrFid fid, double[] ppms, double p0, double p1, double tolerance)
    {
        var spectrum = NmrProcessor.Transform(fid, new NmrProcessingOptions(), out _);
        Phasing.Apply(spectrum, -p0, -p1);
        var (q0, q1) = Phasing.Acme(spectrum);
        int n = spectrum.Length;
        foreach (double ppm in ppms)
        {
            double k = (Carrier + Sw / (2 * Sf) - ppm) / (Sw / (Sf * n));
            double error = Math.IEEERemainder(q0 - p0 + (q1 - p1) * k / n, 360);
            Assert.True(Math.Abs(error) <= tolerance, $"phase error {error:F2}° at {ppm} ppm (found p0 {q0:F2}, p1 {q1:F2})");
        }
    }

    [Fact]
    public void Baselines_recover_a_cubic_under_narrow_lines()
    {
        // Spec item 19.
        var lines = new SimulatedLine[] { new(300, 0.5, 1), new(270, 0.5, 0.5), new(240, 0.5, 0.8), new(210, 0.5, 0.3), new(180, 0.5, 0.6) };
        var s = SyntheticSeries.Spectrum(lines, 350, 150, 4096, 0.005, seed: 2);
        int n = s.Count;
        var truth = Enumerable.Range(0, n).Select(i => { double u = 2.0 * i / (n - 1) - 1; return 0.05 + 0.02 * u - 0.03 * u * u + 0.02 * u * u * u; }).ToArray();
        var y = s.Real.Select((v, i) => v + truth[i]).ToArray();
        double Rms(double[] b) => Math.Sqrt(b.Select((v, i) => (v - truth[i]) * (v - truth[i])).Average());

        var free = Enumerable.Range(0, n).Select(i => lines.All(l => Math.Abs(s.Ppm(i) - l.CentrePpm) > 5)).ToArray();
        Assert.True(Rms(Baselines.RegionPolynomial(y, free, 3)) < 0.0025);
        Assert.True(Rms(Baselines.IModPoly(y, 3)) < 0.0025);
        Assert.True(Rms(Baselines.AsymmetricLeastSquares(y, 1e6, 0.001)) < 0.015);
    }

    [Theory]
    [InlineData(BaselineMode.IModPoly)]
    [InlineData(BaselineMode.AsymmetricLeastSquares)]
    public void Processing_subtracts_the_chosen_baseline_with_its_own_degree_or_lambda_after_phasing(BaselineMode mode)
    {
        // Step 8 comes last: the phased spectrum minus the baseline that the chosen method fits to it.
        var fid = NmrSimulation.Fid([new(245, 6, 1.0), new(263, 12, 0.25)], Sf, Carrier, Sw, 2048, 0.01, 5);
        var options = new NmrProcessingOptions { Phase = PhaseMode.Manual, Size = 4096, LineBroadeningHz = 5 };
        var plain = NmrProcessor.Process(fid, options);
        Assert.Null(plain.Baseline);
        var corrected = NmrProcessor.Process(fid, options with { Baseline = mode, BaselineDegree = 2, BaselineLambda = 1e5 });
        var expected = mode == BaselineMode.IModPoly ? Baselines.IModPoly(plain.Spectrum.Real, 2) : Baselines.AsymmetricLeastSquares(plain.Spectrum.Real, 1e5);
        Assert.Equal(expected, corrected.Baseline!);
        Assert.Equal(plain.Spectrum.Real.Zip(expected, (y, b) => y - b), corrected.Spectrum.Real);
        Assert.Equal(plain.Spectrum.Imaginary, corrected.Spectrum.Imaginary);
    }

    [Fact]
    public void Stejskal_Tanner_b_values_and_attenuation_match_the_spec()
    {
        // Spec item 20: g_j = 29.46 T/m·√(j/16), δ 1 ms, Δ 60 ms, ¹⁹F, D 1.3e-12 → b_j = j·0.20523e12 s/m², S16/S0 = 0.01400.
        var g = Enumerable.Range(1, 16).Select(j => 29.46 * Math.Sqrt(j / 16.0)).ToArray();
        for (int j = 1; j <= 16; j++)
        {
            Assert.Equal(j * 0.20523e12, StejskalTanner.B(g[j - 1], 1e-3, 60e-3, Gyromagnetic.F19), j * 0.20523e12 * 1e-4);
        }
        Assert.Equal(0.01400, SyntheticSeries.Attenuation(g, 1.3e-12, 1e-3, 60e-3, Gyromagnetic.F19)[^1], 0.00001);
    }

    [Fact]
    public void Stejskal_Tanner_fit_returns_D_within_one_percent_of_1_3e_12()
    {
        // The acceptance: 16 steps to 2946 G/cm, Δ 60 ms, δ 1 ms; noise-free within 0.1 % (spec), noisy within 1 %.
        var g = Enumerable.Range(1, 16).Select(j => 2946 * 0.01 * Math.Sqrt(j / 16.0)).ToArray();
        var exact = StejskalTanner.Fit(g, SyntheticSeries.Attenuation(g, 1.3e-12, 1e-3, 60e-3, Gyromagnetic.F19), 1e-3, 60e-3, Gyromagnetic.F19);
        Assert.Equal(1.3e-12, exact.DiffusionM2PerS, 1.3e-12 * 0.001);
        Assert.Empty(exact.Flags);
        // A series that starts at g = 0 (b = 0, S = S₀) is fitted alike.
        double[] fromZero = [0, .. g];
        var zero = StejskalTanner.Fit(fromZero, SyntheticSeries.Attenuation(fromZero, 1.3e-12, 1e-3, 60e-3, Gyromagnetic.F19), 1e-3, 60e-3, Gyromagnetic.F19);
        Assert.Equal(1.3e-12, zero.DiffusionM2PerS, 1.3e-12 * 0.001);
        Assert.Equal(1, zero.S0, 1e-6);
        var noisy = StejskalTanner.Fit(g, SyntheticSeries.Attenuation(g, 1.3e-12, 1e-3, 60e-3, Gyromagnetic.F19, 1, 0.002, seed: 4), 1e-3, 60e-3, Gyromagnetic.F19);
        Assert.Equal(1.3e-12, noisy.DiffusionM2PerS, 1.3e-12 * 0.01);
        Assert.True(noisy.DiffusionSe > 0 && noisy.DiffusionSe < 0.01 * 1.3e-12, $"SE {noisy.DiffusionSe}");
        var spec = StejskalTanner.Fit(g, SyntheticSeries.Attenuation(g, 1.3e-12, 1e-3, 60e-3, Gyromagnetic.F19, 1, 0.01, seed: 8), 1e-3, 60e-3, Gyromagnetic.F19);
        Assert.Equal(1.3e-12, spec.DiffusionM2PerS, 1.3e-12 * 0.06); // spec item 20: σ 0.01 → within 6 %
    }

    [Fact]
    public void Stejskal_Tanner_needs_three_steps_with_one_intensity_each_and_three_steps_have_no_quadratic_test()
    {
        double[] g = [0.1, 0.2, 0.3];
        var two = Assert.Throws<AnalysisException>(() => StejskalTanner.Fit(g[..2], [1, 0.5], 1e-3, 60e-3, Gyromagnetic.F19));
        Assert.Equal("PFG_TOO_FEW_STEPS", two.Code);
        Assert.Contains("got 2 gradients and 2 intensities", two.Message, StringComparison.Ordinal);
        var uneven = Assert.Throws<AnalysisException>(() => StejskalTanner.Fit(g, [1, 0.5, 0.2, 0.1], 1e-3, 60e-3, Gyromagnetic.F19));
        Assert.Contains("got 3 gradients and 4 intensities", uneven.Message, StringComparison.Ordinal);
        // Three noise-free steps: D and S₀ exactly, no residual, and a quadratic term cannot be tested (t = 0, no flag).
        double d = 2e-10;
        var s = g.Select(x => 2.5 * Math.Exp(-StejskalTanner.B(x, 1e-3, 60e-3, Gyromagnetic.Li7) * d)).ToArray();
        var fit = StejskalTanner.Fit(g, s, 1e-3, 60e-3, Gyromagnetic.Li7);
        Assert.Equal(d, fit.DiffusionM2PerS, d * 1e-9);
        Assert.Equal(2.5, fit.S0, 1e-9);
        Assert.All(fit.Residuals, r => Assert.Equal(0, r, 1e-9));
        Assert.Equal(0, fit.QuadraticT);
        Assert.Empty(fit.Flags);
        Assert.Equal(g.Select(x => StejskalTanner.B(x, 1e-3, 60e-3, Gyromagnetic.Li7)), fit.B);
    }

    /// <summary>
    /// Standard errors by hand: S = S₀·e^(−bD) plus residuals r orthogonal to both columns of the Jacobian
    /// (∂S/∂S₀ = e^(−bD), ∂S/∂D = −S₀·b·e^(−bD)), so (S₀, D) is still the least-squares optimum. Then
    /// σ² = |r|²/(n − 2) and the covariance is σ²·(JᵀJ)⁻¹.
    /// </summary>
    [Fact]
    public void Stejskal_Tanner_standard_errors_are_those_of_the_jacobian_at_the_optimum()
    {
        const double s0 = 2, d = 1.3e-12, small = 1e-3, big = 60e-3;
        double[] g = [0.5, 5, 10, 15, 20, 25];
        var b = g.Select(x => StejskalTanner.B(x, small, big, Gyromagnetic.F19)).ToArray();
        var e = b.Select(x => Math.Exp(-x * d)).ToArray();
        var j = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(g.Length, 2, (i, c) => c == 0 ? e[i] : -s0 * b[i] * e[i]);
        // Residuals of about 1 % of S₀.
        var (r, jtjInverse) = OrthogonalResiduals.To(j, [0.3, -0.5, 0.2, 0.6, -0.4, 0.1], 0.02);
        var fit = StejskalTanner.Fit(g, e.Select((x, i) => s0 * x + r[i]).ToArray(), small, big, Gyromagnetic.F19);
        Assert.Equal(d, fit.DiffusionM2PerS, d * 1e-6);
        Assert.Equal(s0, fit.S0, 1e-6);
        Assert.All(fit.Residuals.Zip(r), x => Assert.Equal(x.Second, x.First, 1e-6));
        double s0Se = OrthogonalResiduals.StandardError(r, jtjInverse, 0), dSe = OrthogonalResiduals.StandardError(r, jtjInverse, 1);
        Assert.Equal(dSe, fit.DiffusionSe, dSe * 1e-4);
        Assert.Equal(s0Se, fit.S0Se, s0Se * 1e-4);
    }

    /// <summary>
    /// The curvature test by hand: ln S = c₀ + c₁u + c₂u² (u = b/b_max) plus residuals w orthogonal to 1, u and u², so the
    /// quadratic fit returns c₂ exactly and t = c₂/√(σ²·[(XᵀX)⁻¹]₂₂) with σ² = |w|²/(n − 3); |t| &gt; 3 flags it.
    /// </summary>
    [Theory]
    [InlineData(0.5, 6, false, true)]
    [InlineData(0.005, 6, false, false)]
    [InlineData(0.5, 4, false, true)] // 4 steps: one degree of freedom is enough for the test
    [InlineData(0.5, 6, true, true)] // a last step whose signal is gone (S = 0) is left out of ln S
    public void The_non_monoexponential_t_statistic_is_that_of_the_quadratic_term(double c2, int steps, bool vanished, bool flagged)
    {
        double[] g = new double[] { 5, 10, 15, 20, 25, 30 }[..steps];
        var b = g.Select(x => StejskalTanner.B(x, 1e-3, 60e-3, Gyromagnetic.F19)).ToArray();
        var u = b.Select(x => x / b.Max()).ToArray();
        var design = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(u.Length, 3, (i, c) => Math.Pow(u[i], c));
        var (w, xtxInverse) = OrthogonalResiduals.To(design, new[] { 0.3, -0.5, 0.2, 0.6, -0.4, 0.1 }[..steps], 0.01);
        var intensities = u.Select((x, i) => Math.Exp(0.2 - 1.5 * x + c2 * x * x + w[i])).ToList();
        if (vanished)
        {
            // At a larger gradient: b_max changes, but t does not depend on the unit of b.
            g = [.. g, 60];
            intensities.Add(0);
        }
        var fit = StejskalTanner.Fit(g, intensities, 1e-3, 60e-3, Gyromagnetic.F19);
        double t = c2 / OrthogonalResiduals.StandardError(w, xtxInverse, 2);
        Assert.Equal(t, fit.QuadraticT, Math.Abs(t) * 1e-6);
        Assert.Equal(flagged, Math.Abs(t) > 3);
        Assert.Equal(flagged, fit.Flags.Contains("non_monoexponential"));
    }

    [Fact]
    public void A_biexponential_decay_is_flagged_non_monoexponential()
    {
        var g = Enumerable.Range(1, 16).Select(j => 29.46 * Math.Sqrt(j / 16.0)).ToArray();
        var fast = SyntheticSeries.Attenuation(g, 1.3e-12, 1e-3, 60e-3, Gyromagnetic.F19);
        var slow = SyntheticSeries.Attenuation(g, 0.13e-12, 1e-3, 60e-3, Gyromagnetic.F19);
        var fit = StejskalTanner.Fit(g, fast.Zip(slow, (a, b) => 0.7 * a + 0.3 * b).ToArray(), 1e-3, 60e-3, Gyromagnetic.F19);
        Assert.Contains("non_monoexponential", fit.Flags);
    }

    [Fact]
    public void Skin_depth_of_lithium_and_the_quantification_flag()
    {
        // Spec items 5 and 23: ⁷Li at 4.7 T → 17.4 µm, 11.7 T → 11.0 µm.
        Assert.Equal(17.4e-6, SkinDepth.Depth(SkinDepth.Li7MHzPerTesla * 1e6 * 4.7), 0.1e-6);
        Assert.Equal(11.0e-6, SkinDepth.Depth(SkinDepth.Li7MHzPerTesla * 1e6 * 11.7), 0.1e-6);
        double f = SkinDepth.Li7MHzPerTesla * 1e6 * 4.7;
        Assert.Equal("semi_quantitative", SkinDepth.Assess(f, 300e-6, 2e-6).Flag);
        Assert.Equal("quantitative", SkinDepth.Assess(f, null, 2e-6).Flag);
        Assert.Equal("semi_quantitative", SkinDepth.Assess(f, null, 10e-6).Flag);
        // A foil exactly one skin depth thick is not thicker than δ; a deposit of exactly 0.2·δ is still quantitative.
        double depth = SkinDepth.Depth(f);
        Assert.Equal("quantitative", SkinDepth.Assess(f, depth, 0.2 * depth).Flag);
        Assert.Equal("semi_quantitative", SkinDepth.Assess(f, Math.BitIncrement(depth), 2e-6).Flag);
    }

    [Fact]
    public void Nernst_Einstein_mobility_at_1_3e_12_and_40_C()
    {
        Assert.Equal(4.817e-11, NernstEinstein.Mobility(1.3e-12, 313.15), 4.817e-11 * 0.001); // spec item 24
    }

    [Fact]
    public void A_D_of_c_table_interpolates_linearly_and_refuses_concentrations_outside_it()
    {
        const string csv = "conc_value,conc_unit,T_K,D_m2_s,D_se,species,source\n1.0,mol/L,313.15,2.0e-12,,anion,pfg-1\n2000,mmol/L,313.15,1.0e-12,0.02e-12,anion,pfg-2\n";
        var table = DiffusionTable.Parse(csv, "d.csv");
        Assert.Equal(1.5e-12, table.Evaluate(1.5), 1e-24);
        var ex = Assert.Throws<AnalysisException>(() => table.Evaluate(2.5));
        Assert.Equal("D_OUTSIDE_TABLE", ex.Code);

        // The MRI drift analysis evaluates D through its model; with a table the table answers, at c in mol/L.
        var model = DiffusionModel.EoLiRatioCorrected with { Table = table };
        Assert.Equal(1.25e-12, model.Evaluate(model.VariableAt(1.75, 1.666)), 1e-24);
        Assert.False(model.IsValidAt(2.5));

        // The same table given in a manifest's mriDrift.dModel.
        string manifest = """
            { "schemaVersion": 1, "mriDrift": { "dModel": { "table": { "entries": [
              { "concentrationMolPerL": 1.0, "temperatureK": 313.15, "diffusionM2PerS": 2.0e-12, "species": "anion", "source": "pfg-1" },
              { "concentrationMolPerL": 2.0, "temperatureK": 313.15, "diffusionM2PerS": 1.0e-12, "species": "anion", "source": "pfg-2" } ] } } } }
            """;
        var m = CloudPipeline.Core.Pipeline.ExperimentManifest.Read(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(manifest)), "experiment.json");
        Assert.Equal(1.5e-12, m.MriDrift!.DModel.Evaluate(m.MriDrift.DModel.VariableAt(1.5, 1.666)), 1e-24);

        var bad = Assert.Throws<InstrumentFileException>(() => DiffusionTable.Parse(csv.Replace("1.0e-12", "-1e-12", StringComparison.Ordinal), "d.csv"));
        Assert.Equal(3, bad.Line);
        Assert.Equal("D_m2_s", bad.Field);
    }

    [Fact]
    public void Lineshape_areas_follow_their_closed_forms()
    {
        // Integrate each shape numerically over ±2000 widths and compare with the closed form of spec §3.
        foreach (var (kind, eta) in new[] { (LineshapeKind.Lorentzian, 1.0), (LineshapeKind.Gaussian, 0.0), (LineshapeKind.PseudoVoigt, 0.3) })
        {
            double sum = 0, h = 0.001;
            for (double x = -4000; x <= 4000; x += h * (Math.Abs(x) < 20 ? 1 : 100))
            {
                sum += LineshapeFitter.Evaluate(kind, 2, 0, 2, eta, x) * h * (Math.Abs(x) < 20 ? 1 : 100);
            }
            Assert.Equal(LineshapeFitter.Area(kind, 2, 2, eta), sum, LineshapeFitter.Area(kind, 2, 2, eta) * 2e-3);
        }
        Assert.Equal(1.06447 * 2 * 2, LineshapeFitter.Area(LineshapeKind.Gaussian, 2, 2, 0), 1e-4);
    }
}
