using System.Text;
using CloudPipeline.Core.Analysis.Electrochemistry;
using CloudPipeline.Core.Analysis.Mri;
using CloudPipeline.Core.Analysis.Nmr;
using CloudPipeline.Core.Formats;
using CloudPipeline.Core.Pipeline;
using Xunit;

namespace CloudPipeline.Core.Tests.Pipeline;

/// <summary>experiment.json as docs/manifest.md documents it: omitted fields keep their documented defaults, enums by name, unknown fields rejected.</summary>
public sealed class ExperimentManifestTests
{
    private static ExperimentManifest Read(string json) => ExperimentManifest.Read(new MemoryStream(Encoding.UTF8.GetBytes(json)), "experiment.json");

    [Fact]
    public void Fields_left_out_of_a_section_keep_the_documented_defaults()
    {
        // Each section names one field, so every other field must come from the defaults table of docs/manifest.md
        // (the published analysis's values), not from zero or null.
        var m = Read("""
            { "mriDrift": { "fovMm": 5 }, "electrochemistry": { "cvSetpointV": 0.1 }, "eis": { "capacitiveOnly": true },
              "nmr": { "liMetal": true } }
            """);
        Assert.Equal(1, m.SchemaVersion);
        var p = m.MriDrift!;
        Assert.Equal(5, p.FovMm);
        Assert.Equal(513, p.ProfileDtS);
        Assert.Equal(69, p.EisWindowS);
        Assert.Equal(20.18181818, p.VoltageDtS);
        Assert.Equal(313.15, p.TemperatureK);
        Assert.Equal(0.05, p.RoiTolerance);
        Assert.Equal(20, p.PlateauHalfWidth);
        Assert.Equal((3, 3), (p.PolyOrderZ, p.PolyOrderT));
        Assert.Equal(0.666, p.ConcOffsetMolL);
        Assert.Equal(CenterRule.Published, p.CenterRule);
        Assert.Equal(VoltageWindowMode.PublishedIndex, p.VoltageWindowMode);
        // The published cubic (Thienenkamp et al. 2024's script).
        Assert.Equal((-3.09546e-16, -8.14922e-15, 5.01302e-13, -2.57336e-12), (p.DModel.P3, p.DModel.P2, p.DModel.P1, p.DModel.P0));
        Assert.Equal(DiffusionVariable.ConcentrationMolPerL, p.DModel.Variable);
        Assert.Equal(10, p.DModel.ReferenceRatio);

        var onset = m.Electrochemistry!.Onset;
        Assert.Equal((300.0, 600.0, 1200.0, 10.0, 3), (onset.RateWindowS, onset.SettleS, onset.RefSpanS, onset.KneeFactor, onset.Persist));
        Assert.Equal(1e-3, m.Eis!.DrtLambda);
        Assert.True(m.Eis.CapacitiveOnly);
        Assert.True(m.Nmr!.NormalParallelToField);
        Assert.Equal(BaselineMode.None, m.Nmr.Baseline);
    }

    [Fact]
    public void Enums_are_read_by_their_camel_case_names()
    {
        var m = Read("""
            { "mriDrift": { "centerRule": "midpoint", "voltageWindowMode": "timestamp", "dModel": { "variable": "eoLiRatio" } },
              "electrochemistry": { "sand": { "diffusionM2PerS": 1e-11, "particlesPerLitre": 1e24, "currentDensityMaPerCm2": 0.5, "anionTransportNumber": 0.6 } },
              "nmr": { "phase": "zeroOrder", "baseline": "iModPoly" } }
            """);
        Assert.Equal(CenterRule.Midpoint, m.MriDrift!.CenterRule);
        Assert.Equal(VoltageWindowMode.Timestamp, m.MriDrift.VoltageWindowMode);
        Assert.Equal(DiffusionVariable.EoLiRatio, m.MriDrift.DModel.Variable);
        Assert.Equal(DiffusionCoefficientKind.Ambipolar, m.Electrochemistry!.Sand!.DiffusionKind);
        Assert.Equal(PhaseMode.ZeroOrder, m.Nmr!.Phase);
        Assert.Equal(BaselineMode.IModPoly, m.Nmr.Baseline);
    }

    [Fact]
    public void An_unknown_field_is_an_error_naming_its_line_and_path()
    {
        var ex = Assert.Throws<InstrumentFileException>(() => Read("{\n  \"mriDrift\": {\n    \"fovMn\": 4\n  }\n}"));
        Assert.Equal("MANIFEST_INVALID", ex.Code);
        Assert.Equal(3, ex.Line);
        Assert.Equal("$.mriDrift.fovMn", ex.Field);
    }
}
