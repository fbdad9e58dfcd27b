using CloudPipeline.Pipeline.Activities;

namespace CloudPipeline.Pipeline.Orchestrations;

/// <summary>
/// Per cycler dataset: the cycler chain (one read of the file: integration, per-cycle summary, plots, Battery Data
/// Format time series, results).
/// </summary>
public sealed class CyclerDatasetOrchestrator : SingleActivityDatasetOrchestrator
{
    /// <inheritdoc/>
    protected override string Activity => CyclerAnalysisActivity.Name;
}
