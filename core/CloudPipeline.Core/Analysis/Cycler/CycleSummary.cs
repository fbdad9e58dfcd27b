using CloudPipeline.Core.Formats.Cycler;

namespace CloudPipeline.Core.Analysis.Cycler;

/// <summary>The direction of a step or of a cycle's first half: charge is I &gt; 0 (spec §1).</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(CamelCaseEnumConverter<CycleDirection>))]
public enum CycleDirection
{
    /// <summary>No current beyond <see cref="CycleSummaryParameters.RestCurrentA"/>.</summary>
    Rest,

    /// <summary>I &gt; 0.</summary>
    Charge,

    /// <summary>I &lt; 0.</summary>
    Discharge,
}

/// <summary>Parameters of <c>ec-integrate</c> and <c>ec-cycle-summary</c> (electrochemistry spec §3, §6); experiment.json's <c>cycler</c> section.</summary>
/// <remarks>Part of experiment.json: settable, not init-only, because compile-time JSON metadata (which the ahead-of-time CLI reads with) sets an init-only property that the JSON leaves out to zero or null instead of its default (dotnet/runtime#84484).</remarks>
public sealed record CycleSummaryParameters
{
    /// <summary>The direction a cycle starts with (Q_in); null = the direction of the file's first non-rest step (an anode half cell starts with discharge).</summary>
    public CycleDirection? FirstDirection { get; set; }

    /// <summary>|I| at or below this (A) is rest. Default 1e-9 A.</summary>
    public double RestCurrentA { get; set; } = 1e-9;

    /// <summary>A step whose integrated charge differs from the vendor's counter by more than this fraction is flagged <c>VENDOR_MISMATCH</c>. Default 0.005 (0.5 %).</summary>
    public double VendorTolerance { get; set; } = 0.005;

    /// <summary>The cycle that retention refers to; null = the first complete cycle.</summary>
    public int? ReferenceCycle { get; set; }
}

/// <summary>One step: the trapezoid integrals over its own samples (spec §3).</summary>
/// <param name="Cycle">Vendor cycle index, or (without one) the cycle the direction rule of spec §2 assigns.</param>
/// <param name="Step">Vendor step index, or (without one) the running number of current-direction segments.</param>
/// <param name="StepType">The vendor's step type or state of its first row.</param>
/// <param name="Direction">Rest, charge or discharge.</param>
/// <param name="FirstRow">Line of its first row.</param>
/// <param name="LastRow">Line of its last row.</param>
/// <param name="Samples">Rows.</param>
/// <param name="StartS">t of the first row (s since the record's first row).</param>
/// <param name="EndS">t of the last row.</param>
/// <param name="ChargeAh">Q = Σ ½(I_i + I_i+1)·Δt (Ah), signed.</param>
/// <param name="EnergyWh">E = Σ ½(I_iV_i + I_i+1V_i+1)·Δt (Wh), signed.</param>
/// <param name="VendorAh">The vendor's counter over the step in its direction (last − first), when the file has one.</param>
/// <param name="VendorDeviation">|Q| / vendor − 1, when the vendor value is not zero.</param>
/// <param name="Flags">Flags (<c>VENDOR_MISMATCH</c>).</param>
/// <param name="ResistanceOhm">Mean of the vendor's internal-resistance readings in the step (finite, not 0), when it has any.</param>
/// <param name="ResistanceReadings">How many readings that mean is of.</param>
public sealed record StepSummary(int Cycle, int Step, string? StepType, CycleDirection Direction, int FirstRow, int LastRow, int Samples, double StartS, double EndS,
    double ChargeAh, double EnergyWh, double? VendorAh, double? VendorDeviation, IReadOnlyList<string> Flags, double? ResistanceOhm = null, int ResistanceReadings = 0);

