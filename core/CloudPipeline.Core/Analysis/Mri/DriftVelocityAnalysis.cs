using CloudPipeline.Core.Analysis.Electrochemistry;
using CloudPipeline.Core.Formats.Electrochemistry;
using CloudPipeline.Core.Numerics;

namespace CloudPipeline.Core.Analysis.Mri;

/// <summary>
/// Anion drift velocity from operando ¹⁹F MRI profiles and the cell voltage (spec
/// <c>mri-drift-velocity.md</c>, published-compatible mode): a smoothed concentration field, a 1D
/// Nernst–Planck flux balance whose integration constant makes the field integrate to the measured cell
/// voltage, and the migration drift velocity v_a(z, t).
/// </summary>
public static class DriftVelocityAnalysis
{
    /// <summary>Boltzmann constant (J/K), exact SI.</summary>
    public const double Boltzmann = 1.380649e-23;

    /// <summary>Elementary charge (C), exact SI.</summary>
    public const double ElementaryCharge = 1.602176634e-19;

    /// <summary>Runs the analysis.</summary>
    /// <param name="series">The ordered profiles.</param>
    /// <param name="voltage">The potentiostat record of the polarisation (V and I per sample).</param>
    /// <param name="parameters">The manifest parameters.</param>
    /// <exception cref="AnalysisException">Too few profiles (<c>TOO_FEW_PROFILES</c>), or a requested profile count the voltage record does not cover (<c>VOLTAGE_RECORD_TOO_SHORT</c>).</exception>
    public static DriftVelocityResult Run(ProfileSeries series, TimeSeries voltage, DriftVelocityParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(voltage);
        ArgumentNullException.ThrowIfNull(parameters);
        var p = parameters;
        var flags = new List<string>();
        var warnings = new List<string>(series.Warnings);
        int files = series.Profiles.Count;
        int size = series.Size;

        // S2: voltage samples per profile and the number of profiles the record covers.
        int pV = (int)Math.Round((p.ProfileDtS - p.EisWindowS) / p.VoltageDtS, MidpointRounding.AwayFromZero);
        int covered = p.VoltageWindowMode == VoltageWindowMode.PublishedIndex
            ? (voltage.Count - 1) / pV
            : (int)Math.Floor((voltage.Time[^1] - p.VoltageStartS + p.EisWindowS) / p.ProfileDtS);
        int n = Math.Min(files, covered);
        if (p.MaxProfiles is { } requested)
        {
            if (requested > files)
            {
                throw new AnalysisException("TOO_FEW_PROFILES", $"The manifest asks for {requested} profiles but only {files} profile files are present.");
            }
            if (requested > covered)
            {
                throw new AnalysisException("VOLTAGE_RECORD_TOO_SHORT",
                    $"{voltage.SourceName} ends after {voltage.Count} samples ({voltage.Time[^1] / 3600:0.###} h), which covers {covered} profiles; " +
                    $"the manifest asks for {requested}, up to {series.Profiles[requested - 1].SourceName}.");
            }
            n = requested;
        }
        int minimum = Math.Max(2, p.PolyOrderT + 1);
        if (n < minimum)
        {
            throw new AnalysisException("TOO_FEW_PROFILES",
                $"Only {n} profile(s) can be analysed ({files} files; {voltage.SourceName} covers {covered}); at least {minimum} are needed for a time polynomial of order {p.PolyOrderT}.");
        }
        if (n < files)
        {
            warnings.Add($"PROFILES_UNUSED: {files - n} of {files} profiles lie beyond the voltage record and are not analysed (information).");
        }

        // S1: oriented intensities, index 0 = plating electrode.
        var intensity = new double[n][];
        for (int k = 0; k < n; k++)
        {
            var raw = series.Profiles[k].Values;
            intensity[k] = p.FlipProfile ? raw.Reverse().ToArray() : (double[])raw.Clone();
        }

        // S3: cell voltage per profile.
        var cellVoltage = CellVoltages(voltage, p, n, pV, flags, warnings);

        // S4: bulk level and ROI from the first profile.
        var p0 = intensity[0];
        double h = p0.Max() / 2;
        int i1 = ArgMinDistance(p0, h, 0, size / 2 - 1);
        int i2 = ArgMinDistance(p0, h, size / 2 - 1, size - 1);
        int c0 = (i1 + i2) / 2 + (p.CenterRule == CenterRule.Published ? 1 : 0);
        int lo = Math.Max(0, c0 - p.PlateauHalfWidth);
        int hi = Math.Min(size - 1, c0 + p.PlateauHalfWidth);
        double m = 0;
        for (int j = lo; j <= hi; j++)
        {
            m += p0[j];
        }
        m /= hi - lo + 1;
        int r0 = -1, inTolerance = 0;
        // Stryker disable once Unary : equivalent mutant: r1 is read only once r0 ≥ 0, and the point that sets r0 sets r1 too.
        int r1 = -1;
        for (int j = 0; j < size; j++)
        {
            if (p0[j] > m * (1 - p.RoiTolerance) && p0[j] < m * (1 + p.RoiTolerance))
            {
                r0 = r0 < 0 ? j : r0;
                r1 = j;
                inTolerance++;
            }
        }
        if (r0 < 0 || r1 - r0 < Math.Max(p.PolyOrderZ + 1, 2))
        {
            throw new AnalysisException("NO_PLATEAU", $"{series.Profiles[0].SourceName}: no plateau within ±{p.RoiTolerance:P0} of the bulk level {m:G6}; check the profile and roiTolerance.");
        }
        int roi = r1 - r0 + 1;
        if (roi < 2 * p.PlateauHalfWidth + 1)
        {
            flags.Add("ROI_SHORT");
            warnings.Add($"ROI_SHORT: the ROI has {roi} points, fewer than 2·plateauHalfWidth+1 = {2 * p.PlateauHalfWidth + 1}.");
        }
        if (roi - inTolerance > 0.2 * roi)
        {
            flags.Add("ROI_HOLES");
            warnings.Add($"ROI_HOLES: {roi - inTolerance} of {roi} ROI points lie outside the tolerance band.");
        }
        double dz = p.FovMm / size;
        var z = new double[roi];
        var x1 = new double[roi];
        for (int j = 0; j < roi; j++)
        {
            z[j] = (r0 + j) * dz;
            x1[j] = (double)j / (roi - 1);
        }

        // S5 + S6: normalise against the first profile, smooth along z, add the offset.
        var c = new double[n][];
        var smoothZ = new PolynomialSmoother(z, p.PolyOrderZ);
        for (int k = 0; k < n; k++)
        {
            var row = new double[roi];
            for (int j = 0; j < roi; j++)
            {
                double correction = p0[r0 + j] - m;
                row[j] = (intensity[k][r0 + j] - correction) / m;
            }
            smoothZ.Smooth(row, row);
            for (int j = 0; j < roi; j++)
            {
                row[j] += p.ConcOffsetMolL;
            }
            c[k] = row;
        }

        // S7: smooth along t.
        var times = new double[n];
        for (int k = 0; k < n; k++)
        {
            times[k] = k * p.ProfileDtS;
        }
        var smoothT = new PolynomialSmoother(times, p.PolyOrderT);
        var column = new double[n];
        for (int j = 0; j < roi; j++)
        {
            for (int k = 0; k < n; k++)
            {
                column[k] = c[k][j];
            }
            smoothT.Smooth(column, column);
            for (int k = 0; k < n; k++)
            {
                c[k][j] = column[k];
            }
        }

        // S8: transport parameters.
        double bulk = 1 + p.ConcOffsetMolL;
        double thermalVoltage = Boltzmann * p.TemperatureK / ElementaryCharge;
        var diffusion = NewField(n, roi);
        var mobility = NewField(n, roi);
        bool nonPositive = false, outsideValidity = false;
        for (int k = 0; k < n; k++)
        {
            for (int j = 0; j < roi; j++)
            {
                double x = p.DModel.VariableAt(c[k][j], bulk);
                double d = p.DModel.Evaluate(x);
                nonPositive |= d <= 0;
                outsideValidity |= !p.DModel.IsValidAt(x);
                diffusion[k][j] = d;
                mobility[k][j] = 1e6 * d / thermalVoltage;
            }
        }
        if (nonPositive)
        {
            flags.Add("D_NEGATIVE_IN_RANGE");
            warnings.Add("D_NEGATIVE_IN_RANGE: the D model is ≤ 0 at concentrations this cell reaches, so mobilities and velocities carry its sign (spec §7.1).");
        }
        if (outsideValidity)
        {
            flags.Add("D_OUTSIDE_VALIDITY");
            warnings.Add("D_OUTSIDE_VALIDITY: the D model is evaluated outside its stated validity range.");
        }

        // S9–S13: fluxes, field, voltage constraint and velocity.
        var cmm = NewField(n, roi);
        for (int k = 0; k < n; k++)
        {
            for (int j = 0; j < roi; j++)
            {
                cmm[k][j] = c[k][j] / 1e6;
            }
        }
        var dcdt = NewField(n, roi);
        for (int j = 0; j < roi; j++)
        {
            for (int k = 0; k < n; k++)
            {
                column[k] = cmm[k][j];
            }
            var derivative = new double[n];
            FiniteDifferences.Gradient(column, p.ProfileDtS, derivative);
            for (int k = 0; k < n; k++)
            {
                dcdt[k][j] = derivative[k];
            }
        }

        var jeff = NewField(n, roi);
        var jdiff = NewField(n, roi);
        var jmig = NewField(n, roi);
        var field = NewField(n, roi);
        var velocity = NewField(n, roi);
        var fieldIntegral = new double[n];
        var fluxConstant = new double[n];
        var q = new double[roi];
        var gradient = new double[roi];
        var inverse = new double[roi];
        for (int k = 0; k < n; k++)
        {
            for (int j = 0; j < roi; j++)
            {
                q[j] = -dcdt[k][j];
            }
            FiniteDifferences.CumulativeTrapezoid(q, dz, jeff[k]);
            FiniteDifferences.Gradient(cmm[k], dz, gradient);
            for (int j = 0; j < roi; j++)
            {
                double u = mobility[k][j];
                jdiff[k][j] = -u * gradient[j] * thermalVoltage;
                field[k][j] = (jdiff[k][j] - jeff[k][j]) / (u * cmm[k][j]);
                inverse[j] = 1 / (u * cmm[k][j]);
            }
            fieldIntegral[k] = FiniteDifferences.Trapezoid(field[k], dz);
            fluxConstant[k] = (cellVoltage[k] - fieldIntegral[k]) / FiniteDifferences.Trapezoid(inverse, dz);
            for (int j = 0; j < roi; j++)
            {
                jmig[k][j] = jeff[k][j] + fluxConstant[k] - jdiff[k][j];
                velocity[k][j] = jmig[k][j] / cmm[k][j] * 1000 * 3600;
            }
        }

        if (c[n - 1][0] > c[n - 1][roi - 1])
        {
            flags.Add("ORIENTATION_SUSPECT");
            warnings.Add($"ORIENTATION_SUSPECT: at the last profile c(x1=0) = {c[n - 1][0]:F3} > c(x1=1) = {c[n - 1][roi - 1]:F3} mol/L, but salt depletes at the plating side; check flipProfile.");
        }

        int kcc = FirstProfileAfterCc(voltage, p, cellVoltage, pV, n, warnings);
        var metrics = Metrics(velocity, x1, kcc);
        return new DriftVelocityResult
        {
            AlgorithmVersion = DriftVelocityResult.VersionOf(p.DModel),
            Parameters = p,
            ProfileCount = n,
            FileCount = files,
            ProfileNames = series.Profiles.Take(n).Select(x => x.SourceName).ToList(),
            VoltageSamplesPerProfile = pV,
            TimesS = times,
            PositionsMm = z,
            X1 = x1,
            RoiStart = r0,
            RoiEnd = r1,
            RoiRaw = p.FlipProfile ? (size - 1 - r1, size - 1 - r0) : (r0, r1),
            PointsInTolerance = inTolerance,
            BulkLevel = m,
            Centre = (i1, i2, c0),
            CellVoltage = cellVoltage,
            FieldIntegral = fieldIntegral,
            FluxConstant = fluxConstant,
            Concentration = c,
            Diffusion = diffusion,
            Mobility = mobility,
            Field = field,
            EffectiveFlux = jeff,
            DiffusionFlux = jdiff,
            MigrationFlux = jmig,
            Velocity = velocity,
            Metrics = metrics,
            Flags = flags,
            Warnings = warnings,
        };
    }

