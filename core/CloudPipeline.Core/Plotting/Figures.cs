using CloudPipeline.Core.Pipeline;
using OxyPlot;
using OxyPlot.Annotations;
using OxyPlot.Axes;
using OxyPlot.Legends;
using OxyPlot.Series;

namespace CloudPipeline.Core.Plotting;

/// <summary>How an axis maps values: linear, or logarithmic with decade ticks (frequency, τ, |Z|).</summary>
public enum AxisScale
{
    /// <summary>Linear.</summary>
    Linear,

    /// <summary>Base-10 logarithmic.</summary>
    Log,
}

/// <summary>An axis: its quantity, unit and scale. The unit is shown in parentheses after the title.</summary>
/// <param name="Title">The quantity, e.g. <c>t</c> or <c>|Z|</c>.</param>
/// <param name="Unit">Its unit (empty for a dimensionless one).</param>
/// <param name="Scale">Linear or logarithmic.</param>
/// <param name="Minimum">A fixed lower end (e.g. 0 for a density), or null for the data's.</param>
public sealed record PlotAxis(string Title, string Unit, AxisScale Scale = AxisScale.Linear, double? Minimum = null);

/// <summary>A series: a line, or markers, optionally with an uncertainty band.</summary>
/// <param name="Label">Legend text.</param>
/// <param name="X">x values.</param>
/// <param name="Y">y values.</param>
/// <param name="Markers">Markers instead of a line (measured points).</param>
/// <param name="Low">Lower edge of an uncertainty band, or null.</param>
/// <param name="High">Upper edge of the band.</param>
public sealed record PlotSeries(string Label, IReadOnlyList<double> X, IReadOnlyList<double> Y, bool Markers = false, IReadOnlyList<double>? Low = null,
    IReadOnlyList<double>? High = null);

/// <summary>A named figure: the model, and the file name its SVG and PNG get (without extension).</summary>
/// <param name="Name">e.g. <c>nyquist</c>.</param>
/// <param name="Model">The OxyPlot model.</param>
public sealed record Figure(string Name, PlotModel Model);

/// <summary>An event marked on the x axis with a labelled vertical line (CC→CV, onset, Sand's time).</summary>
/// <param name="X">Where, in the x axis' unit.</param>
/// <param name="Label">What happened.</param>
public sealed record PlotEvent(double X, string Label);

/// <summary>
/// The pipeline's figures, built as OxyPlot models with one house style (white background, grid, legend inside, units
/// in parentheses, nice round ticks chosen by the library, base-10 log axes where the quantity is logarithmic) and
/// exported as SVG and PNG through OxyPlot's SkiaSharp renderer. Builders return the model, so tests read the axes,
/// ticks and labels from it. OxyPlot was chosen over ScottPlot for this: its model is a plain object tree to inspect,
/// its log axes put ticks on decades, a Cartesian plot type gives Nyquist plots their equal aspect, heat maps draw as
/// one image (no seams) with a colour axis that has ticks and a unit, and its SkiaSharp renderer runs in the Functions
/// worker on Linux with the no-dependencies native assets (no system packages).
/// </summary>
public static class Figures
{
    /// <summary>Default width of an exported figure (px).</summary>
    public const int Width = 800;

    /// <summary>Default height of an exported figure (px).</summary>
    public const int Height = 500;

    private static readonly OxyColor[] Palette =
    [
        OxyColor.Parse("#2471a3"), OxyColor.Parse("#c0392b"), OxyColor.Parse("#117a65"), OxyColor.Parse("#b9770e"), OxyColor.Parse("#7d3c98"), OxyColor.Parse("#555555"),
    ];

    /// <summary>The subtitle every figure carries: the cell and the algorithm that made it.</summary>
    public static string Subtitle(string? cellId, string algorithm) => cellId is { Length: > 0 } ? $"cell {cellId} · {algorithm}" : algorithm;

