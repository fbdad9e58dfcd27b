namespace CloudPipeline.Pipeline.Catalog;

/// <summary>
/// Builds the result rows of one analysis of one input: what they share (experiment, cell, technique, the input
/// blobs with their hashes, the parameter hash, the artifact prefix, the time) once, and per row the quantity
/// (prefixed with <see cref="QuantityPrefix"/> and <c>:</c>), value, unit and the algorithm as <c>name@version</c>.
/// </summary>
/// <param name="Site">Site.</param>
/// <param name="Experiment">Experiment.</param>
/// <param name="CellId">The manifest's cell id, if any.</param>
/// <param name="Technique">Technique, e.g. <c>eis</c>.</param>
/// <param name="QuantityPrefix">What the quantities belong to (an escaped file or folder name).</param>
/// <param name="ParameterHash">Hash of the settings the analysis ran with.</param>
/// <param name="Inputs">The input blobs and their SHA-256 (JSON).</param>
/// <param name="ArtifactPrefix">Where the analysis wrote its arrays and plots.</param>
/// <param name="ComputedAt">When.</param>
public sealed record ResultRows(string Site, string Experiment, string? CellId, string Technique, string QuantityPrefix, string ParameterHash, string Inputs,
    string ArtifactPrefix, DateTimeOffset ComputedAt)
{
    /// <summary>One row from a stage's own result row (<see cref="Core.Plotting.ReportRow"/>).</summary>
    public ResultRecord From(Core.Plotting.ReportRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return Row(row.Quantity, row.Value, row.Unit, row.Algorithm, row.Text, row.Uncertainty, row.Flags,
            row.Ci95Low is { } low && row.Ci95High is { } high ? (low, high) : null);
    }

    /// <summary>One row.</summary>
    /// <param name="quantity">The quantity's name.</param>
    /// <param name="value">Its value (NaN for a text-only result).</param>
    /// <param name="unit">Its unit.</param>
    /// <param name="algorithm">The algorithm that made it, <c>name@version</c>; the name is also the stage.</param>
    /// <param name="text">A text value or note.</param>
    /// <param name="uncertainty">Its standard error, if known.</param>
    /// <param name="flags">QC flags.</param>
    /// <param name="ci95">The 95 % confidence interval, where the analysis computes one.</param>
    public ResultRecord Row(string quantity, double value, string unit, string algorithm, string? text = null, double? uncertainty = null, string? flags = null,
        (double Low, double High)? ci95 = null)
    {
        int at = algorithm.IndexOf('@', StringComparison.Ordinal);
        return new ResultRecord
        {
            Site = Site,
            Experiment = Experiment,
            CellId = CellId,
            Technique = Technique,
            Stage = algorithm[..at],
            Quantity = $"{QuantityPrefix}:{quantity}",
            Value = value,
            Text = text,
            Unit = unit,
            Uncertainty = uncertainty,
            Ci95Low = ci95?.Low,
            Ci95High = ci95?.High,
            Algorithm = algorithm[..at],
            Version = algorithm[(at + 1)..],
            ParameterHash = ParameterHash,
            Inputs = Inputs,
            ArtifactPrefix = ArtifactPrefix,
            Flags = flags,
            ComputedAt = ComputedAt,
        };
    }
}
