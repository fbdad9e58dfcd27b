using CloudPipeline.Core.Formats.Nmr;
using CloudPipeline.Pipeline.Campaigns;
using CloudPipeline.Pipeline.Catalog;
using Microsoft.DurableTask;

namespace CloudPipeline.Pipeline.Activities;

/// <summary>One page of a campaign: the request, the key to continue after, and how many to take.</summary>
/// <param name="Request">The campaign.</param>
/// <param name="After">The last key of the previous page (null: from the start).</param>
/// <param name="Take">Page size.</param>
public sealed record CampaignPageRequest(CampaignRequest Request, string? After, int Take);

/// <summary>Finds the next page of a campaign's targets (<see cref="CampaignPlanner"/>).</summary>
public sealed class FindCampaignTargetsActivity(CampaignPlanner planner) : TaskActivity<CampaignPageRequest, CampaignPlan>
{
    /// <summary>The activity name.</summary>
    public const string Name = "FindCampaignTargetsV1";

    /// <inheritdoc/>
    public override Task<CampaignPlan> RunAsync(TaskActivityContext context, CampaignPageRequest input) =>
        planner.PlanAsync(input.Request, input.After, input.Take, CancellationToken.None);
}

/// <summary>
/// What reanalysing one experiment's technique involves: its catalogued datasets of that technique (EIS spectra,
/// cycler files; row keys) or its NMR folders; rejected files left out.
/// </summary>
public sealed class ListReanalysisWorkActivity(DatasetCatalog catalog) : TaskActivity<CampaignTarget, IReadOnlyList<string>>
{
    /// <summary>The activity name.</summary>
    public const string Name = "ListReanalysisWorkV1";

    /// <inheritdoc/>
    public override async Task<IReadOnlyList<string>> RunAsync(TaskActivityContext context, CampaignTarget input)
    {
        var datasets = (await catalog.ListAsync(input.Site, input.Experiment, CancellationToken.None))
            .Where(d => d.Technique == input.Technique && d.Status is not (DatasetStatus.Rejected or DatasetStatus.Received)).ToList();
        return input.Technique == "nmr"
            ? [.. datasets.Select(d => NmrLayout.Classify(d.Path, d.Role)).Where(p => p is { Kind: not NmrPartKind.Auxiliary }).Select(p => p!.Folder).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]
            : [.. datasets.Select(d => d.RowKey).Order(StringComparer.Ordinal)];
    }
}