    /// <summary>
    /// Lines and markers on x/y axes, with events as labelled vertical lines; optionally a residual panel below (its own
    /// y axis on the lower quarter, sharing x), and a series of another quantity on its own axis on the right (sharing x).
    /// </summary>
    public static PlotModel Lines(string title, string subtitle, IReadOnlyList<PlotSeries> series, PlotAxis x, PlotAxis y, IReadOnlyList<PlotEvent>? events = null,
        IReadOnlyList<PlotSeries>? residuals = null, PlotAxis? residualAxis = null, PlotSeries? right = null, PlotAxis? rightAxis = null)
    {
        ArgumentNullException.ThrowIfNull(series);
        var model = New(title, subtitle);
        model.Axes.Add(Axis(x, AxisPosition.Bottom, "x"));
        var main = Axis(y, AxisPosition.Left, "y");
        model.Axes.Add(main);
        for (int i = 0; i < series.Count; i++)
        {
            AddSeries(model, series[i], Palette[i % Palette.Length], "y");
        }
        if (residuals is { Count: > 0 })
        {
            main.StartPosition = 0.3;
            var lower = Axis(residualAxis ?? new PlotAxis("residual", ""), AxisPosition.Left, "residual");
            lower.EndPosition = 0.22;
            model.Axes.Add(lower);
            model.Annotations.Add(new LineAnnotation { Type = LineAnnotationType.Horizontal, Y = 0, YAxisKey = "residual", Color = OxyColors.Gray, LineStyle = LineStyle.Dot });
            for (int i = 0; i < residuals.Count; i++)
            {
                AddSeries(model, residuals[i], Palette[(series.Count + i) % Palette.Length], "residual");
            }
        }
        if (right is not null && rightAxis is not null)
        {
            var axis = Axis(rightAxis, AxisPosition.Right, "y2");
            axis.MajorGridlineStyle = LineStyle.None;
            model.Axes.Add(axis);
            AddSeries(model, right, Palette[1], "y2");
        }
        AddEvents(model, events);
        return model;
    }

    /// <summary>
    /// A Nyquist plot: −Z″ against Z′ with equal scales on both axes (a semicircle looks round), data as markers and
    /// fits as lines.
    /// </summary>
    public static PlotModel Nyquist(string title, string subtitle, IReadOnlyList<PlotSeries> series, string unit = "Ω")
    {
        var model = Lines(title, subtitle, series, new PlotAxis("Z′", unit), new PlotAxis("−Z″", unit));
        model.PlotType = PlotType.Cartesian;
        return model;
    }

    /// <summary>
    /// A map of values[k][j] over x[k] (columns) and y[j] (rows): one image without seams, a colour axis on the right
    /// with ticks, title and unit, and events as vertical lines.
    /// </summary>
    public static PlotModel Map(string title, string subtitle, double[][] values, IReadOnlyList<double> x, IReadOnlyList<double> y, PlotAxis xAxis, PlotAxis yAxis, PlotAxis colour,
        IReadOnlyList<PlotEvent>? events = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        var model = New(title, subtitle);
        model.Axes.Add(Axis(xAxis, AxisPosition.Bottom, "x"));
        model.Axes.Add(Axis(yAxis, AxisPosition.Left, "y"));
        model.Axes.Add(new LinearColorAxis
        {
            Position = AxisPosition.Right,
            Palette = OxyPalettes.Viridis(256),
            Title = colour.Title,
            Unit = colour.Unit,
            TitleFormatString = "{0} ({1})",
            Key = "colour",
            MajorTickSize = 5,
            StringFormat = "g4",
        });
        var data = new double[values.Length, y.Count];
        for (int k = 0; k < values.Length; k++)
        {
            for (int j = 0; j < y.Count; j++)
            {
                data[k, j] = values[k][j];
            }
        }
        model.Series.Add(new HeatMapSeries
        {
            X0 = x[0],
            X1 = x[^1],
            Y0 = y[0],
            Y1 = y[^1],
            Data = data,
            Interpolate = false,
            RenderMethod = HeatMapRenderMethod.Bitmap,
            ColorAxisKey = "colour",
            XAxisKey = "x",
            YAxisKey = "y",
        });
        AddEvents(model, events);
        return model;
    }

