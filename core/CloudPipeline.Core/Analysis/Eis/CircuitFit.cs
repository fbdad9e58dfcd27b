using CloudPipeline.Core.Analysis.Eis.Circuits;
using CloudPipeline.Core.Formats.Eis;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Providers.LinearAlgebra;
using System.Globalization;
using System.Numerics.Tensors;

namespace CloudPipeline.Core.Analysis.Eis;

/// <summary>Residual weighting of the fit.</summary>
public enum FitWeighting
{
    /// <summary>σ = 1 (impedance.py's default).</summary>
    Unit,

    /// <summary>σ = |Z_i| for both parts (impedance.py's weight_by_modulus).</summary>
    Modulus,

    /// <summary>σre = |Zre_i|, σim = |Zim_i|, each at least 1e-3·|Z_i|.</summary>
    Proportional,
}

/// <summary>Options of a circuit fit.</summary>
public sealed record CircuitFitOptions
{
    /// <summary>Weighting. Default unit.</summary>
    public FitWeighting Weighting { get; init; } = FitWeighting.Unit;

    /// <summary>Fixed parameters by name; they leave the free vector.</summary>
    public IReadOnlyDictionary<string, double> Constants { get; init; } = new Dictionary<string, double>();

    /// <summary>Lower bounds of the free parameters (default 0).</summary>
    public double[]? LowerBounds { get; init; }

    /// <summary>Upper bounds of the free parameters (default +∞, 1 for exponents).</summary>
    public double[]? UpperBounds { get; init; }

    /// <summary>
    /// Stop when a step lowers χ² by less than this fraction and the linearised model predicts no more (MINPACK's
    /// ftol test; SciPy's default there is 1.49e-8). Default 1e-10: the parameters then sit within about 1e-4 of
    /// their standard error of the minimum, and further iterations no longer change χ² meaningfully.
    /// </summary>
    public double RelativeChiSquareTolerance { get; init; } = 1e-10;

    /// <summary>Stop when no parameter moves by more than this fraction (MINPACK's xtol test). Default 1e-10.</summary>
    public double RelativeStepTolerance { get; init; } = 1e-10;

    /// <summary>Model evaluations at most. Default 100,000.</summary>
    public int MaxEvaluations { get; init; } = 100_000;
}

/// <summary>A fitted parameter.</summary>
/// <param name="Name">Parameter name.</param>
/// <param name="Unit">Unit.</param>
/// <param name="Value">Fitted value.</param>
/// <param name="StandardError">Standard error (NaN if the covariance is singular or the parameter is fixed).</param>
/// <param name="Lower95">Lower end of the 95 % confidence interval.</param>
/// <param name="Upper95">Upper end of the 95 % confidence interval.</param>
/// <param name="Fixed">Held constant.</param>
/// <param name="AtBound">Ended on a bound (flag <c>AT_BOUND</c>).</param>
public sealed record FittedParameter(string Name, string Unit, double Value, double StandardError, double Lower95, double Upper95, bool Fixed, bool AtBound);

/// <summary>A circuit fit's result.</summary>
/// <param name="Circuit">The circuit string.</param>
/// <param name="Parameters">All parameters in circuit order.</param>
/// <param name="ChiSquare">χ² of the weighted residuals.</param>
/// <param name="Rmse">RMSE of the unweighted complex residuals.</param>
/// <param name="Covariance">Covariance of the free parameters (null if singular).</param>
/// <param name="Correlation">Correlation of the free parameters (null if singular).</param>
/// <param name="Evaluations">Model evaluations used (a residual vector or a Jacobian each count one).</param>
/// <param name="Flags">COV_SINGULAR, AT_BOUND, MAX_EVALUATIONS.</param>
public sealed record CircuitFitResult(string Circuit, IReadOnlyList<FittedParameter> Parameters, double ChiSquare, double Rmse,
    double[,]? Covariance, double[,]? Correlation, int Evaluations, IReadOnlyList<string> Flags)
{
    /// <summary>The version recorded with results.</summary>
    public const string AlgorithmVersion = "eis-fit@1.3.0";

    /// <summary>The full parameter vector.</summary>
    public double[] Values => Parameters.Select(p => p.Value).ToArray();
}

