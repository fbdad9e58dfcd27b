using CloudPipeline.Core.Analysis.Electrochemistry;
using CloudPipeline.Core.Formats;
using CloudPipeline.Core.Formats.Electrochemistry;
using CloudPipeline.Core.Tests.Mri;
using CloudPipeline.Testing;
using Xunit;

namespace CloudPipeline.Core.Tests.Electrochemistry;

/// <summary>Segmentation and onset on the real POL.txt records (electrochemistry.md §8.1).</summary>
public sealed class PolarisationRecordTests
{
    [RealDataTheory]
    [InlineData("Li_Li", 1022, 2.55705, 0.16491, 0.09984, 9.09941, 1.49983, 0.02381)]
    [InlineData("NMC622_Li", 1152, 2.557, 3.57066, 0.09999, 9.94869, 4.2999, 0.02747)]
    public void Reads_pol_txt_rows_and_converts_units(string cell, int rows, double t0, double v0, double j0, double tLast, double vLast, double jLast)
    {
        var s = RealCells.Polarisation(cell);
        Assert.Equal(rows, s.Count);
        Assert.Equal(t0 * 3600, s.StartOffset, 9);
        Assert.Equal(0, s.Time[0]);
        Assert.Equal((tLast - t0) * 3600, s.Time[^1], 6);
        Assert.Equal(v0, s.Voltage[0]);
        Assert.Equal(vLast, s.Voltage[^1]);
        Assert.Equal(j0 * 1e-3 * RealCells.ElectrodeAreaCm2, s.Current[0], 15);
        Assert.Equal(jLast * 1e-3 * RealCells.ElectrodeAreaCm2, s.Current[^1], 15);
    }

    [RealDataTheory]
    [InlineData("Li_Li", 43, 216, 0.09984, 1.49983, 83.005)]
    [InlineData("NMC622_Li", 49, 346, 0.09999, 4.29991, 133.631)]
    public void Segments_cc_then_cv(string cell, int gaps, int ccEnd, double iccMaPerCm2, double cvMedian, double ccEndMinutes)
    {
        var s = RealCells.Polarisation(cell);
        var seg = StepSegmenter.Segment(s);
        Assert.Equal(gaps, seg.GapCount);
        Assert.Equal(20.196, seg.MedianIntervalS, 2);
        Assert.Equal(2, seg.Steps.Count);
        var cc = seg.Steps[0];
        var cv = seg.Steps[1];
        Assert.Equal((StepType.ConstantCurrent, 0, ccEnd), (cc.Type, cc.StartIndex, cc.EndIndex));
        Assert.Equal((StepType.ConstantVoltage, ccEnd + 1, s.Count - 1), (cv.Type, cv.StartIndex, cv.EndIndex));
        Assert.Equal(iccMaPerCm2, cc.Setpoint / (1e-3 * RealCells.ElectrodeAreaCm2), 5);
        Assert.Equal(cvMedian, cv.Setpoint, 5);
        Assert.Equal(StepEndReason.VoltageLimit, cc.EndReason);
        Assert.InRange(cc.DurationS / 60, ccEndMinutes - 20.0 / 60, ccEndMinutes + 20.0 / 60);
    }

    [RealDataTheory]
    [InlineData("Li_Li", 81.323, 211, 8.582, 0.10318, false, 65.905, 172)]
    [InlineData("NMC622_Li", 133.631, 346, 1.453, 0.14857, true, null, null)]
    public void Onset_detector_matches_the_reference(string cell, double onsetMin, int onsetRow, double rMax, double rRef, bool censored, double? kneeMin, int? kneeRow)
    {
        var s = RealCells.Polarisation(cell);
        var cc = StepSegmenter.Segment(s).Steps[0];
        var onset = MassTransportOnsetDetector.Detect(s, cc);
        Assert.InRange(onset.OnsetS / 60, onsetMin - 20.0 / 60, onsetMin + 20.0 / 60);
        Assert.InRange(onset.OnsetIndex, onsetRow - 1, onsetRow + 1);
        Assert.Equal(rMax, onset.MaxRateVPerH, rMax * 1e-3);
        Assert.Equal(rRef, onset.ReferenceRateVPerH, rRef * 1e-3);
        Assert.Equal(censored, onset.Censored);
        if (kneeMin is { } k)
        {
            Assert.InRange(onset.KneeS!.Value / 60, k - 20.0 / 60, k + 20.0 / 60);
            Assert.InRange(onset.KneeIndex!.Value, kneeRow!.Value - 1, kneeRow.Value + 1);
        }
        else
        {
            Assert.Null(onset.KneeS);
        }
    }