    private static double[] CellVoltages(TimeSeries voltage, DriftVelocityParameters p, int n, int pV, List<string> flags, List<string> warnings)
    {
        var cell = new double[n];
        var v = voltage.Voltage;
        if (p.VoltageWindowMode == VoltageWindowMode.PublishedIndex)
        {
            // Profile 0 takes pV samples; later profiles take pV + 1, the first shared with the previous window.
            cell[0] = Mean(v, 0, pV - 1);
            for (int k = 1; k < n; k++)
            {
                cell[k] = Mean(v, k * pV, k * pV + pV);
            }
            return cell;
        }
        for (int k = 0; k < n; k++)
        {
            double start = p.VoltageStartS + k * p.ProfileDtS;
            double end = p.VoltageStartS + (k + 1) * p.ProfileDtS - p.EisWindowS;
            double sum = 0;
            int count = 0;
            for (int i = 0; i < voltage.Count; i++)
            {
                if (voltage.Time[i] >= start && voltage.Time[i] <= end)
                {
                    sum += v[i];
                    count++;
                }
            }
            if (count == 0)
            {
                if (!flags.Contains("VOLTAGE_WINDOW_EMPTY"))
                {
                    flags.Add("VOLTAGE_WINDOW_EMPTY");
                }
                warnings.Add($"VOLTAGE_WINDOW_EMPTY: no voltage sample in the window of profile {k}; the previous profile's voltage is used.");
                cell[k] = k > 0 ? cell[k - 1] : v[0];
            }
            else
            {
                cell[k] = sum / count;
            }
        }
        return cell;
    }

