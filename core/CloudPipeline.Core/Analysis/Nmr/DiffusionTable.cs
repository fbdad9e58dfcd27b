using System.Globalization;
using CloudPipeline.Core.Formats;

namespace CloudPipeline.Core.Analysis.Nmr;

/// <summary>One entry of a D(c) table.</summary>
/// <param name="ConcentrationMolPerL">c (mol/L).</param>
/// <param name="TemperatureK">T (K).</param>
/// <param name="DiffusionM2PerS">D (m²/s), &gt; 0.</param>
/// <param name="DiffusionSe">SE of D (m²/s), or NaN.</param>
/// <param name="Species">The diffusing species, e.g. <c>anion</c>.</param>
/// <param name="Source">Where the value comes from (a PFG result id, a paper).</param>
public sealed record DiffusionTableEntry(double ConcentrationMolPerL, double TemperatureK, double DiffusionM2PerS, double DiffusionSe, string Species, string Source);

/// <summary>
/// A D(c) table for one electrolyte, species and temperature (nmr spec §6): entries &gt; 0, piecewise-linear in c,
/// an error outside the measured range. The MRI drift analysis can use it in place of its polynomial.
/// </summary>
/// <remarks>Part of experiment.json: settable, not init-only, because compile-time JSON metadata (which the ahead-of-time CLI reads with) sets an init-only property that the JSON leaves out to zero or null instead of its default (dotnet/runtime#84484).</remarks>
public sealed record DiffusionTable
{
    /// <summary>Entries in ascending concentration.</summary>
    public required IReadOnlyList<DiffusionTableEntry> Entries { get; set; }

    /// <summary>The lowest concentration (mol/L).</summary>
    public double From => Entries[0].ConcentrationMolPerL;

    /// <summary>The highest concentration (mol/L).</summary>
    public double To => Entries[^1].ConcentrationMolPerL;

    /// <summary>D (m²/s) at c (mol/L), linear between entries.</summary>
    /// <exception cref="AnalysisException">c lies outside the table.</exception>
    public double Evaluate(double concentrationMolPerL)
    {
        double c = concentrationMolPerL;
        if (!(c >= From && c <= To))
        {
            throw new AnalysisException("D_OUTSIDE_TABLE", $"D(c) is asked at c = {c.ToString("G6", CultureInfo.InvariantCulture)} mol/L, outside the table's {From.ToString(CultureInfo.InvariantCulture)}–{To.ToString(CultureInfo.InvariantCulture)} mol/L; add measurements that cover it.");
        }
        int i = 1;
        // Stryker disable once Equality : equivalent mutants: the search stops at the last entry either way (c ≤ To), and
        // moving past an entry equal to c interpolates from it with weight 0, the same value.
        while (i < Entries.Count - 1 && Entries[i].ConcentrationMolPerL < c)
        {
            i++;
        }
        var (a, b) = (Entries[i - 1], Entries[i]);
        double f = (c - a.ConcentrationMolPerL) / (b.ConcentrationMolPerL - a.ConcentrationMolPerL);
        return a.DiffusionM2PerS + f * (b.DiffusionM2PerS - a.DiffusionM2PerS);
    }

    /// <summary>
    /// Reads the CSV form <c>conc_value, conc_unit, T_K, D_m2_s, D_se, species, source</c> (header row required;
    /// units <c>mol/L</c> or <c>mmol/L</c>). All rows must share species and temperature.
    /// </summary>
    /// <exception cref="InstrumentFileException">A missing column, a bad number, D ≤ 0, mixed species or temperatures, or a repeated concentration.</exception>
    public static DiffusionTable Parse(string text, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Replace("\r", "", StringComparison.Ordinal).Split('\n');
        string[] expected = ["conc_value", "conc_unit", "T_K", "D_m2_s", "D_se", "species", "source"];
        var header = lines[0].Split(',').Select(h => h.Trim()).ToArray();
        var column = expected.ToDictionary(e => e, e => Array.IndexOf(header, e));
        foreach (var (name, index) in column)
        {
            if (index < 0)
            {
                throw new InstrumentFileException(sourceName, $"the header has no column '{name}'", 1, name, string.Join(", ", expected), "MISSING_COLUMN");
            }
        }
        var entries = new List<DiffusionTableEntry>();
        for (int n = 1; n < lines.Length; n++)
        {
            if (lines[n].Trim().Length == 0)
            {
                continue;
            }
            var f = lines[n].Split(',').Select(v => v.Trim()).ToArray();
            double Number(string name)
            {
                string v = column[name] < f.Length ? f[column[name]] : "";
                if (v.Length == 0 && name == "D_se")
                {
                    return double.NaN;
                }
                return double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d)
                    ? d : throw new InstrumentFileException(sourceName, $"'{v}' is not a number", n + 1, name, "a finite number", "NOT_A_NUMBER");
            }
            string unit = column["conc_unit"] < f.Length ? f[column["conc_unit"]] : "";
            double scale = unit switch
            {
                "mol/L" or "M" => 1,
                "mmol/L" or "mM" => 1e-3,
                _ => throw new InstrumentFileException(sourceName, $"unit '{unit}' is not supported", n + 1, "conc_unit", "mol/L or mmol/L", "BAD_UNIT"),
            };
            double d = Number("D_m2_s");
            if (d <= 0)
            {
                throw new InstrumentFileException(sourceName, $"D = {d.ToString(CultureInfo.InvariantCulture)} is not positive", n + 1, "D_m2_s", "D > 0", "D_NOT_POSITIVE");
            }
            entries.Add(new DiffusionTableEntry(Number("conc_value") * scale, Number("T_K"), d, Number("D_se"), f[column["species"]], f[column["source"]]));
        }
        if (entries.Count < 2)
        {
            throw new InstrumentFileException(sourceName, $"the table has {entries.Count} entr{(entries.Count == 1 ? "y" : "ies")}", field: "rows", expected: "at least two concentrations", code: "TOO_FEW_ROWS");
        }
        if (entries.Select(e => (e.Species, e.TemperatureK)).Distinct().Count() > 1)
        {
            throw new InstrumentFileException(sourceName, "the rows mix species or temperatures", field: "species", expected: "one table per electrolyte, species and temperature", code: "MIXED_TABLE");
        }
        entries.Sort((a, b) => a.ConcentrationMolPerL.CompareTo(b.ConcentrationMolPerL));
        if (entries.Zip(entries.Skip(1)).Any(p => p.First.ConcentrationMolPerL == p.Second.ConcentrationMolPerL))
        {
            throw new InstrumentFileException(sourceName, "a concentration appears twice", field: "conc_value", expected: "one D per concentration", code: "DUPLICATE_ROW");
        }
        return new DiffusionTable { Entries = entries };
    }
}

/// <summary>Nernst–Einstein relations (nmr spec §6).</summary>
public static class NernstEinstein
{
    /// <summary>Faraday constant (C/mol).</summary>
    public const double Faraday = 96485.33212;

    /// <summary>Gas constant (J/(mol·K)).</summary>
    public const double GasConstant = 8.314462618;

    /// <summary>Mobility μ = D·F/(R·T) (m² V⁻¹ s⁻¹).</summary>
    public static double Mobility(double diffusionM2PerS, double temperatureK) => diffusionM2PerS * Faraday / (GasConstant * temperatureK);
}
