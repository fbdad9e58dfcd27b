using CloudPipeline.Core.Analysis;
using CloudPipeline.Core.Analysis.Nmr;
using CloudPipeline.Core.Formats;
using Xunit;

namespace CloudPipeline.Core.Tests.Nmr;

/// <summary>The D(c) table CSV (nmr.md §6): columns in any order, units, sorting, interpolation and each error.</summary>
public sealed class DiffusionTableTests
{
    private const string Header = "conc_value,conc_unit,T_K,D_m2_s,D_se,species,source";

    [Fact]
    public void Rows_are_sorted_by_concentration_and_interpolated_piecewise_linearly()
    {
        // Three rows out of order, mM and M units: 0.5 M → 3e-12, 1 M → 2e-12, 1.5 M → 0.5e-12.
        var table = DiffusionTable.Parse($"{Header}\n1500,mmol/L,313.15,0.5e-12,,anion,c\n0.5,M,313.15,3e-12,0.1e-12,anion,a\r\n\n1,mol/L,313.15,2e-12,,anion,b\n", "d.csv");
        Assert.Equal([0.5, 1, 1.5], table.Entries.Select(e => e.ConcentrationMolPerL));
        Assert.Equal((0.5, 1.5), (table.From, table.To));
        Assert.Equal(("a", 0.1e-12), (table.Entries[0].Source, table.Entries[0].DiffusionSe));
        Assert.True(double.IsNaN(table.Entries[1].DiffusionSe)); // an empty D_se is "not given"
        Assert.Equal(3e-12, table.Evaluate(0.5), 1e-26); // the ends are inside
        Assert.Equal(2.5e-12, table.Evaluate(0.75), 1e-26); // halfway between 3 and 2
        Assert.Equal(2e-12, table.Evaluate(1), 1e-26);
        Assert.Equal(1.25e-12, table.Evaluate(1.25), 1e-26); // halfway between 2 and 0.5
        Assert.Equal(0.5e-12, table.Evaluate(1.5), 1e-26);
        Assert.Equal("D_OUTSIDE_TABLE", Assert.Throws<AnalysisException>(() => table.Evaluate(0.49)).Code);
        Assert.Equal("D_OUTSIDE_TABLE", Assert.Throws<AnalysisException>(() => table.Evaluate(double.NaN)).Code);
    }

    [Fact]
    public void Columns_may_come_in_any_order()
    {
        var table = DiffusionTable.Parse("species,source,D_se,D_m2_s,T_K,conc_unit,conc_value\nLi,x,,1e-12,300,mM,100\nLi,y,,2e-12,300,mM,300\n", "d.csv");
        Assert.Equal([0.1, 0.3], table.Entries.Select(e => e.ConcentrationMolPerL), new ToleranceComparer(1e-15));
        Assert.Equal(1.5e-12, table.Evaluate(0.2), 1e-26);
        Assert.Equal((300.0, "Li"), (table.Entries[0].TemperatureK, table.Entries[0].Species));
    }