    [Fact]
    public void Synthetic_knee_and_censored_steepest_rise()
    {
        var t = new List<double>();
        var v = new List<double>();
        for (double time = 0; ; time += 20)
        {
            double volts = 0.2 + 0.1 * time / 3600 + (time > 4000 ? 0.5 * Math.Pow((time - 4000) / 600, 2) : 0);
            t.Add(time);
            v.Add(volts);
            if (volts >= 1.5)
            {
                break;
            }
        }
        // A CV hold at the 1.5 V limit follows, so the CC step ends on the voltage limit.
        for (int i = 1; i <= 20; i++)
        {
            t.Add(t[^1] + 20);
            v.Add(1.5);
        }
        var current = t.Select((_, i) => i < t.Count - 20 ? 1e-3 : 0.5e-3 * Math.Exp(-i / 50.0)).ToArray();
        var series = new TimeSeries("knee.csv", t.ToArray(), v.ToArray(), current, 0);
        var segmentation = StepSegmenter.Segment(series, new SegmentationParameters { CvSetpointV = 1.5 });
        var cc = segmentation.Steps[0];
        Assert.Equal(4920, cc.EndTimeS);
        var onset = MassTransportOnsetDetector.Detect(series, cc);
        Assert.Equal(0.1000, onset.ReferenceRateVPerH, 4);
        Assert.Equal(4100, onset.KneeS);
        Assert.Equal(4920, onset.OnsetS);
        Assert.Equal(8.6, onset.MaxRateVPerH, 0.05);
        Assert.True(onset.Censored);
    }

    [Fact]
    public void Synthetic_ocv_cc_cv_sequence_is_three_steps()
    {
        var t = Enumerable.Range(0, 6000).Select(i => (double)i).ToArray();
        var v = t.Select(x => x < 600 ? 3.0 : x < 4200 ? 3.5 + 0.7 * (x - 600) / 3600 : 4.2).ToArray();
        var i = t.Select(x => x < 600 ? 0 : x < 4200 ? 1e-3 : 0.9e-3 * Math.Exp(-(x - 4200) / 600)).ToArray();
        var seg = StepSegmenter.Segment(new TimeSeries("cccv.csv", t, v, i, 0));
        Assert.Equal([StepType.Ocv, StepType.ConstantCurrent, StepType.ConstantVoltage], seg.Steps.Select(s => s.Type));
        Assert.Equal(StepEndReason.VoltageLimit, seg.Steps[1].EndReason);
        Assert.Equal((600, 4199), (seg.Steps[1].StartIndex, seg.Steps[1].EndIndex));
    }

    [Theory]
    [InlineData(2.53e-13, 0.1, 6221.8415)]
    [InlineData(2.60e-13, 0.1, 106.56645 * 60)]
    [InlineData(2.53e-13, 0.09984, 104.03003 * 60)]
    public void Sands_time_matches_spec_8_2(double d, double i, double expectedS)
    {
        double tau = SandsTime.Compute(d, DiffusionCoefficientKind.Ambipolar, 9.94e23, i, 0.9);
        Assert.Equal(expectedS, tau, expectedS * 1e-6);
    }

    [Fact]
    public void Sands_time_from_the_published_inputs_is_103_7_minutes_and_rejects_a_self_diffusion_coefficient()
    {
        Assert.InRange(SandsTime.Compute(2.53e-13, DiffusionCoefficientKind.Ambipolar, 9.94e23, 0.1, 0.9) / 60, 103.6, 103.8);
        var ex = Assert.Throws<ArgumentException>(() => SandsTime.Compute(1.3e-12, DiffusionCoefficientKind.SelfDiffusion, 9.94e23, 0.1, 0.9));
        Assert.Contains("ambipolar", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2.6e-13, SandsTime.AmbipolarFromAnion(1.3e-12, 0.9), 1e-20);
    }

    [Fact]
    public void A_malformed_record_names_file_line_and_field()
    {
        var ex = Assert.Throws<InstrumentFileException>(() => DelimitedTimeSeriesReader.Read(
            "2.5\t0.1\t0.09\r\n2.6\tx\t0.09\r\n", "POL.txt", DelimitedTimeSeriesLayout.ZahnerPolarisation, 0.28));
        Assert.Equal(2, ex.Line);
        Assert.Contains("POL.txt, line 2, field 'voltage (column 2)'", ex.Message, StringComparison.Ordinal);

        var few = Assert.Throws<InstrumentFileException>(() => DelimitedTimeSeriesReader.Read("2.5\t0.1\r\n", "POL.txt", DelimitedTimeSeriesLayout.ZahnerPolarisation, 0.28));
        Assert.Equal("TOO_FEW_FIELDS", few.Code);
        Assert.Throws<ArgumentException>(() => DelimitedTimeSeriesReader.Read("1\t2\t3", "POL.txt", DelimitedTimeSeriesLayout.ZahnerPolarisation));
    }
}
