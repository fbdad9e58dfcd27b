namespace CloudPipeline.Core.Analysis.Mri;

/// <summary>Velocities at the two ROI edges of one profile (µm/h).</summary>
/// <param name="ProfileIndex">k.</param>
/// <param name="AtPlating">v_a at x1 = 0 (plating electrode).</param>
/// <param name="AtCounter">v_a at x1 = 1 (counter electrode).</param>
public sealed record EdgeVelocities(int ProfileIndex, double AtPlating, double AtCounter);

/// <summary>The headline numbers of a drift-velocity analysis (spec §5).</summary>
public sealed record DriftVelocityMetrics
{
    /// <summary>max |v_a| over all profiles and points (µm/h).</summary>
    public required double VMaxAbs { get; init; }

    /// <summary>The profile index of the maximum.</summary>
    public required int VMaxProfileIndex { get; init; }

    /// <summary>The dimensionless position x1 of the maximum.</summary>
    public required double VMaxX1 { get; init; }

    /// <summary>First profile after the CC→CV switch.</summary>
    public required int KCc { get; init; }

    /// <summary>Edge velocities of the first profile.</summary>
    public required EdgeVelocities First { get; init; }

    /// <summary>Edge velocities of profile k_CC.</summary>
    public required EdgeVelocities AfterCc { get; init; }

    /// <summary>Edge velocities of the last profile.</summary>
    public required EdgeVelocities Last { get; init; }

    /// <summary>100·(|v(0)| − |v(1)|)/|v(0)| at the last profile.</summary>
    public required double SpatialDiffPct { get; init; }

    /// <summary>Signed magnitude change during CV at x1 = 0 (%; + means the magnitude grew).</summary>
    public required double CvChangePctPlating { get; init; }

    /// <summary>Signed magnitude change during CV at x1 = 1 (%).</summary>
    public required double CvChangePctCounter { get; init; }
}

/// <summary>Everything a drift-velocity analysis produces (spec §5). Fields are indexed [k][j − r0].</summary>
public sealed record DriftVelocityResult
{
    /// <summary>The algorithm id.</summary>
    public const string AlgorithmId = "mri-drift-velocity";

    /// <summary>The version: 1.0.0 for the published D(c) in mol/L, 2.0.0 for a D model on the EO:Li ratio, 3.0.0 for D(c) from a table.</summary>
    public required string AlgorithmVersion { get; init; }

    /// <summary>The version an analysis with this D model has (see <see cref="AlgorithmVersion"/>).</summary>
    public static string VersionOf(DiffusionModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.Table is not null ? "3.0.0" : model.Variable == DiffusionVariable.ConcentrationMolPerL ? "1.0.0" : "2.0.0";
    }

    /// <summary>
    /// The standard D model of a version that needs no data beyond the spec's: 1.0.0 the published cubic in mol/L,
    /// 2.0.0 the same at the EO:Li ratio; null for 3.0.0 (its table comes from a manifest) and unknown versions.
    /// </summary>
    public static DiffusionModel? StandardModel(string version) => version switch
    {
        "1.0.0" => DiffusionModel.Published,
        "2.0.0" => DiffusionModel.EoLiRatioCorrected,
        _ => null,
    };

    /// <summary>The parameters used.</summary>
    public required DriftVelocityParameters Parameters { get; init; }

    /// <summary>Profiles used (N).</summary>
    public required int ProfileCount { get; init; }

    /// <summary>Profile files supplied.</summary>
    public required int FileCount { get; init; }

    /// <summary>The file names of the profiles used, in order.</summary>
    public required IReadOnlyList<string> ProfileNames { get; init; }

    /// <summary>Voltage samples per profile (pV).</summary>
    public required int VoltageSamplesPerProfile { get; init; }

    /// <summary>Profile times t_k (s from profile 0).</summary>
    public required double[] TimesS { get; init; }

    /// <summary>Positions of the ROI points on the oriented axis (mm).</summary>
    public required double[] PositionsMm { get; init; }

    /// <summary>Dimensionless positions x1 of the ROI points (0 = plating electrode).</summary>
    public required double[] X1 { get; init; }

    /// <summary>ROI start on the oriented axis.</summary>
    public required int RoiStart { get; init; }

    /// <summary>ROI end (inclusive) on the oriented axis.</summary>
    public required int RoiEnd { get; init; }

    /// <summary>ROI start and end in the file's own (unflipped) indices, ascending.</summary>
    public required (int Start, int End) RoiRaw { get; init; }

    /// <summary>Points inside the tolerance band.</summary>
    public required int PointsInTolerance { get; init; }

    /// <summary>Bulk level M.</summary>
    public required double BulkLevel { get; init; }

    /// <summary>Half-maximum crossings and centre: i1, i2, c0.</summary>
    public required (int I1, int I2, int C0) Centre { get; init; }

    /// <summary>Cell voltage per profile (V).</summary>
    public required double[] CellVoltage { get; init; }

    /// <summary>∫E dz per profile (V).</summary>
    public required double[] FieldIntegral { get; init; }

    /// <summary>The flux constant B_k per profile (mol mm⁻² s⁻¹).</summary>
    public required double[] FluxConstant { get; init; }

    /// <summary>c (mol/L).</summary>
    public required double[][] Concentration { get; init; }

    /// <summary>D (m²/s).</summary>
    public required double[][] Diffusion { get; init; }

    /// <summary>Mobility u (mm² V⁻¹ s⁻¹).</summary>
    public required double[][] Mobility { get; init; }

    /// <summary>Field E (V/mm).</summary>
    public required double[][] Field { get; init; }

    /// <summary>Effective flux Jeff (mol mm⁻² s⁻¹).</summary>
    public required double[][] EffectiveFlux { get; init; }

    /// <summary>Diffusion flux J_diff (mol mm⁻² s⁻¹).</summary>
    public required double[][] DiffusionFlux { get; init; }

    /// <summary>Migration flux J_mig (mol mm⁻² s⁻¹).</summary>
    public required double[][] MigrationFlux { get; init; }

    /// <summary>Anion drift velocity v_a (µm/h).</summary>
    public required double[][] Velocity { get; init; }

    /// <summary>Summary metrics.</summary>
    public required DriftVelocityMetrics Metrics { get; init; }

    /// <summary>QC flags (spec §7), e.g. <c>D_NEGATIVE_IN_RANGE</c>; warnings, not failures.</summary>
    public required IReadOnlyList<string> Flags { get; init; }

    /// <summary>Human-readable remarks behind the flags.</summary>
    public required IReadOnlyList<string> Warnings { get; init; }
}