    [Theory]
    [InlineData("conc_value,conc_unit,T_K,D_se,species,source\n1,M,300,,a,b\n", "MISSING_COLUMN", 1, "D_m2_s", "the header has no column 'D_m2_s'")]
    [InlineData(Header + "\n1,M,300,1e-12,,a,b\n2,kg/L,300,1e-12,,a,b\n", "BAD_UNIT", 3, "conc_unit", "unit 'kg/L' is not supported")]
    [InlineData(Header + "\n1,M,300,1e-12,,a,b\nx,M,300,1e-12,,a,b\n", "NOT_A_NUMBER", 3, "conc_value", "'x' is not a number")]
    [InlineData(Header + "\n1,M,300,1e-12,,a,b\n2,M,300,NaN,,a,b\n", "NOT_A_NUMBER", 3, "D_m2_s", "'NaN' is not a number")]
    [InlineData(Header + "\n1,M,300,1e-12,,a,b\n2,M,300,0,,a,b\n", "D_NOT_POSITIVE", 3, "D_m2_s", "D = 0 is not positive")]
    [InlineData(Header + "\n1,M,300,1e-12,,a,b\n2,M\n", "NOT_A_NUMBER", 3, "D_m2_s", "'' is not a number")]
    [InlineData(Header + "\n1,M,300,1e-12,,a,b\n2,M,300\n", "NOT_A_NUMBER", 3, "D_m2_s", "'' is not a number")] // the row ends just before D
    [InlineData(Header + "\n1,M,300,1e-12,,a,b\n2\n", "BAD_UNIT", 3, "conc_unit", "unit '' is not supported")] // and just before the unit
    public void A_bad_row_or_header_names_the_line_and_the_column(string csv, string code, int line, string field, string message)
    {
        var ex = Assert.Throws<InstrumentFileException>(() => DiffusionTable.Parse(csv, "d.csv"));
        Assert.Equal((code, line, field), (ex.Code, ex.Line, ex.Field));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        Assert.Contains("d.csv", ex.Message, StringComparison.Ordinal);
        string expected = code switch
        {
            "MISSING_COLUMN" => "conc_value, conc_unit, T_K, D_m2_s, D_se, species, source",
            "BAD_UNIT" => "mol/L or mmol/L",
            "NOT_A_NUMBER" => "a finite number",
            _ => "D > 0",
        };
        Assert.Equal(expected, ex.Expected);
    }

    [Theory]
    [InlineData(Header + "\n", "TOO_FEW_ROWS", "the table has 0 entries")]
    [InlineData(Header + "\n1,M,300,1e-12,,a,b\n", "TOO_FEW_ROWS", "the table has 1 entry")]
    [InlineData(Header + "\n1,M,300,1e-12,,a,b\n2,M,300,1e-12,,c,b\n", "MIXED_TABLE", "mix species or temperatures")]
    [InlineData(Header + "\n1,M,300,1e-12,,a,b\n2,M,310,1e-12,,a,b\n", "MIXED_TABLE", "mix species or temperatures")]
    [InlineData(Header + "\n1,M,300,1e-12,,a,b\n1000,mM,300,2e-12,,a,b\n", "DUPLICATE_ROW", "a concentration appears twice")]
    [InlineData(Header + "\n3,M,300,1e-12,,a,b\n1,M,300,1e-12,,a,b\n1000,mM,300,2e-12,,a,b\n", "DUPLICATE_ROW", "a concentration appears twice")]
    public void A_table_that_cannot_define_one_d_of_c_is_rejected(string csv, string code, string message)
    {
        var ex = Assert.Throws<InstrumentFileException>(() => DiffusionTable.Parse(csv, "d.csv"));
        Assert.Equal(code, ex.Code);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        var (field, expected) = code switch
        {
            "TOO_FEW_ROWS" => ("rows", "at least two concentrations"),
            "MIXED_TABLE" => ("species", "one table per electrolyte, species and temperature"),
            _ => ("conc_value", "one D per concentration"),
        };
        Assert.Equal((field, expected), (ex.Field, ex.Expected));
    }

    [Fact]
    public void A_concentration_outside_the_table_is_refused_saying_the_range_and_a_missing_text_by_name()
    {
        var table = DiffusionTable.Parse($"{Header}\n0.5,M,313.15,3e-12,,anion,a\n1.5,M,313.15,1e-12,,anion,b\n", "d.csv");
        var ex = Assert.Throws<AnalysisException>(() => table.Evaluate(2));
        Assert.Contains("D(c) is asked at c = 2 mol/L, outside the table's 0.5–1.5 mol/L", ex.Message, StringComparison.Ordinal);
        Assert.Equal("text", Assert.Throws<ArgumentNullException>(() => DiffusionTable.Parse(null!, "d.csv")).ParamName);
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
