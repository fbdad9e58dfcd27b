namespace CloudPipeline.Core.Pipeline;

/// <summary>
/// The QC flags that results carry, explained in words (<c>cloudpipeline results --explain</c>, the report). A flag is
/// a warning about a result, not a failure: the value is computed, and the flag says what to check before quoting it.
/// </summary>
public static class QcFlags
{
    private static readonly Dictionary<string, string> Explanations = new(StringComparer.Ordinal)
    {
        // MRI drift velocity (mri-drift-velocity spec §7).
        ["D_NEGATIVE_IN_RANGE"] = "The diffusion model D(c) is zero or negative at concentrations this cell reaches, so mobilities and drift velocities computed with it carry its sign. Quote the value from a D model that stays positive over the cell's range (the result of the other model version, or a manifest D table).",
        ["D_OUTSIDE_VALIDITY"] = "The diffusion model D(c) is evaluated outside the concentration range its source states it is valid for; the velocities there rest on an extrapolation.",
        ["ORIENTATION_SUSPECT"] = "At the last profile the salt is richer at the plating side than at the other, the opposite of what polarisation does: the profiles may be reversed. Check the manifest's flipProfile.",
        ["ROI_SHORT"] = "The region of interest has fewer points than the plateau fit needs (2·plateauHalfWidth + 1); edge positions and velocities are poorly defined.",
        ["ROI_HOLES"] = "Some points of the region of interest lie outside the tolerance band around the plateau; the concentration there is not well resolved.",
        ["VOLTAGE_WINDOW_EMPTY"] = "No voltage sample falls in the time window of at least one profile; the previous profile's voltage was used for it.",

        // EIS (eis spec).
        ["KK_FAIL"] = "The spectrum fails the Lin-KK test: its residuals exceed the gate, so it is not consistent with a linear, causal, stable system (drift during the sweep, noise, a cell that changed). Fits and DRT of it describe the data, not necessarily the cell; the series leaves it out unless the manifest says otherwise.",
        ["AT_BOUND"] = "A fitted circuit parameter ended at one of its bounds: the optimum may lie beyond it, and its uncertainty is not meaningful.",
        ["COV_SINGULAR"] = "The fit's covariance matrix is singular (parameters that the data cannot tell apart); no uncertainties or confidence intervals are given.",
        ["MAX_EVALUATIONS"] = "The circuit fit stopped at its evaluation limit before converging; the parameters are the last iterate, not an optimum.",

        // Cycler (electrochemistry spec §2, §6).
        ["INCOMPLETE_CYCLE"] = "The cycle lacks one direction or the record ends inside it; its Coulombic efficiency is computed but left out of fade fits.",
        ["VENDOR_MISMATCH"] = "The integrated charge of a step differs from the cycler's own capacity counter by more than the tolerance (0.5 % by default): check the time base and the current's units and sign.",
        ["CYCLES_FROM_DIRECTION"] = "The file has no cycle index; cycles were assigned by the current's direction (a new cycle where the first direction follows the opposite one, spec §2).",
        ["TIME_NOT_INCREASING"] = "The file's time goes backwards somewhere; those intervals add nothing to the integrals.",
        ["INCOMPLETE_LAST_ROW"] = "The file ended inside its last row (a copy taken while the instrument was writing); that row was not used. Upload the complete file to replace these results.",

        // 7Li NMR of Li metal (nmr spec).
        ["presat_incomplete"] = "Electrolyte signal remains near 0 ppm after presaturation; it may distort the metal region's baseline.",
        ["reference_offset_large"] = "The spectrum had to be shifted by more than 3 ppm to put the bulk metal at its reference; check the referencing.",
        ["fit_rejected"] = "The three-component lineshape fit has R² below the minimum; the component areas and the morphology derived from them are not reliable.",
    };

    /// <summary>Every flag with an explanation, in alphabetical order.</summary>
    public static IReadOnlyList<string> Known { get; } = [.. Explanations.Keys.Order(StringComparer.Ordinal)];

    /// <summary>The explanation of a flag, or a sentence saying there is none.</summary>
    public static string Explain(string flag) =>
        Explanations.TryGetValue(flag, out var text) ? text : "No explanation is recorded for this flag; see the stage's documentation.";

    /// <summary>The flags of a comma-separated list (as result rows store them), without blanks or repeats.</summary>
    public static IReadOnlyList<string> Split(string? flags) =>
        string.IsNullOrWhiteSpace(flags) ? [] : [.. flags.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal)];
}
