using CloudPipeline.Core.Analysis.Mri;
using CloudPipeline.Testing;
using Xunit;

namespace CloudPipeline.Core.Tests.Mri;

/// <summary>The published numbers and the spec's golden values (mri-drift-velocity.md §6, §9) from the real data.</summary>
public sealed class DriftVelocityRealDataTests
{
    private static readonly Lazy<DriftVelocityResult> LiLi = new(() => RealCells.Analyse("Li_Li"));
    private static readonly Lazy<DriftVelocityResult> Nmc = new(() => RealCells.Analyse("NMC622_Li"));

    private static DriftVelocityResult Cell(string cell) => cell == "Li_Li" ? LiLi.Value : Nmc.Value;

    private static void Close(double expected, double actual, double relative) =>
        Assert.True(Math.Abs(actual - expected) <= relative * Math.Abs(expected), $"expected {expected:R}, got {actual:R} (rel. tol. {relative})");

    [RealDataTheory]
    [InlineData("Li_Li", 385.0, 18.0)]
    [InlineData("NMC622_Li", 1041.0, 24.0)]
    public void Reproduces_the_published_maximum_velocity_and_spatial_difference(string cell, double vmax, double spatialPct)
    {
        var result = Cell(cell);
        Close(vmax, result.Metrics.VMaxAbs, 0.01);
        Assert.InRange(result.Metrics.SpatialDiffPct, spatialPct - 1, spatialPct + 1);
        Assert.All(result.Velocity, row => Assert.All(row, v => Assert.True(v < 0)));
    }

    [RealDataTheory]
    [InlineData("Li_Li", 385.406, 18.005, 6.263, -5.199)]
    [InlineData("NMC622_Li", 1041.743, 24.179, 10.500, -4.755)]
    public void Summary_metrics_match_the_reproduced_values(string cell, double vmax, double spatial, double cvPlating, double cvCounter)
    {
        var m = Cell(cell).Metrics;
        Close(vmax, m.VMaxAbs, 1e-5);
        Close(spatial, m.SpatialDiffPct, 1e-4);
        Assert.InRange(m.CvChangePctPlating, cvPlating - 0.01, cvPlating + 0.01);
        Assert.InRange(m.CvChangePctCounter, cvCounter - 0.01, cvCounter + 0.01);
        Assert.Equal(0, m.VMaxX1);
    }

    [RealDataTheory]
    [InlineData("Li_Li", 22, 46, 300585.378906, 116, 77, 153, 116, 278421.0720988948, 82, 147, 108, 173, 60)]
    [InlineData("NMC622_Li", 22, 52, 304873.868164, 170, 94, 182, 139, 289078.78665682167, 98, 173, 98, 173, 72)]
    public void Intermediate_values_match_spec_9_2(string cell, int pV, int n, double maxP0, int maxAt, int i1, int i2, int c0, double bulk,
        int r0, int r1, int rawStart, int rawEnd, int inTolerance)
    {
        var r = Cell(cell);
        Assert.Equal(pV, r.VoltageSamplesPerProfile);
        Assert.Equal(n, r.ProfileCount);
        var p0 = RealCells.Profiles(cell).Profiles[0].Values;
        var oriented = cell == "Li_Li" ? p0.Reverse().ToArray() : p0;
        Close(maxP0, oriented.Max(), 1e-9);
        Assert.Equal(maxAt, Array.IndexOf(oriented, oriented.Max()));
        Assert.Equal((i1, i2, c0), r.Centre);
        Close(bulk, r.BulkLevel, 1e-12);
        Assert.Equal((r0, r1), (r.RoiStart, r.RoiEnd));
        Assert.Equal((rawStart, rawEnd), r.RoiRaw);
        Assert.Equal(inTolerance, r.PointsInTolerance);
        Close((r1 - r0) * 4.0 / 256, r.PositionsMm[^1] - r.PositionsMm[0], 1e-12);
    }

    [RealDataTheory]
    [InlineData("Li_Li", 0.188491364, 1.499816087, 1.499808696, 1.685048175, 1.660711643, 1.512085089, 1.832841731,
        -1.611496777e-2, -5.829129919e-3, 1.638366478e-3, -1.602228009e-10)]
    [InlineData("NMC622_Li", 3.776194545, 4.299929130, 4.299915652, 1.676093245, 1.679896170, 1.359937229, 1.778262198,
        -2.888753090e-2, 5.257684799e-3, 1.202800697e-2, -3.907520973e-10)]
    public void Fields_match_spec_9_2(string cell, double v0, double vcc, double vlast, double c00, double c0l, double cl0, double cll,
        double el0, double ell, double ulast, double blast)
    {
        var r = Cell(cell);
        int last = r.ProfileCount - 1;
        const double tol = 1e-8;
        Close(v0, r.CellVoltage[0], tol);
        Close(vcc, r.CellVoltage[r.Metrics.KCc], tol);
        Close(vlast, r.CellVoltage[last], tol);
        Close(c00, r.Concentration[0][0], tol);
        Close(c0l, r.Concentration[0][^1], tol);
        Close(cl0, r.Concentration[last][0], tol);
        Close(cll, r.Concentration[last][^1], tol);
        Close(el0, r.Field[last][0], tol);
        Close(ell, r.Field[last][^1], tol);
        Close(ulast, r.FieldIntegral[last], tol);
        Close(blast, r.FluxConstant[last], tol);
    }

