namespace CloudPipeline.Core.Analysis.Electrochemistry;

/// <summary>What a diffusion coefficient handed to Sand's equation is.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(CamelCaseEnumConverter<DiffusionCoefficientKind>))]
public enum DiffusionCoefficientKind
{
    /// <summary>The ambipolar (salt) diffusion coefficient, which the equation needs.</summary>
    Ambipolar,

    /// <summary>A single-ion self-diffusion coefficient (e.g. the anion's from PFG-NMR): not valid input.</summary>
    SelfDiffusion,
}

/// <summary>
/// Sand's time τ_s = π·D_amb·(C0·e/(2·i·t_a))², the time at which the salt concentration at the
/// electrode reaches zero under constant current in the diffusion-only picture (electrochemistry spec §5).
/// </summary>
public static class SandsTime
{
    /// <summary>The version recorded with results.</summary>
    public const string AlgorithmVersion = "ec-sand@1.0.0";

    /// <summary>Elementary charge (C), exact SI.</summary>
    public const double ElementaryCharge = 1.602176634e-19;

    /// <summary>Avogadro constant (1/mol), exact SI.</summary>
    public const double Avogadro = 6.02214076e23;

    /// <summary>τ_s in seconds.</summary>
    /// <param name="diffusionM2PerS">D (m²/s).</param>
    /// <param name="kind">What D is; only <see cref="DiffusionCoefficientKind.Ambipolar"/> is accepted.</param>
    /// <param name="particlesPerLitre">The salt concentration C0 in particles per litre (e.g. 9.94e23).</param>
    /// <param name="currentDensityMaPerCm2">The current density (mA/cm²).</param>
    /// <param name="anionTransportNumber">t_a.</param>
    /// <exception cref="ArgumentException">D is a self-diffusion coefficient, or an input is not positive.</exception>
    public static double Compute(double diffusionM2PerS, DiffusionCoefficientKind kind, double particlesPerLitre, double currentDensityMaPerCm2, double anionTransportNumber)
    {
        if (kind == DiffusionCoefficientKind.SelfDiffusion)
        {
            throw new ArgumentException(
                "Sand's equation needs the ambipolar diffusion coefficient; a self-diffusion coefficient was given. Derive D_amb = 2·D_a·(1 − t_a) from the anion D first.",
                nameof(kind));
        }
        if (diffusionM2PerS <= 0 || particlesPerLitre <= 0 || currentDensityMaPerCm2 <= 0 || anionTransportNumber is <= 0 or > 1)
        {
            throw new ArgumentException("D, C0 and i must be positive and 0 < t_a <= 1.");
        }
        double c0 = particlesPerLitre * 1000;             // per m³
        double i = currentDensityMaPerCm2 * 10;           // 1 mA/cm² = 10 A/m²
        double factor = c0 * ElementaryCharge / (2 * i * anionTransportNumber);
        return Math.PI * diffusionM2PerS * factor * factor;
    }

    /// <summary>C0 in particles per litre from a molar concentration.</summary>
    public static double ParticlesPerLitre(double molPerLitre) => molPerLitre * Avogadro;

    /// <summary>The ambipolar D of a binary salt from the anion D and the anion transport number: 2·D_a·(1 − t_a).</summary>
    public static double AmbipolarFromAnion(double anionDiffusionM2PerS, double anionTransportNumber) =>
        2 * anionDiffusionM2PerS * (1 - anionTransportNumber);
}
