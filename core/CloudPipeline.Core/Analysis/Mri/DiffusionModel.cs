using CloudPipeline.Core.Analysis.Nmr;

namespace CloudPipeline.Core.Analysis.Mri;

/// <summary>The variable a D(·) polynomial is evaluated at.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(CamelCaseEnumConverter<DiffusionVariable>))]
public enum DiffusionVariable
{
    /// <summary>Salt concentration in mol/L, as the published script evaluates it.</summary>
    ConcentrationMolPerL,

    /// <summary>
    /// The EO:Li ratio derived from the concentration at constant polymer density:
    /// r = <see cref="DiffusionModel.ReferenceRatio"/> · c_ref / c, with c_ref the bulk concentration.
    /// </summary>
    EoLiRatio,
}

/// <summary>
/// The anion diffusion coefficient D = p3·x³ + p2·x² + p1·x + p0 (m²/s), with the variable x it was
/// fitted against and the range where the fit is valid (outside it the result is flagged).
/// </summary>
/// <remarks>Part of experiment.json: settable, not init-only, because compile-time JSON metadata (which the ahead-of-time CLI reads with) sets an init-only property that the JSON leaves out to zero or null instead of its default (dotnet/runtime#84484).</remarks>
public sealed record DiffusionModel
{
    /// <summary>The published cubic (Thienenkamp et al. 2024), evaluated at c in mol/L as their script does. A new instance on each read (the properties are settable, see the type's remarks).</summary>
    public static DiffusionModel Published => new();

    /// <summary>
    /// The same coefficients evaluated at the EO:Li ratio, with EO:Li = 10 at the bulk concentration
    /// 1.666 mol/L. Positive over the ratios these cells reach; D(10) = 1.3152e-12 m²/s matches the anion D
    /// the paper reports for the 10:1 electrolyte.
    /// </summary>
    public static DiffusionModel EoLiRatioCorrected => new()
    {
        Variable = DiffusionVariable.EoLiRatio,
        ValidFrom = 5.80,
        ValidTo = 25.06,
    };

    /// <summary>Coefficient of x³ (m²/s). Default −3.09546e-16.</summary>
    public double P3 { get; set; } = -3.09546e-16;

    /// <summary>Coefficient of x² (m²/s). Default −8.14922e-15.</summary>
    public double P2 { get; set; } = -8.14922e-15;

    /// <summary>Coefficient of x (m²/s). Default 5.01302e-13.</summary>
    public double P1 { get; set; } = 5.01302e-13;

    /// <summary>Constant term (m²/s). Default −2.57336e-12.</summary>
    public double P0 { get; set; } = -2.57336e-12;

    /// <summary>The variable the coefficients were fitted against. Default mol/L (the published behaviour).</summary>
    public DiffusionVariable Variable { get; set; } = DiffusionVariable.ConcentrationMolPerL;

    /// <summary>Lower end of the validity range of x (null: not stated).</summary>
    public double? ValidFrom { get; set; }

    /// <summary>Upper end of the validity range of x (null: not stated).</summary>
    public double? ValidTo { get; set; }

    /// <summary>EO:Li at the reference concentration, for <see cref="DiffusionVariable.EoLiRatio"/>. Default 10.</summary>
    public double ReferenceRatio { get; set; } = 10;

    /// <summary>The reference concentration (mol/L) at which EO:Li = <see cref="ReferenceRatio"/>; null means the bulk concentration of the analysis.</summary>
    public double? ReferenceConcentrationMolPerL { get; set; }

    /// <summary>
    /// A measured D(c) table (e.g. from PFG NMR, nmr spec §6) used in place of the polynomial, evaluated at c in mol/L
    /// whatever <see cref="Variable"/> says; a concentration outside the table is an error. Null: the polynomial.
    /// </summary>
    public DiffusionTable? Table { get; set; }

    /// <summary>The model variable at concentration c (mol/L).</summary>
    public double VariableAt(double concentrationMolPerL, double bulkConcentrationMolPerL) => Table is not null ? concentrationMolPerL : Variable switch
    {
        DiffusionVariable.EoLiRatio => ReferenceRatio * (ReferenceConcentrationMolPerL ?? bulkConcentrationMolPerL) / concentrationMolPerL,
        _ => concentrationMolPerL,
    };

    /// <summary>D (m²/s) at the model variable x.</summary>
    /// <exception cref="AnalysisException">A table is used and x lies outside it.</exception>
    public double Evaluate(double x) => Table is { } table ? table.Evaluate(x) : ((P3 * x + P2) * x + P1) * x + P0;

    /// <summary>True if x lies inside the stated validity range (or no range is stated).</summary>
    public bool IsValidAt(double x) => Table is { } table ? x >= table.From && x <= table.To : (ValidFrom is not { } lo || x >= lo) && (ValidTo is not { } hi || x <= hi);
}
