using System.Globalization;
using System.Net;
using System.Text;
using CloudPipeline.Core.Pipeline;

namespace CloudPipeline.Core.Plotting;

/// <summary>One result as a report's table shows it.</summary>
/// <param name="Quantity">The quantity.</param>
/// <param name="Value">Its value (NaN when only <paramref name="Text"/> applies).</param>
/// <param name="Text">A text value or note.</param>
/// <param name="Unit">Its unit.</param>
/// <param name="Uncertainty">Standard uncertainty, where known.</param>
/// <param name="Ci95Low">Lower end of the 95 % interval the analysis computed, where it has one.</param>
/// <param name="Ci95High">Its upper end.</param>
/// <param name="Algorithm">The algorithm as <c>name@version</c>.</param>
/// <param name="Flags">QC flags, comma-separated.</param>
public sealed record ReportRow(string Quantity, double Value, string? Text, string Unit, double? Uncertainty, double? Ci95Low, double? Ci95High, string Algorithm, string? Flags);

/// <summary>A part of a report: a heading, its figures (SVG documents, shown inline) and its results.</summary>
/// <param name="Heading">e.g. <c>MRI drift velocity</c>.</param>
/// <param name="Figures">Caption and SVG text of each figure.</param>
/// <param name="Rows">The results.</param>
public sealed record ReportSection(string Heading, IReadOnlyList<(string Caption, string Svg)> Figures, IReadOnlyList<ReportRow> Rows);

/// <summary>
/// A self-contained HTML report of an experiment: one file, with its figures inline, tables of results with their
/// uncertainty and 95 % interval, the QC flags explained in words, and the versions and input files (with their SHA-256)
/// the results came from. It needs no network and no other file.
/// </summary>
public static class HtmlReport
{
    /// <summary>The report's file name beside a stage's other outputs.</summary>
    public const string FileName = "report.html";

    /// <summary>
    /// A stage's figures exported as SVG and PNG, and <see cref="FileName"/>: one page showing those figures inline with
    /// the stage's results, its flags in words and its inputs.
    /// </summary>
    public static IReadOnlyList<Artifact> FiguresAndReport(IReadOnlyList<Figure> plots, string title, string? cellId, string heading, IReadOnlyList<ReportRow> rows,
        IReadOnlyList<InputReference> inputs, DateTimeOffset generatedAt)
    {
        ArgumentNullException.ThrowIfNull(plots);
        var exported = plots.Select(f => (f.Name, Files: Figures.Export(f))).ToList();
        string html = Render(title, cellId is { Length: > 0 } cell ? $"cell {cell}" : "no cell id in the manifest",
            [new ReportSection(heading, [.. exported.Select(e => (e.Name, e.Files[0].Content))], rows)], inputs, generatedAt);
        return [.. exported.SelectMany(e => e.Files), new Artifact(FileName, "text/html; charset=utf-8", html)];
    }