/// <summary>
/// Complex nonlinear least squares (eis spec §5): Levenberg–Marquardt with Marquardt's diagonal scaling on the
/// analytic Jacobian (<see cref="Circuit.ImpedanceAndGradient"/>; central differences until 1.1.0), every trial step projected onto the bounds, then the covariance
/// s²·(JᵀJ)⁻¹ with s² = χ²/(2N − P) and Student-t 95 % intervals.
/// </summary>
public static class CircuitFitter
{
    /// <summary>Fits <paramref name="circuit"/> to <paramref name="spectrum"/> from <paramref name="initialGuess"/> (free parameters only, in circuit order).</summary>
    /// <exception cref="ArgumentException">The guess length is not the number of free parameters, or a bound is inconsistent.</exception>
    public static CircuitFitResult Fit(Spectrum spectrum, Circuit circuit, IReadOnlyList<double> initialGuess, CircuitFitOptions? options = null)
    {
        var o = options ?? new CircuitFitOptions();
        EisValidation.RequireUsable(spectrum, minimumPoints: 2);
        int total = circuit.ParameterNames.Count;
        var freeIndex = Enumerable.Range(0, total).Where(i => !o.Constants.ContainsKey(circuit.ParameterNames[i])).ToArray();
        foreach (var name in o.Constants.Keys.Where(k => !circuit.ParameterNames.Contains(k)))
        {
            throw new ArgumentException($"Constant '{name}' is not a parameter of {circuit.Text} ({string.Join(", ", circuit.ParameterNames)}).");
        }
        if (initialGuess.Count != freeIndex.Length)
        {
            throw new ArgumentException($"{circuit.Text} has {total} parameters ({string.Join(", ", circuit.ParameterNames)}), {o.Constants.Count} of them constant: the initial guess needs {freeIndex.Length} values, not {initialGuess.Count}.");
        }
        int p = freeIndex.Length;
        int n = spectrum.Count;
        var lower = o.LowerBounds ?? new double[p];
        var upper = o.UpperBounds ?? freeIndex.Select(i => circuit.DefaultUpperBounds[i]).ToArray();
        if (lower.Length != p || upper.Length != p || Enumerable.Range(0, p).Any(i => lower[i] > upper[i]))
        {
            throw new ArgumentException($"Bounds must have {p} values each, with lower <= upper.");
        }

        var omega = spectrum.Frequency.Select(f => 2 * Math.PI * f).ToArray();
        var (sigmaRe, sigmaIm) = Sigmas(spectrum, o.Weighting);
        var full = new double[total];
        foreach (var (name, value) in o.Constants)
        {
            full[Array.IndexOf(circuit.ParameterNames.ToArray(), name)] = value;
        }
        int evaluations = 0;

        void Residuals(double[] free, double[] r)
        {
            for (int k = 0; k < p; k++)
            {
                full[freeIndex[k]] = free[k];
            }
            for (int i = 0; i < n; i++)
            {
                var z = circuit.Impedance(omega[i], full);
                r[i] = (z.Real - spectrum.ZReal[i]) / sigmaRe[i];
                r[n + i] = (z.Imaginary - spectrum.ZImag[i]) / sigmaIm[i];
            }
            evaluations++;
        }

        // The analytic Jacobian (each element's derivatives through the circuit tree), into one reused column-major
        // array; JᵀJ, Jᵀr and the damped Cholesky solve run in place on reused arrays through MathNet's provider, so
        // an iteration allocates nothing.
        var gradient = new System.Numerics.Complex[total];
        var jac = new double[2 * n * p];
        void Jacobian(double[] free)
        {
            for (int k = 0; k < p; k++)
            {
                full[freeIndex[k]] = free[k];
            }
            for (int i = 0; i < n; i++)
            {
                circuit.ImpedanceAndGradient(omega[i], full, gradient);
                for (int k = 0; k < p; k++)
                {
                    var d = gradient[freeIndex[k]];
                    jac[k * 2 * n + i] = d.Real / sigmaRe[i];
                    jac[k * 2 * n + n + i] = d.Imaginary / sigmaIm[i];
                }
            }
            evaluations++;
        }
        var linearAlgebra = LinearAlgebraControl.Provider;

        var pCurrent = initialGuess.Select((v, k) => Math.Clamp(v, lower[k], upper[k])).ToArray();
        var r = new double[2 * n];
        Residuals(pCurrent, r);
        double chi2 = r.Sum(v => v * v);
        if (!double.IsFinite(chi2))
        {
            int at = Array.FindIndex(r, v => !double.IsFinite(v)) % n;
            string guess = string.Join(", ", freeIndex.Select((i, k) => string.Create(CultureInfo.InvariantCulture, $"{circuit.ParameterNames[i]} = {pCurrent[k]:R}")));
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"{circuit.Text} is not a finite impedance at {spectrum.Frequency[at]:R} Hz with the initial guess ({guess}); a parallel branch of zero impedance shorts it, for one. Start the fit from other values."));
        }
        double lambda = 1e-3, nu = 2;
        var flags = new List<string>();
        var trial = new double[p];
        var rTrial = new double[2 * n];
        var step = new double[p];
        var a = new double[p * p];
        var g = new double[p];
        var damped = new double[p * p];
        var solved = new double[p];
        while (true)
        {
            if (evaluations >= o.MaxEvaluations)
            {
                flags.Add("MAX_EVALUATIONS");
                break;
            }
            Jacobian(pCurrent);
            // JᵀJ and Jᵀr from column dot products (the provider's transposed product copies J on every call).
            for (int k = 0; k < p; k++)
            {
                var columnK = jac.AsSpan(k * 2 * n, 2 * n);
                g[k] = TensorPrimitives.Dot(columnK, r);
                for (int l = 0; l <= k; l++)
                {
                    a[k * p + l] = a[l * p + k] = TensorPrimitives.Dot(columnK, jac.AsSpan(l * 2 * n, 2 * n));
                }
            }
            bool improved = false;
            bool converged = false;
            while (lambda < 1e16 && evaluations < o.MaxEvaluations)
            {
                Array.Copy(a, damped, a.Length);
                for (int k = 0; k < p; k++)
                {
                    damped[k * p + k] += lambda * Math.Max(a[k * p + k], 1e-300);
                    solved[k] = -g[k];
                }
                try
                {
                    linearAlgebra.CholeskyFactor(damped, p);
                    linearAlgebra.CholeskySolveFactored(damped, p, solved, 1);
                }
                catch (ArgumentException)
                {
                    lambda *= nu;
                    nu *= 2;
                    continue;
                }
                double maxRelativeStep = 0;
                for (int k = 0; k < p; k++)
                {
                    trial[k] = Math.Clamp(pCurrent[k] + solved[k], lower[k], upper[k]);
                    step[k] = trial[k] - pCurrent[k];
                    maxRelativeStep = Math.Max(maxRelativeStep, Math.Abs(step[k]) / Math.Max(Math.Abs(pCurrent[k]), 1e-300));
                }
                // The reduction the linearised model predicts for the (projected) step: −2gᵀδ − δᵀAδ.
                double predicted = 0;
                for (int k = 0; k < p; k++)
                {
                    double aStep = 0;
                    for (int l = 0; l < p; l++)
                    {
                        aStep += a[l * p + k] * step[l];
                    }
                    predicted -= step[k] * (2 * g[k] + aStep);
                }
                Residuals(trial, rTrial);
                double chi2Trial = TensorPrimitives.SumOfSquares(rTrial);
                if (chi2Trial < chi2)
                {
                    double reduction = chi2 - chi2Trial;
                    // Converged where neither the achieved nor the predicted decrease is a meaningful fraction of χ²
                    // (MINPACK's ftol test), or no parameter moves by a meaningful fraction (its xtol test).
                    converged = (reduction <= o.RelativeChiSquareTolerance * chi2 && predicted <= o.RelativeChiSquareTolerance * chi2)
                                || maxRelativeStep < o.RelativeStepTolerance;
                    // Nielsen's damping update from the gain ratio ρ = actual/predicted decrease (Madsen, Nielsen &
                    // Tingleff 2004, §3.2): a good step relaxes λ by up to 3×, a poor one keeps it.
                    double rho = predicted > 0 ? reduction / predicted : 0;
                    lambda = Math.Max(lambda * Math.Max(1 / 3.0, 1 - Math.Pow(2 * rho - 1, 3)), 1e-15);
                    nu = 2;
                    Array.Copy(trial, pCurrent, p);
                    Array.Copy(rTrial, r, 2 * n);
                    chi2 = chi2Trial;
                    improved = true;
                    break;
                }
                if (maxRelativeStep < o.RelativeStepTolerance)
                {
                    converged = true;
                    break;
                }
                lambda *= nu;
                nu *= 2;
            }
            if (!improved || converged)
            {
                break;
            }
        }

        Jacobian(pCurrent);
        var jFinal = Matrix<double>.Build.DenseOfColumnMajor(2 * n, p, jac);
        var jtj = jFinal.TransposeThisAndMultiply(jFinal);
        int dof = 2 * n - p;
        Matrix<double>? cov = null;
        // Singularity is judged on JᵀJ scaled to a unit diagonal (D⁻¹JᵀJD⁻¹, D = √diag): unscaled, the condition number
        // carries the parameters' units (a capacitance of 1e-7 F beside a resistance of 1 kΩ puts 1e20 into it for a
        // well-determined fit). A parameter that does not change the model (a zero diagonal, floored at 1e-300) leaves a
        // zero row and column, so JᵀJ is singular.
        var scale = Vector<double>.Build.Dense(p, k => 1 / Math.Sqrt(Math.Max(jtj[k, k], 1e-300)));
        var scaling = scale.OuterProduct(scale);
        var scaled = jtj.PointwiseMultiply(scaling);
        double condition = scaled.ConditionNumber();
        if (dof > 0 && double.IsFinite(condition) && condition <= 1e14)
        {
            cov = scaled.Inverse().PointwiseMultiply(scaling) * (chi2 / dof);
        }
        else
        {
            flags.Add("COV_SINGULAR");
        }
        double t = dof > 0 ? StudentT.InvCDF(0, 1, dof, 0.975) : double.NaN;

        var parameters = new List<FittedParameter>();
        for (int i = 0, k = 0; i < total; i++)
        {
            string name = circuit.ParameterNames[i];
            if (o.Constants.TryGetValue(name, out double fixedValue))
            {
                parameters.Add(new FittedParameter(name, circuit.ParameterUnits[i], fixedValue, double.NaN, fixedValue, fixedValue, true, false));
                continue;
            }
            double value = pCurrent[k];
            double se = cov is null ? double.NaN : Math.Sqrt(cov[k, k]);
            bool atBound = value == lower[k] || value == upper[k];
            parameters.Add(new FittedParameter(name, circuit.ParameterUnits[i], value, se, value - t * se, value + t * se, false, atBound));
            k++;
        }
        if (parameters.Any(x => x.AtBound))
        {
            flags.Add("AT_BOUND");
        }
        double[,]? correlation = null;
        if (cov is not null)
        {
            correlation = new double[p, p];
            for (int i = 0; i < p; i++)
            {
                for (int j = 0; j < p; j++)
                {
                    correlation[i, j] = cov[i, j] / Math.Sqrt(cov[i, i] * cov[j, j]);
                }
            }
        }
        double sse = 0;
        for (int i = 0; i < p; i++)
        {
            full[freeIndex[i]] = pCurrent[i];
        }
        for (int i = 0; i < n; i++)
        {
            var z = circuit.Impedance(omega[i], full);
            sse += Math.Pow(z.Real - spectrum.ZReal[i], 2) + Math.Pow(z.Imaginary - spectrum.ZImag[i], 2);
        }
        return new CircuitFitResult(circuit.Text, parameters, chi2, Math.Sqrt(sse / n), cov?.ToArray(), correlation, evaluations, flags);
    }

    private static (double[] Re, double[] Im) Sigmas(Spectrum s, FitWeighting weighting)
    {
        int n = s.Count;
        var re = new double[n];
        var im = new double[n];
        for (int i = 0; i < n; i++)
        {
            double mod = s.Modulus(i);
            (re[i], im[i]) = weighting switch
            {
                FitWeighting.Modulus => (mod, mod),
                FitWeighting.Proportional => (Math.Max(Math.Abs(s.ZReal[i]), 1e-3 * mod), Math.Max(Math.Abs(s.ZImag[i]), 1e-3 * mod)),
                _ => (1.0, 1.0),
            };
        }
        return (re, im);
    }
}