/// <summary>One cycle (spec §6): Q_in in the cycle's first direction, Q_out in the other.</summary>
/// <param name="Cycle">Vendor cycle index, or the cycle the direction rule of spec §2 assigns.</param>
/// <param name="Steps">Steps in the cycle (rests included).</param>
/// <param name="DurationS">From its first row to its last (s).</param>
/// <param name="QInAh">Charge in the first direction (Ah, positive).</param>
/// <param name="QOutAh">Charge in the other direction (Ah, positive).</param>
/// <param name="EInWh">Energy in the first direction (Wh, positive).</param>
/// <param name="EOutWh">Energy in the other direction (Wh, positive).</param>
/// <param name="CoulombicEfficiency">Q_out / Q_in.</param>
/// <param name="EnergyEfficiency">E_out / E_in.</param>
/// <param name="MeanVoltageInV">E_in / Q_in.</param>
/// <param name="MeanVoltageOutV">E_out / Q_out.</param>
/// <param name="Retention">Q_out / Q_out of the reference cycle.</param>
/// <param name="Flags"><c>INCOMPLETE_CYCLE</c>, <c>VENDOR_MISMATCH</c>.</param>
/// <param name="InternalResistanceOhm">Mean of the vendor's internal-resistance readings in the cycle (finite, not 0), when the file has any.</param>
public sealed record CycleSummary(int Cycle, int Steps, double DurationS, double QInAh, double QOutAh, double EInWh, double EOutWh, double? CoulombicEfficiency,
    double? EnergyEfficiency, double? MeanVoltageInV, double? MeanVoltageOutV, double? Retention, IReadOnlyList<string> Flags, double? InternalResistanceOhm = null);

/// <summary>
/// Capacity fade: the least-squares line of Q_out against the cycle index over the complete cycles (those flagged
/// <c>INCOMPLETE_CYCLE</c> are left out, spec §6).
/// </summary>
/// <param name="Cycles">Complete cycles fitted.</param>
/// <param name="SlopeAhPerCycle">dQ_out/dn (Ah per cycle; negative for fade).</param>
/// <param name="RelativePerCycle">The slope over Q_out of the retention reference cycle (fraction per cycle).</param>
/// <param name="RSquared">Coefficient of determination of the line.</param>
public sealed record CapacityFade(int Cycles, double SlopeAhPerCycle, double RelativePerCycle, double RSquared);

/// <summary>The integrals and summaries of a whole record.</summary>
/// <param name="Samples">Rows read.</param>
/// <param name="DurationS">Last t − first t (s).</param>
/// <param name="FirstDirection">The cycles' first direction.</param>
/// <param name="ChargeAh">∫I⁺dt over the record (Ah), inter-step intervals included.</param>
/// <param name="DischargeAh">∫|I⁻|dt over the record (Ah).</param>
/// <param name="ChargeWh">∫(IV)⁺dt (Wh).</param>
/// <param name="DischargeWh">∫|(IV)⁻|dt (Wh).</param>
/// <param name="InterStepChargeAh">Σ of the intervals that join two steps (signed Ah); file net charge = Σ steps + this.</param>
/// <param name="Steps">Steps in file order.</param>
/// <param name="Cycles">Cycles in file order: the vendor's, or (without a vendor cycle index) by the direction rule of spec §2.</param>
/// <param name="Flags">Record-level flags (<c>CYCLES_FROM_DIRECTION</c>: the file has no cycle index, cycles are assigned by the direction rule of spec §2; <c>TIME_NOT_INCREASING</c>).</param>
/// <param name="Fade">Capacity fade over the complete cycles, when there are at least two.</param>
public sealed record CyclerAnalysis(long Samples, double DurationS, CycleDirection FirstDirection, double ChargeAh, double DischargeAh, double ChargeWh, double DischargeWh,
    double InterStepChargeAh, IReadOnlyList<StepSummary> Steps, IReadOnlyList<CycleSummary> Cycles, IReadOnlyList<string> Flags, CapacityFade? Fade = null)
{
    /// <summary>Algorithm id and version of the integration and per-cycle summary.</summary>
    public const string AlgorithmVersion = "ec-cycle-summary@1.1.0";
}