    /// <summary>
    /// One quantity across the computations that made it (algorithm versions, parameter sets), oldest first: a point
    /// per computation with its 95 % interval as an error bar where it has one, each labelled on the x axis.
    /// </summary>
    /// <param name="title">The quantity.</param>
    /// <param name="subtitle">Cell and experiment.</param>
    /// <param name="values">Per computation: its label (e.g. <c>2.0.0 · 3f2a9c</c>), value, and interval (null where none).</param>
    /// <param name="value">The value axis (quantity and unit).</param>
    public static PlotModel AcrossVersions(string title, string subtitle, IReadOnlyList<(string Label, double Value, double? Low, double? High)> values, PlotAxis value)
    {
        ArgumentNullException.ThrowIfNull(values);
        var model = New(title, subtitle);
        string[] labels = [.. values.Select(v => v.Label)];
        model.Axes.Add(new LinearAxis
        {
            Position = AxisPosition.Bottom,
            Key = "x",
            Title = "computation (oldest first)",
            Minimum = -0.5,
            Maximum = values.Count - 0.5,
            MajorStep = 1,
            MinorStep = 1,
            IsPanEnabled = false,
            LabelFormatter = i => Math.Abs(i - Math.Round(i)) < 1e-9 && i >= 0 && i < labels.Length ? labels[(int)Math.Round(i)] : "",
        });
        // The value axis spans the points and their intervals, with a margin (the series' own range leaves the bars out).
        double lowest = values.Min(v => v.Low ?? v.Value), highest = values.Max(v => v.High ?? v.Value);
        double margin = Math.Max(highest - lowest, Math.Abs(highest) * 1e-3 + 1e-12) * 0.1;
        model.Axes.Add(Axis(value with { Minimum = lowest - margin }, AxisPosition.Left, "y"));
        model.Axes[^1].Maximum = highest + margin;
        model.IsLegendVisible = false;
        var points = new ScatterErrorSeries { Title = title, MarkerType = MarkerType.Circle, MarkerSize = 4, MarkerFill = Palette[0], ErrorBarColor = Palette[0], XAxisKey = "x", YAxisKey = "y" };
        for (int i = 0; i < values.Count; i++)
        {
            var (_, v, low, high) = values[i];
            points.Points.Add(new ScatterErrorPoint(i, v, 0, low is { } l && high is { } h ? (h - l) / 2 : 0));
        }
        model.Series.Add(points);
        return model;
    }

    /// <summary>The figure as <c>{name}.svg</c> and <c>{name}.png</c>.</summary>
    public static IReadOnlyList<Artifact> Export(Figure figure) => Export(figure?.Name ?? throw new ArgumentNullException(nameof(figure)), figure.Model);

