using CloudPipeline.Core.Analysis.Mri;
using CloudPipeline.Core.Analysis.Nmr;
using Xunit;

namespace CloudPipeline.Core.Tests.Mri;

/// <summary>The D(c) models of mri-drift-velocity.md §4 S8 and §7.1 and the versions they give a result; the skin-depth flag bounds of nmr.md §5.</summary>
public sealed class DiffusionModelTests
{
    [Fact]
    public void The_published_cubic_is_negative_at_the_cells_concentrations_and_positive_at_an_eo_li_ratio_of_10()
    {
        // §7.1: D(1.666) = −1.7622e-12 m²/s; D(10) = +1.3152e-12 m²/s; real roots at 5.80 and 25.06.
        var m = DiffusionModel.Published;
        Assert.Equal(-1.7622e-12, m.Evaluate(1.666), 0.0001e-12);
        Assert.Equal(1.3152e-12, m.Evaluate(10), 0.0001e-12);
        Assert.True(m.Evaluate(5.79) < 0 && m.Evaluate(5.81) > 0, "a root near 5.80");
        Assert.True(m.Evaluate(25.05) > 0 && m.Evaluate(25.07) < 0, "a root near 25.06");
        Assert.Equal(1.666, m.VariableAt(1.666, 1.666)); // the published model takes c in mol/L
        Assert.True(m.IsValidAt(-100) && m.IsValidAt(100)); // no stated validity range
    }

    [Fact]
    public void The_eo_li_ratio_model_maps_concentration_to_ratio_and_is_valid_between_its_roots()
    {
        var m = DiffusionModel.EoLiRatioCorrected;
        // Ratio = 10·c_bulk/c: 10 at the bulk concentration, 5 at twice it.
        Assert.Equal(10, m.VariableAt(1.666, 1.666), 12);
        Assert.Equal(5, m.VariableAt(3.332, 1.666), 12);
        Assert.Equal(8, (m with { ReferenceConcentrationMolPerL = 1.6 }).VariableAt(2, 1.666), 12); // a manifest reference replaces the bulk
        Assert.Equal(20, (m with { ReferenceRatio = 20 }).VariableAt(1.666, 1.666), 12);
        Assert.True(m.IsValidAt(5.80) && m.IsValidAt(25.06) && m.IsValidAt(10));
        Assert.False(m.IsValidAt(5.79));
        Assert.False(m.IsValidAt(25.07));
    }

    [Fact]
    public void Each_model_kind_has_its_algorithm_version_and_the_standard_ones_can_be_rebuilt_from_it()
    {
        var table = DiffusionTable.Parse("conc_value,conc_unit,T_K,D_m2_s,D_se,species,source\n1,M,313,2e-12,,a,s\n2,M,313,1e-12,,a,s\n", "d.csv");
        Assert.Equal("1.0.0", DriftVelocityResult.VersionOf(DiffusionModel.Published));
        Assert.Equal("2.0.0", DriftVelocityResult.VersionOf(DiffusionModel.EoLiRatioCorrected));
        Assert.Equal("3.0.0", DriftVelocityResult.VersionOf(DiffusionModel.Published with { Table = table }));
        Assert.Equal(DiffusionModel.Published, DriftVelocityResult.StandardModel("1.0.0"));
        Assert.Equal(DiffusionModel.EoLiRatioCorrected, DriftVelocityResult.StandardModel("2.0.0"));
        Assert.Null(DriftVelocityResult.StandardModel("3.0.0"));
        Assert.Null(DriftVelocityResult.StandardModel("9.9.9"));
        // A table model evaluates c itself and is valid over the table only.
        var tabled = DiffusionModel.EoLiRatioCorrected with { Table = table };
        Assert.Equal(1.5, tabled.VariableAt(1.5, 1.666));
        Assert.Equal((true, true, false), (tabled.IsValidAt(1), tabled.IsValidAt(2), tabled.IsValidAt(2.01)));
    }

    [Fact]
    public void Skin_depth_flags_a_deposit_up_to_a_fifth_of_the_depth_as_quantitative_unless_a_thick_foil_is_in_the_coil()
    {
        double f = SkinDepth.Li7MHzPerTesla * 1e6 * 4.7;
        double depth = SkinDepth.Depth(f);
        Assert.Equal("quantitative", SkinDepth.Assess(f, null, 0.2 * depth).Flag); // d = 0.2·δ is still quantitative
        Assert.Equal("semi_quantitative", SkinDepth.Assess(f, null, 0.2 * depth * 1.001).Flag);
        Assert.Equal("quantitative", SkinDepth.Assess(f, 0.9 * depth, 2e-6).Flag); // a foil thinner than δ is seen through
        Assert.Equal("semi_quantitative", SkinDepth.Assess(f, null, null).Flag); // no deposit thickness given
        var a = SkinDepth.Assess(f, null, 2e-6, 1e-7);
        Assert.Equal((1e-7, f, 2e-6, 0.2), (a.ResistivityOhmM, a.FrequencyHz, a.DepositThicknessM, a.Factor));
        Assert.Equal(Math.Sqrt(1e-7 / (Math.PI * 4e-7 * Math.PI * f)), a.SkinDepthM, 1e-15); // δ = √(ρ/(π·μ₀·f))
    }
}