/// <summary>
/// <c>ec-integrate</c> and <c>ec-cycle-summary</c> (electrochemistry spec §3, §6) as a streaming accumulator: feed it
/// the rows in order (<see cref="Add"/>), memory grows with the number of steps only, then <see cref="Finish"/>.
/// Steps are the vendor's (cycle, step) runs; without a step index, runs of one current direction.
/// </summary>
public sealed class CycleSummaryBuilder(CycleSummaryParameters? parameters = null)
{
    private const double SecondsPerHour = 3600;
    private readonly CycleSummaryParameters _p = parameters ?? new();
    private readonly List<StepSummary> _steps = [];
    private readonly List<string> _flags = [];
    private OpenStep? _open;
    private CyclerSample _previous;
    private long _count;
    private double _t0;
    private int _derivedStep;
    private double _chargeAs, _dischargeAs, _chargeWs, _dischargeWs, _interStepAs;
    private bool _anyCycle;

    /// <summary>Adds the next row.</summary>
    public void Add(in CyclerSample s)
    {
        var direction = Classify(s.CurrentA);
        if (_count == 0)
        {
            _t0 = s.TimeS;
            _derivedStep = 0;
            _open = new OpenStep(s, Key(s, direction), direction, _t0);
        }
        else
        {
            double dt = s.TimeS - _previous.TimeS;
            if (dt < 0)
            {
                if (!_flags.Contains("TIME_NOT_INCREASING"))
                {
                    _flags.Add("TIME_NOT_INCREASING");
                }
                dt = 0;
            }
            double q = 0.5 * (_previous.CurrentA + s.CurrentA) * dt;
            double e = 0.5 * (_previous.CurrentA * _previous.VoltageV + s.CurrentA * s.VoltageV) * dt;
            _chargeAs += 0.5 * (Math.Max(_previous.CurrentA, 0) + Math.Max(s.CurrentA, 0)) * dt;
            _dischargeAs -= 0.5 * (Math.Min(_previous.CurrentA, 0) + Math.Min(s.CurrentA, 0)) * dt;
            _chargeWs += 0.5 * (Math.Max(_previous.CurrentA, 0) * _previous.VoltageV + Math.Max(s.CurrentA, 0) * s.VoltageV) * dt;
            _dischargeWs -= 0.5 * (Math.Min(_previous.CurrentA, 0) * _previous.VoltageV + Math.Min(s.CurrentA, 0) * s.VoltageV) * dt;
            var key = Key(s, direction);
            if (key != _open!.Key)
            {
                _interStepAs += q;
                _steps.Add(_open.Close(_p));
                _open = new OpenStep(s, key, direction, _t0);
            }
            else
            {
                _open.Extend(s, q, e, direction);
            }
        }
        _anyCycle |= s.Cycle >= 0;
        _previous = s;
        _count++;
    }

    /// <summary>The integrals, steps and cycles of everything added.</summary>
    /// <exception cref="AnalysisException">No rows were added.</exception>
    public CyclerAnalysis Finish()
    {
        if (_open is null)
        {
            throw new AnalysisException("NO_ROWS", "the record has no rows");
        }
        var steps = new List<StepSummary>(_steps) { _open.Close(_p) };
        var first = _p.FirstDirection ?? steps.Select(s => s.Direction).FirstOrDefault(d => d != CycleDirection.Rest, CycleDirection.Charge);
        var flags = new List<string>(_flags);
        if (!_anyCycle)
        {
            steps = AssignCycles(steps, first);
            flags.Add("CYCLES_FROM_DIRECTION");
        }
        var groups = new List<List<StepSummary>>();
        foreach (var step in steps)
        {
            if (groups.Count == 0 || groups[^1][0].Cycle != step.Cycle)
            {
                groups.Add([]);
            }
            groups[^1].Add(step);
        }
        var cycles = new List<CycleSummary>();
        for (int g = 0; g < groups.Count; g++)
        {
            cycles.Add(Summarise(groups[g], first, last: g == groups.Count - 1));
        }
        cycles = WithRetention(cycles);
        const double h = SecondsPerHour;
        return new CyclerAnalysis(_count, _previous.TimeS - _t0, first, _chargeAs / h, _dischargeAs / h, _chargeWs / h, _dischargeWs / h, _interStepAs / h, steps, cycles, flags,
            Fade(cycles));
    }

