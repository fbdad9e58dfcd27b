using System.Text.Json;
using System.Text.Json.Serialization;
using CloudPipeline.Core.Analysis.Electrochemistry;
using CloudPipeline.Core.Analysis.Mri;
using CloudPipeline.Core.Formats;

namespace CloudPipeline.Core.Pipeline;

/// <summary>Inputs of Sand's-time estimate, with provenance kept in the manifest.</summary>
/// <remarks>Part of experiment.json: settable, not init-only, because compile-time JSON metadata (which the ahead-of-time CLI reads with) sets an init-only property that the JSON leaves out to zero or null instead of its default (dotnet/runtime#84484).</remarks>
public sealed record SandsTimeInputs
{
    /// <summary>The diffusion coefficient handed to the equation (m²/s).</summary>
    public required double DiffusionM2PerS { get; set; }

    /// <summary>What that coefficient is; only ambipolar is valid input.</summary>
    public DiffusionCoefficientKind DiffusionKind { get; set; } = DiffusionCoefficientKind.Ambipolar;

    /// <summary>C0 in particles per litre.</summary>
    public required double ParticlesPerLitre { get; set; }

    /// <summary>The CC current density (mA/cm²).</summary>
    public required double CurrentDensityMaPerCm2 { get; set; }

    /// <summary>The anion transport number.</summary>
    public required double AnionTransportNumber { get; set; }
}

/// <summary>Settings of the DC electrochemistry stages.</summary>
/// <remarks>Part of experiment.json: settable, not init-only, because compile-time JSON metadata (which the ahead-of-time CLI reads with) sets an init-only property that the JSON leaves out to zero or null instead of its default (dotnet/runtime#84484).</remarks>
public sealed record ElectrochemistrySettings
{
    /// <summary>The CV setpoint (V), when known.</summary>
    public double? CvSetpointV { get; set; }

    /// <summary>Onset detector parameters; default the spec's.</summary>
    public OnsetParameters Onset { get; set; } = new();

    /// <summary>Sand's-time inputs, if the experiment states them.</summary>
    public SandsTimeInputs? Sand { get; set; }

    /// <summary>Nominal CC start on the potentiostat clock relative to its first row (s), e.g. −205.2 s when the file starts 3.42 min after the nominal OCV end. Reported with the onset.</summary>
    public double? NominalStepStartOffsetS { get; set; }
}

/// <summary>Settings of the EIS chain.</summary>
/// <remarks>Part of experiment.json: settable, not init-only, because compile-time JSON metadata (which the ahead-of-time CLI reads with) sets an init-only property that the JSON leaves out to zero or null instead of its default (dotnet/runtime#84484).</remarks>
public sealed record EisSettings
{
    /// <summary>Equivalent circuit to fit (impedance.py syntax); no fit when null.</summary>
    public string? Circuit { get; set; }

    /// <summary>Initial guess, one value per circuit parameter.</summary>
    public double[]? InitialGuess { get; set; }

    /// <summary>Keep only points with Z'' &lt; 0 before analysis. Default false.</summary>
    public bool CapacitiveOnly { get; set; }

    /// <summary>DRT regularisation parameter for the fixed rule. Default 1e-3.</summary>
    public double DrtLambda { get; set; } = 1e-3;

    /// <summary>Keep spectra flagged KK_FAIL in the experiment's R_int series (they stay marked). Default false.</summary>
    public bool SeriesIncludesKkFailures { get; set; }
}

/// <summary>Settings of the NMR chain (nmr spec §2–4).</summary>
/// <remarks>Part of experiment.json: settable, not init-only, because compile-time JSON metadata (which the ahead-of-time CLI reads with) sets an init-only property that the JSON leaves out to zero or null instead of its default (dotnet/runtime#84484).</remarks>
public sealed record NmrSettings
{
    /// <summary>Run the ⁷Li Li-metal analysis (reference to 245 ppm, three components, morphology labels). Default false.</summary>
    public bool LiMetal { get; set; }

    /// <summary>Exponential line broadening (Hz); null = the vendor's LB when its processing is present, else 0.</summary>
    public double? LineBroadeningHz { get; set; }

    /// <summary>Phasing: <c>acme</c>, <c>zeroOrder</c> or <c>manual</c> (with p0/p1); null = the vendor's PHC0/PHC1 when present, else zero order for Li metal and ACME otherwise.</summary>
    public Analysis.Nmr.PhaseMode? Phase { get; set; }

    /// <summary>Manual zero-order phase (degrees).</summary>
    public double P0 { get; set; }

    /// <summary>Manual first-order phase (degrees, pivot at the left edge).</summary>
    public double P1 { get; set; }

    /// <summary>Baseline correction. Default none (as in the Li-metal workflow).</summary>
    public Analysis.Nmr.BaselineMode Baseline { get; set; } = Analysis.Nmr.BaselineMode.None;

    /// <summary>Minimum separation of picked peaks (ppm); null = 1 ppm for Li metal, 0.01 ppm otherwise.</summary>
    public double? MinPeakSeparationPpm { get; set; }

    /// <summary>Electrode normal parallel to B₀ (the morphology lookup is valid only then). Default true.</summary>
    public bool NormalParallelToField { get; set; } = true;

    /// <summary>Thickness of bulk Li (a foil electrode) inside the coil (µm), for the skin-depth flag; null when there is none.</summary>
    public double? FoilThicknessUm { get; set; }

    /// <summary>Characteristic deposit thickness (µm), for the skin-depth flag, when known.</summary>
    public double? DepositThicknessUm { get; set; }
}

