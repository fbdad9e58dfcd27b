namespace CloudPipeline.Core.Analysis.Nmr;

/// <summary>Whether NMR intensities of the metal can be read as amounts (nmr spec §5).</summary>
/// <param name="SkinDepthM">δ_skin (m).</param>
/// <param name="ResistivityOhmM">ρ used (Ω·m).</param>
/// <param name="FrequencyHz">Larmor frequency f (Hz).</param>
/// <param name="DepositThicknessM">Characteristic deposit thickness d, when supplied.</param>
/// <param name="Factor">The factor of the rule d ≤ factor·δ_skin.</param>
/// <param name="Flag"><c>quantitative</c> or <c>semi_quantitative</c>.</param>
public sealed record SkinDepthAssessment(double SkinDepthM, double ResistivityOhmM, double FrequencyHz, double? DepositThicknessM, double Factor, string Flag);

/// <summary>RF skin depth δ = √(ρ/(π·μ₀·f)) and the quantification flag (nmr spec §5).</summary>
public static class SkinDepth
{
    /// <summary>Resistivity of lithium at 20 °C (Ω·m).</summary>
    public const double LithiumResistivity = 9.28e-8;

    /// <summary>μ₀ (H/m).</summary>
    public const double VacuumPermeability = 4e-7 * Math.PI;

    /// <summary>γ/2π of ⁷Li (MHz/T).</summary>
    public const double Li7MHzPerTesla = 16.546;

    /// <summary>γ/2π of ⁶Li (MHz/T).</summary>
    public const double Li6MHzPerTesla = 6.2661;

    /// <summary>The rule's factor: deposits thinner than 0.2·δ_skin are quantitative.</summary>
    public const double Factor = 0.2;

    /// <summary>δ_skin (m) at frequency f (Hz) for resistivity ρ (Ω·m).</summary>
    public static double Depth(double frequencyHz, double resistivityOhmM = LithiumResistivity) =>
        Math.Sqrt(resistivityOhmM / (Math.PI * VacuumPermeability * frequencyHz));

    /// <summary>The flag: bulk metal (a foil) thicker than δ in the coil → semi-quantitative; else deposits d ≤ 0.2·δ → quantitative; else semi-quantitative.</summary>
    /// <param name="frequencyHz">Larmor frequency (Hz).</param>
    /// <param name="foilThicknessM">Thickness of bulk metal in the coil (m), or null when there is none.</param>
    /// <param name="depositThicknessM">Characteristic deposit thickness (m), when known.</param>
    /// <param name="resistivityOhmM">Resistivity (Ω·m).</param>
    public static SkinDepthAssessment Assess(double frequencyHz, double? foilThicknessM, double? depositThicknessM, double resistivityOhmM = LithiumResistivity)
    {
        double depth = Depth(frequencyHz, resistivityOhmM);
        bool bulkVisibleOnlyAtSurface = foilThicknessM is { } foil && foil > depth;
        string flag = !bulkVisibleOnlyAtSurface && depositThicknessM is { } d && d <= Factor * depth ? "quantitative" : "semi_quantitative";
        return new SkinDepthAssessment(depth, resistivityOhmM, frequencyHz, depositThicknessM, Factor, flag);
    }
}