    [RealDataTheory]
    [InlineData("Li_Li", 10, -39.7491092243, -39.6872941583, -361.2693475447, -333.3446684175, -385.4064634509, -316.0131289933, 23, 33, -345.3228237598, -290.46234431, 45)]
    [InlineData("NMC622_Li", 16, -746.6766172585, -736.8116935705, -932.3585527090, -829.2874147160, -1041.7425137978, -789.8584380932, 26, 38, -853.2448076021, -842.02623974, 51)]
    public void Velocities_match_the_published_matrices(string cell, int kcc, double first0, double firstL, double cc0, double ccL, double last0, double lastL,
        int ik, int ij, double interior, double mean, int maxK)
    {
        var r = Cell(cell);
        const double tol = 1e-9;
        Assert.Equal(kcc, r.Metrics.KCc);
        Close(first0, r.Velocity[0][0], tol);
        Close(firstL, r.Velocity[0][^1], tol);
        Close(cc0, r.Velocity[kcc][0], tol);
        Close(ccL, r.Velocity[kcc][^1], tol);
        Close(last0, r.Velocity[^1][0], tol);
        Close(lastL, r.Velocity[^1][^1], tol);
        Close(interior, r.Velocity[ik][ij], tol);
        Close(mean, r.Velocity.SelectMany(row => row).Average(), tol);
        Assert.Equal(maxK, r.Metrics.VMaxProfileIndex);
    }

    [RealDataTheory]
    [InlineData("Li_Li")]
    [InlineData("NMC622_Li")]
    public void Invariants_of_spec_9_4_hold(string cell)
    {
        var r = Cell(cell);
        for (int k = 0; k < r.ProfileCount; k++)
        {
            var row = r.Velocity[k];
            Assert.True(Math.Abs(row[0]) >= Math.Abs(row[^1]), $"profile {k}: |v(0)| < |v(1)|");
            int argMax = Array.IndexOf(row, row.MaxBy(Math.Abs));
            if (k >= 1)
            {
                Assert.Equal(0, argMax);
            }
        }
        if (cell == "NMC622_Li")
        {
            var row0 = r.Velocity[0];
            int argMax0 = Array.IndexOf(row0, row0.MaxBy(Math.Abs));
            Assert.NotEqual(0, argMax0); // the one interior maximum
        }
    }

    [RealDataTheory]
    [InlineData("Li_Li")]
    [InlineData("NMC622_Li")]
    public void Published_version_raises_the_negative_D_flag_and_others_of_spec_7(string cell)
    {
        var r = Cell(cell);
        Assert.Equal("1.0.0", r.AlgorithmVersion);
        Assert.Contains("D_NEGATIVE_IN_RANGE", r.Flags);
        Assert.Contains(r.Warnings, w => w.StartsWith("PROFILES_UNUSED", StringComparison.Ordinal));
        Assert.DoesNotContain("ORIENTATION_SUSPECT", r.Flags);
    }

    [RealDataFact]
    public void Midpoint_centre_rule_gives_the_stated_centres_and_bulk_levels()
    {
        var li = RealCells.Analyse("Li_Li", RealCells.Parameters("Li_Li") with { CenterRule = CenterRule.Midpoint });
        var nmc = RealCells.Analyse("NMC622_Li", RealCells.Parameters("NMC622_Li") with { CenterRule = CenterRule.Midpoint });
        Assert.Equal(115, li.Centre.C0);
        Assert.Equal(138, nmc.Centre.C0);
        Close(278655.765744093, li.BulkLevel, 1e-12);
        Close(288616.3439405488, nmc.BulkLevel, 1e-12);
        Close(LiLi.Value.Metrics.VMaxAbs, li.Metrics.VMaxAbs, 4e-4);
    }

    [RealDataFact]
    public void Syn3_the_unflipped_li_li_series_raises_the_orientation_warning()
    {
        var r = RealCells.Analyse("Li_Li", RealCells.Parameters("Li_Li") with { FlipProfile = false });
        Assert.Contains("ORIENTATION_SUSPECT", r.Flags);
    }

    [RealDataTheory]
    [InlineData("Li_Li")]
    [InlineData("NMC622_Li")]
    public void The_eo_li_ratio_model_is_positive_everywhere_and_raises_no_flag_about_D(string cell)
    {
        var r = RealCells.Analyse(cell, RealCells.Parameters(cell) with { DModel = DiffusionModel.EoLiRatioCorrected });
        Assert.Equal("2.0.0", r.AlgorithmVersion);
        Assert.Empty(r.Flags);
        Assert.All(r.Diffusion, row => Assert.All(row, d => Assert.True(d > 0)));
        Assert.All(r.Velocity, row => Assert.All(row, v => Assert.True(v > 0)));
    }

    [RealDataTheory]
    [InlineData("Li_Li", 82, 147, 108, 173)]
    [InlineData("NMC622_Li", 98, 173, 98, 173)]
    public void The_roi_is_also_given_in_the_files_own_point_order(string cell, int r0, int r1, int raw0, int raw1)
    {
        // §9.2: Li‖Li is flipped, so its oriented ROI 82…147 is 255 − 147 … 255 − 82 = 108…173 in the file.
        var r = Cell(cell);
        Assert.Equal((r0, r1), (r.RoiStart, r.RoiEnd));
        Assert.Equal((raw0, raw1), r.RoiRaw);
    }
}