    /// <summary>Renders the report.</summary>
    /// <param name="title">e.g. <c>lab-a / cell-1</c>.</param>
    /// <param name="subtitle">e.g. the cell id.</param>
    /// <param name="sections">Its parts.</param>
    /// <param name="inputs">The input files and their hashes.</param>
    /// <param name="generatedAt">When it was made.</param>
    public static string Render(string title, string subtitle, IReadOnlyList<ReportSection> sections, IReadOnlyList<InputReference> inputs, DateTimeOffset generatedAt)
    {
        ArgumentNullException.ThrowIfNull(sections);
        ArgumentNullException.ThrowIfNull(inputs);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(title)).Append("</title>\n<style>")
            .Append("body{font-family:'DejaVu Sans',Arial,sans-serif;margin:2em auto;max-width:1100px;color:#222}h1{margin-bottom:0}")
            .Append(".sub{color:#555;margin-top:.2em}figure{display:inline-block;margin:.5em;width:520px;vertical-align:top}figure svg{width:100%;height:auto}")
            .Append("figcaption{font-size:.85em;color:#555}table{border-collapse:collapse;margin:1em 0;font-size:.9em}")
            .Append("td,th{border:1px solid #ccc;padding:.25em .5em;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}")
            .Append("th{background:#f3f3f3}.flag{color:#7b241c;font-weight:bold}code{font-size:.85em}</style></head><body>\n");
        html.Append("<h1>").Append(E(title)).Append("</h1><p class=\"sub\">").Append(E(subtitle)).Append(" · generated ")
            .Append(generatedAt.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)).Append("</p>\n");
        var flags = new SortedSet<string>(StringComparer.Ordinal);
        var algorithms = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var section in sections)
        {
            html.Append("<section><h2>").Append(E(section.Heading)).Append("</h2>\n");
            foreach (var (caption, svg) in section.Figures)
            {
                html.Append("<figure>").Append(InlineSvg(svg)).Append("<figcaption>").Append(E(caption)).Append("</figcaption></figure>\n");
            }
            if (section.Rows.Count > 0)
            {
                html.Append("<table><thead><tr><th>quantity</th><th>value</th><th>± u</th><th>95 % interval</th><th>unit</th><th>algorithm</th><th>QC flags</th></tr></thead><tbody>\n");
                foreach (var row in section.Rows)
                {
                    algorithms.Add(row.Algorithm);
                    var rowFlags = QcFlags.Split(row.Flags);
                    flags.UnionWith(rowFlags);
                    html.Append("<tr><td>").Append(E(row.Quantity)).Append("</td><td class=\"n\">")
                        .Append(E(double.IsFinite(row.Value) ? G(row.Value) : row.Text ?? "")).Append("</td><td class=\"n\">")
                        .Append(row.Uncertainty is { } u ? G(u) : "").Append("</td><td class=\"n\">").Append(E(Interval(row))).Append("</td><td>")
                        .Append(E(row.Unit)).Append("</td><td><code>").Append(E(row.Algorithm)).Append("</code></td><td class=\"flag\">")
                        .Append(E(string.Join(", ", rowFlags))).Append("</td></tr>\n");
                }
                html.Append("</tbody></table>\n");
            }
            html.Append("</section>\n");
        }
        if (flags.Count > 0)
        {
            html.Append("<section><h2>QC flags</h2><dl>\n");
            foreach (string flag in flags)
            {
                html.Append("<dt class=\"flag\">").Append(E(flag)).Append("</dt><dd>").Append(E(QcFlags.Explain(flag))).Append("</dd>\n");
            }
            html.Append("</dl></section>\n");
        }
        html.Append("<section><h2>Provenance</h2><p>Algorithms: ").Append(E(string.Join(", ", algorithms))).Append("</p><table><thead><tr><th>input</th><th>SHA-256</th></tr></thead><tbody>\n");
        foreach (var input in inputs.DistinctBy(i => i.Name).OrderBy(i => i.Name, StringComparer.Ordinal))
        {
            html.Append("<tr><td>").Append(E(input.Name)).Append("</td><td><code>").Append(E(input.Sha256.Length > 0 ? input.Sha256 : "not hashed (a local analysis reads the file once)")).Append("</code></td></tr>\n");
        }
        html.Append("</tbody></table></section>\n</body></html>\n");
        return html.ToString();
    }

    /// <summary>The 95 % interval: the analysis' own, else ≈ value ± 1.96 u (normal approximation, marked ≈).</summary>
    private static string Interval(ReportRow row) =>
        row.Ci95Low is { } low && row.Ci95High is { } high ? $"[{G(low)}, {G(high)}]"
        : row.Uncertainty is { } u && double.IsFinite(row.Value) ? $"≈[{G(row.Value - 1.96 * u)}, {G(row.Value + 1.96 * u)}]"
        : "";

    /// <summary>An SVG document without its XML declaration, so it can sit inside the HTML.</summary>
    private static string InlineSvg(string svg)
    {
        int start = svg.IndexOf("<svg", StringComparison.Ordinal);
        return start < 0 ? "" : svg[start..];
    }

    private static string G(double value) => value.ToString("G7", CultureInfo.InvariantCulture);

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