    /// <summary>
    /// Cycles of a record without a vendor cycle index (spec §2): cycle 1 starts with the record, and a new cycle at every
    /// step in the first direction that follows a step of the opposite direction (rests in between do not count).
    /// </summary>
    private static List<StepSummary> AssignCycles(List<StepSummary> steps, CycleDirection first)
    {
        var numbered = new List<StepSummary>(steps.Count);
        int cycle = 1;
        var previous = CycleDirection.Rest;
        foreach (var step in steps)
        {
            if (step.Direction != CycleDirection.Rest)
            {
                if (step.Direction == first && previous != CycleDirection.Rest && previous != first)
                {
                    cycle++;
                }
                previous = step.Direction;
            }
            numbered.Add(step with { Cycle = cycle });
        }
        return numbered;
    }

    private static CapacityFade? Fade(List<CycleSummary> cycles)
    {
        var complete = cycles.Where(c => !c.Flags.Contains("INCOMPLETE_CYCLE")).ToList();
        if (complete.Count < 2)
        {
            return null;
        }
        double[] n = [.. complete.Select(c => (double)c.Cycle)];
        double[] q = [.. complete.Select(c => c.QOutAh)];
        var (intercept, slope) = MathNet.Numerics.Fit.Line(n, q);
        double rSquared = MathNet.Numerics.GoodnessOfFit.RSquared(n.Select(x => intercept + slope * x), q);
        var reference = complete.FirstOrDefault(c => c.Retention is { } r && Math.Abs(r - 1) < 1e-12) ?? complete[0];
        return new CapacityFade(complete.Count, slope, reference.QOutAh > 0 ? slope / reference.QOutAh : double.NaN, rSquared);
    }

    private CycleDirection Classify(double current) =>
        current > _p.RestCurrentA ? CycleDirection.Charge : current < -_p.RestCurrentA ? CycleDirection.Discharge : CycleDirection.Rest;

    private (int Cycle, int Step) Key(in CyclerSample s, CycleDirection direction)
    {
        if (s.Step >= 0)
        {
            return (s.Cycle, s.Step);
        }
        // No vendor step: a new segment whenever the current changes direction.
        if (_open is not null && _open.Direction != direction)
        {
            _derivedStep++;
        }
        return (s.Cycle, _derivedStep);
    }

    private static CycleSummary Summarise(List<StepSummary> steps, CycleDirection first, bool last)
    {
        double qIn = 0, qOut = 0, eIn = 0, eOut = 0;
        foreach (var s in steps.Where(s => s.Direction != CycleDirection.Rest))
        {
            if (s.Direction == first)
            {
                qIn += Math.Abs(s.ChargeAh);
                eIn += Math.Abs(s.EnergyWh);
            }
            else
            {
                qOut += Math.Abs(s.ChargeAh);
                eOut += Math.Abs(s.EnergyWh);
            }
        }
        var flags = new List<string>();
        bool bothDirections = qIn > 0 && qOut > 0;
        // The record ends inside its last cycle unless that cycle closes with a rest step.
        if (!bothDirections || (last && steps[^1].Direction != CycleDirection.Rest))
        {
            flags.Add("INCOMPLETE_CYCLE");
        }
        if (steps.Any(s => s.Flags.Contains("VENDOR_MISMATCH")))
        {
            flags.Add("VENDOR_MISMATCH");
        }
        double? Ratio(double a, double b) => b > 0 ? a / b : null;
        int readings = steps.Sum(s => s.ResistanceReadings);
        double? resistance = readings > 0 ? steps.Sum(s => (s.ResistanceOhm ?? 0) * s.ResistanceReadings) / readings : null;
        return new CycleSummary(steps[0].Cycle, steps.Count, steps[^1].EndS - steps[0].StartS, qIn, qOut, eIn, eOut, Ratio(qOut, qIn), Ratio(eOut, eIn),
            Ratio(eIn, qIn), Ratio(eOut, qOut), null, flags, resistance);
    }

