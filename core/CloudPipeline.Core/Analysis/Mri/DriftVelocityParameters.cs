namespace CloudPipeline.Core.Analysis.Mri;

/// <summary>How the ROI centre is placed between the two half-maximum crossings (spec S4).</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(CamelCaseEnumConverter<CenterRule>))]
public enum CenterRule
{
    /// <summary>floor((i1+i2)/2) + 1: reproduces the authors' script (and the published numbers) exactly.</summary>
    Published,

    /// <summary>floor((i1+i2)/2): the plain midpoint; changes v_a by at most 0.04 % on the real data.</summary>
    Midpoint,
}

/// <summary>How cell-voltage samples are assigned to profiles (spec S3 and §8).</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(CamelCaseEnumConverter<VoltageWindowMode>))]
public enum VoltageWindowMode
{
    /// <summary>By sample index, pV samples per profile from the first row (the published rule).</summary>
    PublishedIndex,

    /// <summary>By time: profile k averages the samples in [t0 + k·dt, t0 + (k+1)·dt − eisWindow] of the potentiostat clock.</summary>
    Timestamp,
}

/// <summary>
/// Every parameter of the drift-velocity stage (spec §3). Each comes from the experiment manifest; the
/// defaults are the values of the published analysis, except <see cref="FlipProfile"/>, which depends on how a
/// cell sits in the magnet and therefore has no default worth trusting (false here; say it in the manifest).
/// </summary>
/// <remarks>Part of experiment.json: settable, not init-only, because compile-time JSON metadata (which the ahead-of-time CLI reads with) sets an init-only property that the JSON leaves out to zero or null instead of its default (dotnet/runtime#84484).</remarks>
public sealed record DriftVelocityParameters
{
    /// <summary>Field of view of a profile (mm). Default 4.</summary>
    public double FovMm { get; set; } = 4;

    /// <summary>Time per profile (s). Default 513.</summary>
    public double ProfileDtS { get; set; } = 513;

    /// <summary>EIS measurement at the end of each profile window (s). Default 69.</summary>
    public double EisWindowS { get; set; } = 69;

    /// <summary>Nominal voltage sampling interval (s per sample). Default 20.18181818.</summary>
    public double VoltageDtS { get; set; } = 20.18181818;

    /// <summary>Reverse each profile so that index 0 is the plating electrode. Default false.</summary>
    public bool FlipProfile { get; set; }

    /// <summary>Cell temperature (K). Default 313.15 (40 °C).</summary>
    public double TemperatureK { get; set; } = 313.15;

    /// <summary>Plateau tolerance Err for the ROI. Default 0.05.</summary>
    public double RoiTolerance { get; set; } = 0.05;

    /// <summary>Half-width (points) of the window for the bulk mean M. Default 20.</summary>
    public int PlateauHalfWidth { get; set; } = 20;

    /// <summary>Order of the smoothing polynomial along z. Default 3.</summary>
    public int PolyOrderZ { get; set; } = 3;

    /// <summary>Order of the smoothing polynomial along t. Default 3.</summary>
    public int PolyOrderT { get; set; } = 3;

    /// <summary>Added after normalisation (mol/L); bulk = 1 + offset. Default 0.666 (bulk 1.666 mol/L, EO:Li = 10:1).</summary>
    public double ConcOffsetMolL { get; set; } = 0.666;

    /// <summary>The D model. Default: the published cubic in mol/L.</summary>
    public DiffusionModel DModel { get; set; } = DiffusionModel.Published;

    /// <summary>ROI centre rule. Default <see cref="CenterRule.Published"/>.</summary>
    public CenterRule CenterRule { get; set; } = CenterRule.Published;

    /// <summary>Voltage window rule. Default <see cref="VoltageWindowMode.PublishedIndex"/>.</summary>
    public VoltageWindowMode VoltageWindowMode { get; set; } = VoltageWindowMode.PublishedIndex;

    /// <summary>For <see cref="VoltageWindowMode.Timestamp"/>: the start of profile 0 on the potentiostat clock (s since its first row). Default 0.</summary>
    public double VoltageStartS { get; set; }

    /// <summary>Use at most this many profiles (null: as many as the voltage record covers).</summary>
    public int? MaxProfiles { get; set; }

    /// <summary>The CV setpoint (V), when known; otherwise detected from the record.</summary>
    public double? CvSetpointV { get; set; }
}
