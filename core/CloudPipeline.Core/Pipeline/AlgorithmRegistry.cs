using System.Text.Json.Schema;
using System.Text.Json.Serialization.Metadata;
using CloudPipeline.Core.Analysis.Cycler;
using CloudPipeline.Core.Analysis.Eis;
using CloudPipeline.Core.Analysis.Electrochemistry;
using CloudPipeline.Core.Analysis.Mri;
using CloudPipeline.Core.Analysis.Nmr;

namespace CloudPipeline.Core.Pipeline;

/// <summary>One versioned analysis stage.</summary>
/// <param name="Name">The algorithm id results carry, e.g. <c>ec-cycle-summary</c>.</param>
/// <param name="Version">Its semantic version.</param>
/// <param name="Technique">The technique it belongs to.</param>
/// <param name="Description">What it computes, and what sets this version apart.</param>
/// <param name="Parameters">The manifest section that sets its parameters (whose hash results carry).</param>
/// <param name="ParametersSchema">The JSON schema of that section, as the manifest reads it.</param>
public sealed record AlgorithmInfo(string Name, string Version, string Technique, string Description, string Parameters, string ParametersSchema)
{
    /// <summary><c>name@version</c>.</summary>
    public string Id => $"{Name}@{Version}";
}

/// <summary>
/// Every analysis stage this build runs, with its version and parameter schema, declared in code from the stages' own
/// version constants. The hosts record the set in the AlgorithmVersions table at start-up, so a reanalysis can tell
/// which results came from an older version.
/// </summary>
public static class AlgorithmRegistry
{
    /// <summary>The stages, by technique and name.</summary>
    public static IReadOnlyList<AlgorithmInfo> All { get; } = Build();

    private static List<AlgorithmInfo> Build()
    {
        var mri = CoreJsonContext.Default.DriftVelocityParameters;
        var eis = CoreJsonContext.Default.EisSettings;
        var nmr = CoreJsonContext.Default.NmrSettings;
        var cycler = CoreJsonContext.Default.CycleSummaryParameters;
        var electrochemistry = CoreJsonContext.Default.ElectrochemistrySettings;
        var list = new List<AlgorithmInfo>
        {
            Stage($"{DriftVelocityResult.AlgorithmId}@1.0.0", "mri", "Anion drift velocity from 19F MRI concentration profiles, D(c) with c in mol/L (the seed paper's model)", "mriDrift", mri),
            Stage($"{DriftVelocityResult.AlgorithmId}@2.0.0", "mri", "The same with D evaluated at the EO:Li ratio (the corrected model)", "mriDrift", mri),
            Stage($"{DriftVelocityResult.AlgorithmId}@3.0.0", "mri", "The same with D(c) from a table in the manifest (e.g. from PFG NMR)", "mriDrift", mri),
            Stage(Segmentation.AlgorithmVersion, "electrochemistry", "Step segmentation of a polarisation record (OCV, CC, CV)", "electrochemistry", electrochemistry),
            Stage(OnsetResult.AlgorithmVersion, "electrochemistry", "Onset of mass-transport limitation in a CC step", "electrochemistry", electrochemistry),
            Stage(SandsTime.AlgorithmVersion, "electrochemistry", "Sand's time from the applied current and the salt's transport properties", "electrochemistry", electrochemistry),
            Stage(LinKkResult.AlgorithmVersion, "eis", "Lin-KK validation of an impedance spectrum", "eis", eis),
            Stage(DrtResult.AlgorithmVersion, "eis", "Distribution of relaxation times (Tikhonov, λ by GCV or the manifest)", "eis", eis),
            Stage(CircuitFitResult.AlgorithmVersion, "eis", "Equivalent-circuit fit with standard errors and 95 % t-intervals", "eis", eis),
            Stage(CyclerAnalysis.AlgorithmVersion, "cycler", "Steps, per-cycle capacities, energies, Coulombic efficiency, retention and capacity fade", "cycler", cycler),
            Stage(ProcessedNmr.AlgorithmVersion, "nmr", "NMR processing: apodisation, Fourier transform, phasing, baseline, referencing", "nmr", nmr),
            Stage(LineshapeFitter.AlgorithmVersion, "nmr", "Lineshape fit of NMR peaks", "nmr", nmr),
            Stage(DiffusionFit.AlgorithmVersion, "nmr", "Stejskal-Tanner fit of a PFG NMR series", "nmr", nmr),
            Stage(LiMetalResult.AlgorithmVersion, "nmr", "7Li NMR of Li metal: referencing, three-component fit, morphology", "nmr", nmr),
        };
        return [.. list.OrderBy(a => a.Technique, StringComparer.Ordinal).ThenBy(a => a.Name, StringComparer.Ordinal).ThenBy(a => a.Version, StringComparer.Ordinal)];
    }

    private static AlgorithmInfo Stage(string id, string technique, string description, string section, JsonTypeInfo parameters)
    {
        int at = id.IndexOf('@', StringComparison.Ordinal);
        return new AlgorithmInfo(id[..at], id[(at + 1)..], technique, description, section, JsonSchemaExporter.GetJsonSchemaAsNode(parameters).ToJsonString());
    }
}
