using CloudPipeline.Pipeline.Campaigns;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace CloudPipeline.Functions;

/// <summary>
/// The scheduled reanalysis: on the <c>ReanalysisSchedule</c> app setting (six-field NCRONTAB), a campaign for every
/// stage with results due. Off unless switched on: the app ships with <c>AzureWebJobs.ScheduledReanalysis.Disabled=true</c>.
/// </summary>
public sealed class ReanalysisFunctions(ReanalysisCampaigns campaigns)
{
    /// <summary>The function name.</summary>
    public const string Name = "ScheduledReanalysis";

    /// <summary>Starts the campaigns that are due.</summary>
    [Function(Name)]
    public Task ScheduledReanalysisAsync([TimerTrigger("%ReanalysisSchedule%")] TimerInfo timer, [DurableClient] DurableTaskClient durable, CancellationToken ct) =>
        campaigns.StartDueAsync(durable, ct);
}
