using System.Globalization;
using System.Text;

namespace CloudPipeline.Core.Plotting;

/// <summary>One line of a line chart.</summary>
/// <param name="Label">Legend text.</param>
/// <param name="X">Abscissae.</param>
/// <param name="Y">Ordinates.</param>
/// <param name="Color">CSS colour.</param>
/// <param name="MarkersOnly">Draw points instead of a line.</param>
public sealed record SvgSeries(string Label, double[] X, double[] Y, string Color, bool MarkersOnly = false);

/// <summary>Small self-contained SVG charts (heat maps and line charts) for result plots; no dependencies.</summary>
public static class SvgPlot
{
    private const int Width = 760, Height = 440, Left = 80, Right = 160, Top = 40, Bottom = 60;

    /// <summary>A heat map of values[row][column] with a colour bar; rows run along x, columns along y.</summary>
    public static string Heatmap(string title, double[][] values, double[] x, double[] y, string xLabel, string yLabel, string unit)
    {
        double min = values.SelectMany(r => r).Min(), max = values.SelectMany(r => r).Max();
        var sb = Begin(title);
        double plotW = Width - Left - Right, plotH = Height - Top - Bottom;
        double cellW = plotW / values.Length, cellH = plotH / values[0].Length;
        for (int r = 0; r < values.Length; r++)
        {
            for (int c = 0; c < values[r].Length; c++)
            {
                sb.Append(Inv($"<rect x=\"{Left + r * cellW:F2}\" y=\"{Top + plotH - (c + 1) * cellH:F2}\" width=\"{cellW + 0.3:F2}\" height=\"{cellH + 0.3:F2}\" fill=\"{Colour(values[r][c], min, max)}\"/>"));
            }
        }
        Axes(sb, x.Min(), x.Max(), y.Min(), y.Max(), xLabel, yLabel);
        for (int i = 0; i <= 20; i++)
        {
            double v = min + (max - min) * i / 20;
            sb.Append(Inv($"<rect x=\"{Width - Right + 20}\" y=\"{Top + plotH - (i + 1) * plotH / 21:F2}\" width=\"16\" height=\"{plotH / 21 + 0.5:F2}\" fill=\"{Colour(v, min, max)}\"/>"));
        }
        sb.Append(Text(Width - Right + 40, Top + plotH, Format(min), "start"));
        sb.Append(Text(Width - Right + 40, Top + 10, Format(max), "start"));
        sb.Append(Text(Width - Right + 28, Top - 8, unit, "middle"));
        return End(sb);
    }

    /// <summary>A line chart of several series sharing axes.</summary>
    public static string Lines(string title, IReadOnlyList<SvgSeries> series, string xLabel, string yLabel, bool logX = false)
    {
        Func<double, double> fx = logX ? Math.Log10 : v => v;
        double xMin = series.SelectMany(s => s.X).Select(fx).Min(), xMax = series.SelectMany(s => s.X).Select(fx).Max();
        double yMin = series.SelectMany(s => s.Y).Min(), yMax = series.SelectMany(s => s.Y).Max();
        if (yMax == yMin)
        {
            yMax += 1;
            yMin -= 1;
        }
        double pad = 0.05 * (yMax - yMin);
        yMin -= pad;
        yMax += pad;
        var sb = Begin(title);
        double plotW = Width - Left - Right, plotH = Height - Top - Bottom;
        double Px(double v) => Left + (fx(v) - xMin) / (xMax - xMin == 0 ? 1 : xMax - xMin) * plotW;
        double Py(double v) => Top + plotH - (v - yMin) / (yMax - yMin) * plotH;
        for (int s = 0; s < series.Count; s++)
        {
            var line = series[s];
            if (line.MarkersOnly)
            {
                for (int i = 0; i < line.X.Length; i++)
                {
                    sb.Append(Inv($"<circle cx=\"{Px(line.X[i]):F2}\" cy=\"{Py(line.Y[i]):F2}\" r=\"2.5\" fill=\"{line.Color}\"/>"));
                }
            }
            else
            {
                sb.Append("<polyline fill=\"none\" stroke-width=\"1.8\" stroke=\"").Append(line.Color).Append("\" points=\"");
                for (int i = 0; i < line.X.Length; i++)
                {
                    sb.Append(Inv($"{Px(line.X[i]):F2},{Py(line.Y[i]):F2} "));
                }
                sb.Append("\"/>");
            }
            sb.Append(Inv($"<rect x=\"{Width - Right + 10}\" y=\"{Top + 14 * s}\" width=\"10\" height=\"10\" fill=\"{line.Color}\"/>"));
            sb.Append(Text(Width - Right + 24, Top + 14 * s + 9, line.Label, "start"));
        }
        Axes(sb, xMin, xMax, yMin, yMax, logX ? $"log10 {xLabel}" : xLabel, yLabel);
        return End(sb);
    }