/// <summary>
/// <c>experiment.json</c>: what instrument files cannot carry. Every field is optional; a stage that needs a
/// missing value fails with a message naming it. Unknown fields are errors, so typos do not go unnoticed.
/// </summary>
/// <remarks>Part of experiment.json: settable, not init-only, because compile-time JSON metadata (which the ahead-of-time CLI reads with) sets an init-only property that the JSON leaves out to zero or null instead of its default (dotnet/runtime#84484).</remarks>
public sealed record ExperimentManifest
{
    /// <summary>The schema version this reader understands.</summary>
    public const int CurrentSchemaVersion = 1;

    /// <summary>Schema version; must be 1.</summary>
    public int SchemaVersion { get; set; } = CurrentSchemaVersion;

    /// <summary>Free-text description.</summary>
    public string? Description { get; set; }

    /// <summary>The cell's identifier.</summary>
    public string? CellId { get; set; }

    /// <summary><c>symmetric</c> (e.g. Li‖Li) or <c>full</c>.</summary>
    public string? CellType { get; set; }

    /// <summary>Electrode area (cm²) that current densities refer to.</summary>
    public double? ElectrodeAreaCm2 { get; set; }

    /// <summary>Drift-velocity parameters (spec mri-drift-velocity §3).</summary>
    public DriftVelocityParameters? MriDrift { get; set; }

    /// <summary>DC electrochemistry settings.</summary>
    public ElectrochemistrySettings? Electrochemistry { get; set; }

    /// <summary>EIS settings.</summary>
    public EisSettings? Eis { get; set; }

    /// <summary>NMR settings.</summary>
    public NmrSettings? Nmr { get; set; }

    /// <summary>Cycler settings (integration and per-cycle summary).</summary>
    public Analysis.Cycler.CycleSummaryParameters? Cycler { get; set; }

    /// <summary>Reads and validates a manifest.</summary>
    /// <exception cref="InstrumentFileException">Malformed JSON, an unknown or mistyped field, or a value out of range; the message names the file, line and field.</exception>
    public static ExperimentManifest Read(Stream json, string sourceName)
    {
        ExperimentManifest manifest;
        try
        {
            manifest = JsonSerializer.Deserialize(json, CoreJsonContext.Default.ExperimentManifest)
                       ?? throw new InstrumentFileException(sourceName, "the manifest is null", expected: "a JSON object", code: "MANIFEST_INVALID");
        }
        catch (JsonException ex)
        {
            int? line = ex.LineNumber is { } l ? (int)l + 1 : null;
            string problem = ex.Message.Split(" Path:", 2)[0];
            throw new InstrumentFileException(sourceName, problem, line, ex.Path, "a manifest as documented in docs/manifest.md", "MANIFEST_INVALID");
        }
        manifest.Validate(sourceName);
        return manifest;
    }

    private void Validate(string sourceName)
    {
        void Require(bool ok, string field, string expected)
        {
            if (!ok)
            {
                throw new InstrumentFileException(sourceName, "value out of range", field: field, expected: expected, code: "MANIFEST_INVALID");
            }
        }
        Require(SchemaVersion == CurrentSchemaVersion, "$.schemaVersion", $"{CurrentSchemaVersion}");
        Require(CellType is null or "symmetric" or "full", "$.cellType", "'symmetric' or 'full'");
        Require(ElectrodeAreaCm2 is null or > 0, "$.electrodeAreaCm2", "a positive area in cm²");
        if (MriDrift is { } m)
        {
            Require(m.FovMm > 0, "$.mriDrift.fovMm", "a positive field of view in mm");
            Require(m.ProfileDtS > m.EisWindowS && m.EisWindowS >= 0, "$.mriDrift.profileDtS", "a profile time longer than eisWindowS");
            Require(m.VoltageDtS > 0, "$.mriDrift.voltageDtS", "a positive sampling interval");
            Require(m.TemperatureK > 0, "$.mriDrift.temperatureK", "a temperature in kelvin");
            Require(m.RoiTolerance is > 0 and < 1, "$.mriDrift.roiTolerance", "a fraction between 0 and 1");
            Require(m.PlateauHalfWidth >= 0, "$.mriDrift.plateauHalfWidth", "a non-negative number of points");
            Require(m.PolyOrderZ is >= 0 and <= 10 && m.PolyOrderT is >= 0 and <= 10, "$.mriDrift.polyOrderZ/polyOrderT", "orders from 0 to 10");
            Require(m.MaxProfiles is null or >= 2, "$.mriDrift.maxProfiles", "at least 2");
        }
        if (Nmr is { } nmr)
        {
            Require(nmr.LineBroadeningHz is null or >= 0, "$.nmr.lineBroadeningHz", "a non-negative line broadening in Hz");
            Require(nmr.MinPeakSeparationPpm is null or > 0, "$.nmr.minPeakSeparationPpm", "a positive separation in ppm");
        }
        if (Cycler is { } cycler)
        {
            Require(cycler.RestCurrentA >= 0, "$.cycler.restCurrentA", "a non-negative current in A");
            Require(cycler.VendorTolerance > 0, "$.cycler.vendorTolerance", "a positive fraction");
        }
        if (Eis is { } e)
        {
            Require(e.DrtLambda > 0, "$.eis.drtLambda", "a positive regularisation parameter");
            if (e.Circuit is { } circuit)
            {
                int expected;
                try
                {
                    expected = Analysis.Eis.Circuits.Circuit.Parse(circuit).ParameterNames.Count;
                }
                catch (Analysis.Eis.Circuits.CircuitSyntaxException ex)
                {
                    throw new InstrumentFileException(sourceName, ex.Message, field: "$.eis.circuit", expected: "a circuit such as R0-p(R1-Wo1,C1)", code: "MANIFEST_INVALID");
                }
                Require(e.InitialGuess?.Length == expected, "$.eis.initialGuess", $"{expected} values, one per parameter of {circuit}");
            }
        }
    }
}