    /// <summary>A model as <c>{name}.svg</c> and <c>{name}.png</c>.</summary>
    public static IReadOnlyList<Artifact> Export(string name, PlotModel model, int width = Width, int height = Height)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var svg = new MemoryStream();
        new OxyPlot.SkiaSharp.SvgExporter { Width = width, Height = height }.Export(model, svg);
        using var png = new MemoryStream();
        new OxyPlot.SkiaSharp.PngExporter { Width = width, Height = height }.Export(model, png);
        // A viewBox lets the SVG scale to any size (in a report, a page, a slide) instead of clipping at its pixel size.
        string text = System.Text.Encoding.UTF8.GetString(svg.ToArray());
        int tag = text.IndexOf("<svg ", StringComparison.Ordinal);
        if (tag >= 0 && !text.Contains("viewBox", StringComparison.Ordinal))
        {
            text = text.Insert(tag + 5, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"viewBox=\"0 0 {width} {height}\" "));
        }
        return [new Artifact(name + ".svg", "image/svg+xml", text), new Artifact(name + ".png", "image/png", png.ToArray())];
    }

    /// <summary>Lays the model out as an export would (so its axes hold their actual ranges and ticks), without writing anything.</summary>
    public static void Layout(PlotModel model, int width = Width, int height = Height)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var sink = new MemoryStream();
        new OxyPlot.SkiaSharp.SvgExporter { Width = width, Height = height }.Export(model, sink);
    }

    private static PlotModel New(string title, string subtitle)
    {
        var model = new PlotModel
        {
            Title = title,
            Subtitle = subtitle,
            Background = OxyColors.White,
            TitleFontSize = 15,
            SubtitleFontSize = 11,
            DefaultFont = "DejaVu Sans",
        };
        model.Legends.Add(new Legend { LegendPosition = LegendPosition.TopRight, LegendPlacement = LegendPlacement.Inside, LegendBackground = OxyColor.FromAColor(220, OxyColors.White) });
        return model;
    }

    private static Axis Axis(PlotAxis spec, AxisPosition position, string key)
    {
        // A log axis spanning decades gets its major ticks on the decades only (at least 90 px apart; minor ticks at 2…9).
        Axis axis = spec.Scale == AxisScale.Log ? new LogarithmicAxis { Base = 10, IntervalLength = 90 } : new LinearAxis();
        axis.Position = position;
        axis.Title = spec.Title;
        axis.Unit = spec.Unit.Length > 0 ? spec.Unit : null;
        axis.TitleFormatString = spec.Unit.Length > 0 ? "{0} ({1})" : "{0}";
        axis.Key = key;
        axis.MajorGridlineStyle = LineStyle.Solid;
        axis.MajorGridlineColor = OxyColor.FromAColor(50, OxyColors.Black);
        axis.MinorGridlineStyle = spec.Scale == AxisScale.Log ? LineStyle.Dot : LineStyle.None;
        axis.MinorGridlineColor = OxyColor.FromAColor(25, OxyColors.Black);
        axis.StringFormat = "g6";
        if (spec.Minimum is { } minimum)
        {
            axis.Minimum = minimum;
        }
        return axis;
    }

    private static void AddSeries(PlotModel model, PlotSeries s, OxyColor color, string yKey)
    {
        if (s.Low is { } low && s.High is { } high)
        {
            var band = new AreaSeries { Title = s.Label + " (95 % band)", Color = OxyColor.FromAColor(60, color), Fill = OxyColor.FromAColor(50, color), StrokeThickness = 0, YAxisKey = yKey, XAxisKey = "x" };
            for (int i = 0; i < s.X.Count; i++)
            {
                band.Points.Add(new DataPoint(s.X[i], high[i]));
                band.Points2.Add(new DataPoint(s.X[i], low[i]));
            }
            model.Series.Add(band);
        }
        if (s.Markers)
        {
            var scatter = new ScatterSeries { Title = s.Label, MarkerType = MarkerType.Circle, MarkerSize = 3, MarkerFill = color, YAxisKey = yKey, XAxisKey = "x" };
            for (int i = 0; i < s.X.Count; i++)
            {
                if (double.IsFinite(s.X[i]) && double.IsFinite(s.Y[i]))
                {
                    scatter.Points.Add(new ScatterPoint(s.X[i], s.Y[i]));
                }
            }
            model.Series.Add(scatter);
            return;
        }
        var line = new LineSeries { Title = s.Label, Color = color, StrokeThickness = 1.6, YAxisKey = yKey, XAxisKey = "x" };
        for (int i = 0; i < s.X.Count; i++)
        {
            line.Points.Add(double.IsFinite(s.X[i]) && double.IsFinite(s.Y[i]) ? new DataPoint(s.X[i], s.Y[i]) : DataPoint.Undefined);
        }
        model.Series.Add(line);
    }

    /// <summary>Events as dashed vertical lines, their labels staggered along the line and alternately on either side, so close events stay legible.</summary>
    private static void AddEvents(PlotModel model, IReadOnlyList<PlotEvent>? events)
    {
        var list = events ?? [];
        for (int i = 0; i < list.Count; i++)
        {
            var e = list[i];
            model.Annotations.Add(new LineAnnotation
            {
                TextLinePosition = 1 - 0.35 * (i % 3),
                TextHorizontalAlignment = i % 2 == 0 ? HorizontalAlignment.Right : HorizontalAlignment.Left,
                Type = LineAnnotationType.Vertical,
                X = e.X,
                Text = e.Label,
                Color = OxyColor.Parse("#7b241c"),
                LineStyle = LineStyle.Dash,
                TextOrientation = AnnotationTextOrientation.Vertical,
                TextColor = OxyColor.Parse("#7b241c"),
                XAxisKey = "x",
                YAxisKey = "y",
            });
        }
    }
}