    private static StringBuilder Begin(string title)
    {
        var sb = new StringBuilder();
        sb.Append(Inv($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"sans-serif\" font-size=\"12\">"));
        sb.Append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>");
        sb.Append(Text(Width / 2.0, 22, title, "middle", 15));
        return sb;
    }

    private static string End(StringBuilder sb) => sb.Append("</svg>").ToString();

    private static void Axes(StringBuilder sb, double xMin, double xMax, double yMin, double yMax, string xLabel, string yLabel)
    {
        double plotW = Width - Left - Right, plotH = Height - Top - Bottom;
        sb.Append(Inv($"<rect x=\"{Left}\" y=\"{Top}\" width=\"{plotW}\" height=\"{plotH}\" fill=\"none\" stroke=\"black\"/>"));
        for (int i = 0; i <= 5; i++)
        {
            double xv = xMin + (xMax - xMin) * i / 5, px = Left + plotW * i / 5;
            double yv = yMin + (yMax - yMin) * i / 5, py = Top + plotH - plotH * i / 5;
            sb.Append(Inv($"<line x1=\"{px:F1}\" y1=\"{Top + plotH}\" x2=\"{px:F1}\" y2=\"{Top + plotH + 5}\" stroke=\"black\"/>"));
            sb.Append(Text(px, Top + plotH + 18, Format(xv), "middle"));
            sb.Append(Inv($"<line x1=\"{Left - 5}\" y1=\"{py:F1}\" x2=\"{Left}\" y2=\"{py:F1}\" stroke=\"black\"/>"));
            sb.Append(Text(Left - 8, py + 4, Format(yv), "end"));
        }
        sb.Append(Text(Left + plotW / 2, Height - 15, xLabel, "middle"));
        sb.Append(Inv($"<text x=\"18\" y=\"{Top + plotH / 2:F1}\" text-anchor=\"middle\" transform=\"rotate(-90 18 {Top + plotH / 2:F1})\">{Escape(yLabel)}</text>"));
    }

    private static string Text(double x, double y, string text, string anchor, int size = 12) =>
        Inv($"<text x=\"{x:F1}\" y=\"{y:F1}\" text-anchor=\"{anchor}\" font-size=\"{size}\">{Escape(text)}</text>");

    private static string Escape(string text) => System.Security.SecurityElement.Escape(text) ?? string.Empty;

    private static string Format(double v) => Math.Abs(v) >= 1e4 || (Math.Abs(v) < 1e-2 && v != 0) ? v.ToString("0.##E+0", CultureInfo.InvariantCulture) : v.ToString("G4", CultureInfo.InvariantCulture);

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    /// <summary>A perceptually ordered blue–white–red-ish ramp (viridis-like stops).</summary>
    private static string Colour(double v, double min, double max)
    {
        double t = max > min ? Math.Clamp((v - min) / (max - min), 0, 1) : 0.5;
        (double r, double g, double b)[] stops = [(68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37)];
        double pos = t * (stops.Length - 1);
        int i = Math.Min((int)pos, stops.Length - 2);
        double f = pos - i;
        int R = (int)(stops[i].r + f * (stops[i + 1].r - stops[i].r));
        int G = (int)(stops[i].g + f * (stops[i + 1].g - stops[i].g));
        int B = (int)(stops[i].b + f * (stops[i + 1].b - stops[i].b));
        return $"#{R:X2}{G:X2}{B:X2}";
    }
}
