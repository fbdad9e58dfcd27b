using CloudPipeline.Core.Analysis.Mri;
using CloudPipeline.Core.Pipeline;
using Microsoft.Extensions.Options;

namespace CloudPipeline.Pipeline.Campaigns;

/// <summary>
/// The versions of each stage this host computes for every dataset: what a result must have been made with to be
/// current. Of most stages that is the one version of <see cref="AlgorithmRegistry"/>; of the MRI drift stage it is the
/// D-model versions configured in <see cref="PipelineOptions.MriDriftVersions"/> (the table model, 3.0.0, runs only where
/// a manifest asks for it, so it is never due by default).
/// </summary>
public sealed class StageVersions(IOptions<PipelineOptions> options)
{
    /// <summary>The MRI drift versions computed side by side when nothing is configured.</summary>
    public static readonly IReadOnlyList<string> DefaultMriDriftVersions = ["1.0.0", "2.0.0"];

    /// <summary>The MRI drift versions this host computes side by side.</summary>
    public IReadOnlyList<string> MriDrift => options.Value.MriDriftVersions is { Length: > 0 } configured ? configured : DefaultMriDriftVersions;

    /// <summary>The versions of <paramref name="algorithm"/> this host computes (empty for an unknown algorithm).</summary>
    public IReadOnlyList<string> Current(string algorithm) => algorithm == DriftVelocityResult.AlgorithmId
        ? MriDrift
        : [.. AlgorithmRegistry.All.Where(a => a.Name == algorithm).Select(a => a.Version)];

    /// <summary>Checks the configuration when the host starts (an unusable one stops it with the message).</summary>
    public sealed class Validator : IValidateOptions<PipelineOptions>
    {
        /// <inheritdoc/>
        public ValidateOptionsResult Validate(string? name, PipelineOptions options) =>
            Problem(options) is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }

    /// <summary>Null when the configuration is usable, else what is wrong with it.</summary>
    public static string? Problem(PipelineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var unknown = (options.MriDriftVersions ?? []).Where(v => DriftVelocityResult.StandardModel(v) is null).ToList();
        if (unknown.Count > 0)
        {
            return $"CloudPipeline:MriDriftVersions: {string.Join(", ", unknown)} is not a drift version that runs without a manifest's D table; expected 1.0.0 and/or 2.0.0.";
        }
        if (options.Reanalysis.PageSize < 1 || options.Reanalysis.Parallelism < 1)
        {
            return "CloudPipeline:Reanalysis: PageSize and Parallelism must be at least 1.";
        }
        return null;
    }
}
