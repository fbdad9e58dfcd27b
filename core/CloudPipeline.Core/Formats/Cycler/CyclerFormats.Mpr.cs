using CloudPipeline.Core.Formats.BioLogic;

namespace CloudPipeline.Core.Formats.Cycler;

/// <summary>EC-Lab binary files (<c>.mpr</c>) of DC techniques in the canonical model.</summary>
public static partial class CyclerFormats
{
    /// <summary>The format id of an EC-Lab binary file of a DC technique.</summary>
    public const string BioLogicMprFormatId = "biologic-mpr-dc";

    private const int MprMagicLength = 23; // "BIO-LOGIC MODULAR FILE" + 0x1A

    /// <summary>
    /// An EC-Lab binary file of a DC technique (GCPL, CP, CA, CV, LSV, OCV, MB, Wait, …) as a cycler record: the columns
    /// the text export of the same technique maps (<c>biologic-mpt-dc</c>), so a binary file and its export give the same
    /// samples. Two columns the text export computes are computed the same way here when the binary file lacks them:
    /// <list type="bullet">
    /// <item><c>&lt;I&gt;/mA</c> = dq/Δt (EC-Lab's mean current over the interval since the previous point; 0 at the first), from <c>dq/mA.h</c> (GCPL stores no current);</item>
    /// <item><c>cycle number</c> = ⌊half cycle / 2⌋ (true on every row of the five real exports that have both).</item>
    /// </list>
    /// </summary>
    /// <exception cref="InstrumentFileException">Not an .mpr of a DC technique, or a time or voltage that is not a finite number.</exception>
    public static CyclerRecord FromMpr(MprFile mpr)
    {
        ArgumentNullException.ThrowIfNull(mpr);
        return FromMpr(mpr, Stream.Null);
    }

    private static CyclerRecord OpenMpr(byte[] head, Stream content, string sourceName)
    {
        try
        {
            using var all = new MemoryStream();
            all.Write(head);
            content.CopyTo(all);
            return FromMpr(MprReader.Read(sourceName, all.ToArray()), content);
        }
        catch
        {
            content.Dispose();
            throw;
        }
    }

    private static CyclerRecord FromMpr(MprFile mpr, IDisposable source)
    {
        var layout = Layouts.Single(l => l.Id == "biologic-mpt-dc");
        double[]? Column(string? names) => names?.Split('|').Select(n => mpr.Columns.GetValueOrDefault(n)).FirstOrDefault(c => c is not null);
        if (mpr.Columns.ContainsKey("freq/Hz"))
        {
            throw new InstrumentFileException(mpr.SourceName, "the file holds an impedance technique (it has a freq/Hz column)", field: "freq/Hz",
                expected: "a DC technique (GCPL, CP, CA, CV, LSV, OCV, MB, …); impedance files are read as spectra", code: "NOT_CYCLER");
        }
        double[] time = Column(layout.Time) ?? throw Missing(mpr, layout.Time);
        double[] voltage = Column(layout.Voltage) ?? throw Missing(mpr, layout.Voltage);
        double[]? current = Column(layout.Current);
        double[]? dq = Column("dq/mA.h|dQ/mA.h");
        double[]? cycle = Column(layout.Cycle);
        double[]? halfCycle = cycle is null ? Column("half cycle") : null;
        double[]? step = Column(layout.Step);
        double[]? chargeAh = Column(layout.ChargeAh), dischargeAh = Column(layout.DischargeAh);
        double[]? chargeWh = Column(layout.ChargeWh), dischargeWh = Column(layout.DischargeWh);

        var columns = mpr.Columns.Keys.ToList();
        if (current is null && dq is not null)
        {
            columns.Add("<I>/mA");
        }
        if (cycle is null && halfCycle is not null)
        {
            columns.Add("cycle number");
        }
        var info = new CyclerFileInfo(mpr.SourceName, BioLogicMprFormatId, $"CyclerFormats {Version} ({BioLogicMprFormatId}, MprReader {MprReader.Version})", columns,
            new Dictionary<string, string>(), Start: null, HasCycles: cycle is not null || halfCycle is not null, HasSteps: step is not null, HasStepTypes: false);

        IEnumerator<CyclerSample> Rows()
        {
            for (int i = 0; i < mpr.Points; i++)
            {
                double amperes = current is not null ? current[i] * layout.CurrentScale
                    : dq is not null && i > 0 && time[i] > time[i - 1] ? dq[i] * 3600 / (time[i] - time[i - 1]) * layout.CurrentScale
                    : 0;
                int cycleIndex = cycle is not null ? (int)cycle[i] : halfCycle is not null ? (int)halfCycle[i] / 2 : -1;
                yield return new CyclerSample(i + 1, Finite(mpr, time, i, "time/s"), Finite(mpr, voltage, i, "voltage"), amperes, cycleIndex, step is null ? -1 : (int)step[i],
                    null, double.NaN, At(chargeAh, i) * layout.CapacityScale, At(dischargeAh, i) * layout.CapacityScale, At(chargeWh, i), At(dischargeWh, i), double.NaN);
            }
        }
        return new CyclerRecord(info, _ => Rows(), source);
    }

    private static double At(double[]? column, int i) => column is null ? double.NaN : column[i];

    private static double Finite(MprFile mpr, double[] column, int i, string name) => double.IsFinite(column[i]) ? column[i]
        : throw new InstrumentFileException(mpr.SourceName, $"record {i + 1} has {column[i]} for {name}", field: name, expected: "a finite number", code: "INVALID_VALUE");

    private static InstrumentFileException Missing(MprFile mpr, string names) =>
        new(mpr.SourceName, $"the column '{names.Replace("|", "' or '", StringComparison.Ordinal)}' is missing", field: names.Split('|')[0],
            expected: $"the columns of an EC-Lab DC technique, found: {string.Join(", ", mpr.Columns.Keys)}", code: "MISSING_COLUMN");

    /// <summary>A read-only stream that gives bytes already read from another stream, then the rest of that stream.</summary>
    private sealed class ReplayStream(ReadOnlyMemory<byte> head, Stream rest) : Stream
    {
        private ReadOnlyMemory<byte> _head = head;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_head.IsEmpty)
            {
                return rest.Read(buffer);
            }
            int n = Math.Min(buffer.Length, _head.Length);
            _head.Span[..n].CopyTo(buffer);
            _head = _head[n..];
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                rest.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