    private List<CycleSummary> WithRetention(List<CycleSummary> cycles)
    {
        var reference = _p.ReferenceCycle is { } n ? cycles.FirstOrDefault(c => c.Cycle == n) : cycles.FirstOrDefault(c => !c.Flags.Contains("INCOMPLETE_CYCLE"));
        return reference is null || reference.QOutAh <= 0 ? cycles : [.. cycles.Select(c => c with { Retention = c.QOutAh / reference.QOutAh })];
    }

    /// <summary>The step being accumulated.</summary>
    private sealed class OpenStep(CyclerSample first, (int Cycle, int Step) key, CycleDirection direction, double t0)
    {
        private readonly CyclerSample _first = first;
        private CyclerSample _last = first;
        private int _samples = 1;
        private double _chargeAs, _energyWs;
        private double _vendorChargeFirst = first.VendorChargeAh, _vendorChargeLast = first.VendorChargeAh;
        private double _vendorDischargeFirst = first.VendorDischargeAh, _vendorDischargeLast = first.VendorDischargeAh;
        private bool _moving = direction != CycleDirection.Rest;
        private double _resistanceSum = Reading(first.ResistanceOhm);
        private int _resistanceReadings = Reading(first.ResistanceOhm) > 0 ? 1 : 0;

        public (int Cycle, int Step) Key { get; } = key;

        public CycleDirection Direction { get; private set; } = direction;

        public void Extend(in CyclerSample s, double chargeAs, double energyWs, CycleDirection direction)
        {
            _chargeAs += chargeAs;
            _energyWs += energyWs;
            _last = s;
            _samples++;
            _moving |= direction != CycleDirection.Rest;
            if (Direction == CycleDirection.Rest)
            {
                Direction = direction;
            }
            double r = Reading(s.ResistanceOhm);
            _resistanceSum += r;
            _resistanceReadings += r > 0 ? 1 : 0;
            Track(ref _vendorChargeFirst, ref _vendorChargeLast, s.VendorChargeAh);
            Track(ref _vendorDischargeFirst, ref _vendorDischargeLast, s.VendorDischargeAh);
        }

        public StepSummary Close(CycleSummaryParameters p)
        {
            double q = _chargeAs / SecondsPerHour;
            var direction = !_moving ? CycleDirection.Rest : q > 0 ? CycleDirection.Charge : q < 0 ? CycleDirection.Discharge : Direction;
            double? vendor = direction switch
            {
                CycleDirection.Charge when !double.IsNaN(_vendorChargeLast) => _vendorChargeLast - _vendorChargeFirst,
                CycleDirection.Discharge when !double.IsNaN(_vendorDischargeLast) => _vendorDischargeLast - _vendorDischargeFirst,
                _ => null,
            };
            double? deviation = vendor is > 0 ? Math.Abs(q) / vendor.Value - 1 : null;
            var flags = deviation is { } d && Math.Abs(d) > p.VendorTolerance ? new[] { "VENDOR_MISMATCH" } : [];
            return new StepSummary(Key.Cycle, Key.Step, _first.StepType, direction, _first.Row, _last.Row, _samples, _first.TimeS - t0, _last.TimeS - t0,
                q, _energyWs / SecondsPerHour, vendor, deviation, flags, _resistanceReadings > 0 ? _resistanceSum / _resistanceReadings : null, _resistanceReadings);
        }

        /// <summary>A resistance reading, or 0 when there is none (NaN, or the 0 vendors write when they did not measure).</summary>
        private static double Reading(double ohm) => double.IsFinite(ohm) && ohm > 0 ? ohm : 0;

        private static void Track(ref double first, ref double last, double value)
        {
            if (double.IsNaN(value))
            {
                return;
            }
            if (double.IsNaN(first))
            {
                first = value;
            }
            last = value;
        }
    }
}