    private static int FirstProfileAfterCc(TimeSeries voltage, DriftVelocityParameters p, double[] cellVoltage, int pV, int n, List<string> warnings)
    {
        var segmentation = StepSegmenter.Segment(voltage, new SegmentationParameters { CvSetpointV = p.CvSetpointV });
        var cv = segmentation.Steps.FirstOrDefault(s => s.Type == StepType.ConstantVoltage);
        if (cv is not null)
        {
            for (int k = 1; k < n; k++)
            {
                if (k * pV >= cv.StartIndex)
                {
                    return k;
                }
            }
        }
        double target = p.CvSetpointV ?? cv?.Setpoint ?? cellVoltage[^1];
        for (int k = 1; k < n; k++)
        {
            if (Math.Abs(cellVoltage[k] - target) <= 1e-3)
            {
                return k;
            }
        }
        warnings.Add("NO_CV_STEP: no CC→CV switch found; the last profile stands in for k_CC.");
        return n - 1;
    }

    private static DriftVelocityMetrics Metrics(double[][] velocity, double[] x1, int kcc)
    {
        int n = velocity.Length;
        int last = x1.Length - 1;
        double max = -1;
        int maxK = 0, maxJ = 0;
        for (int k = 0; k < n; k++)
        {
            for (int j = 0; j <= last; j++)
            {
                if (Math.Abs(velocity[k][j]) > max)
                {
                    max = Math.Abs(velocity[k][j]);
                    maxK = k;
                    maxJ = j;
                }
            }
        }
        EdgeVelocities Edges(int k) => new(k, velocity[k][0], velocity[k][last]);
        double Change(int j) =>
            100 * (Math.Abs(velocity[n - 1][j]) - Math.Abs(velocity[kcc][j])) / Math.Max(Math.Abs(velocity[n - 1][j]), Math.Abs(velocity[kcc][j]));
        return new DriftVelocityMetrics
        {
            VMaxAbs = max,
            VMaxProfileIndex = maxK,
            VMaxX1 = x1[maxJ],
            KCc = kcc,
            First = Edges(0),
            AfterCc = Edges(kcc),
            Last = Edges(n - 1),
            SpatialDiffPct = 100 * (Math.Abs(velocity[n - 1][0]) - Math.Abs(velocity[n - 1][last])) / Math.Abs(velocity[n - 1][0]),
            CvChangePctPlating = Change(0),
            CvChangePctCounter = Change(last),
        };
    }

    private static int ArgMinDistance(double[] values, double target, int from, int to)
    {
        int best = from;
        for (int j = from + 1; j <= to; j++)
        {
            if (Math.Abs(values[j] - target) < Math.Abs(values[best] - target))
            {
                best = j;
            }
        }
        return best;
    }

    private static double Mean(double[] values, int from, int to)
    {
        double sum = 0;
        for (int i = from; i <= to; i++)
        {
            sum += values[i];
        }
        return sum / (to - from + 1);
    }

    private static double[][] NewField(int rows, int columns)
    {
        var field = new double[rows][];
        for (int k = 0; k < rows; k++)
        {
            field[k] = new double[columns];
        }
        return field;
    }
}
