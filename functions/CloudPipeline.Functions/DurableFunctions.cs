using CloudPipeline.Pipeline.Activities;
using CloudPipeline.Pipeline.Campaigns;
using CloudPipeline.Pipeline.Orchestrations;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;

namespace CloudPipeline.Functions;

/// <summary>
/// The orchestrations and activities of <see cref="PipelineTasks"/>, one thin function each (the class-based
/// <c>[DurableTask]</c> registration needs a source generator that is not available here). A test holds this set
/// to <see cref="PipelineTasks"/> through the generated functions.metadata.
/// </summary>
public sealed class DurableFunctions(IServiceProvider services)
{
    /// <summary>Per dataset.</summary>
    [Function(PipelineTasks.DatasetOrchestration)]
    public static Task<DatasetSummary?> DatasetAsync([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new DatasetOrchestrator().RunAsync(context, context.GetInput<DatasetInput>()!);

    /// <summary>Per MRI experiment.</summary>
    [Function(PipelineTasks.MriExperimentOrchestration)]
    public static Task<IReadOnlyList<MriDriftSummary>?> MriExperimentAsync([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new MriExperimentOrchestrator().RunAsync(context, context.GetInput<ExperimentOrchestrationInput>()!);

    /// <summary>Per EIS experiment.</summary>
    [Function(PipelineTasks.EisExperimentOrchestration)]
    public static Task<int> EisExperimentAsync([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new EisExperimentOrchestrator().RunAsync(context, context.GetInput<ExperimentOrchestrationInput>()!);

    /// <summary>Per NMR dataset folder.</summary>
    [Function(PipelineTasks.NmrDatasetOrchestration)]
    public static Task<NmrSummary?> NmrDatasetAsync([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new NmrDatasetOrchestrator().RunAsync(context, context.GetInput<NmrOrchestrationInput>()!);

    /// <summary>Per cycler dataset.</summary>
    [Function(PipelineTasks.CyclerDatasetOrchestration)]
    public static Task<DatasetSummary?> CyclerDatasetAsync([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new CyclerDatasetOrchestrator().RunAsync(context, context.GetInput<DatasetInput>()!);

    /// <summary>Per stage: a reanalysis campaign.</summary>
    [Function(PipelineTasks.ReanalysisCampaignOrchestration)]
    public static Task<CampaignProgress> ReanalysisCampaignAsync([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new ReanalysisCampaignOrchestrator().RunAsync(context, context.GetInput<CampaignInput>()!);

    /// <summary>Per experiment and technique of a campaign.</summary>
    [Function(PipelineTasks.ReanalyseExperimentOrchestration)]
    public static Task<int> ReanalyseExperimentAsync([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new ReanalyseExperimentOrchestrator().RunAsync(context, context.GetInput<CampaignTarget>()!);

    /// <summary><see cref="ValidateDatasetActivity"/>.</summary>
    [Function(ValidateDatasetActivity.Name)]
    public Task<DatasetSummary> ValidateDatasetAsync([ActivityTrigger] DatasetInput input, FunctionContext context) =>
        Run<ValidateDatasetActivity, DatasetInput, DatasetSummary>(ValidateDatasetActivity.Name, input, context);

    /// <summary><see cref="RecordDatasetOutcomeActivity"/>.</summary>
    [Function(RecordDatasetOutcomeActivity.Name)]
    public Task<bool> RecordDatasetOutcomeAsync([ActivityTrigger] DatasetOutcome input, FunctionContext context) =>
        Run<RecordDatasetOutcomeActivity, DatasetOutcome, bool>(RecordDatasetOutcomeActivity.Name, input, context);

    /// <summary><see cref="RecordExperimentOutcomeActivity"/>.</summary>
    [Function(RecordExperimentOutcomeActivity.Name)]
    public Task<bool> RecordExperimentOutcomeAsync([ActivityTrigger] ExperimentOutcome input, FunctionContext context) =>
        Run<RecordExperimentOutcomeActivity, ExperimentOutcome, bool>(RecordExperimentOutcomeActivity.Name, input, context);

    /// <summary><see cref="CheckMriReadinessActivity"/>.</summary>
    [Function(CheckMriReadinessActivity.Name)]
    public Task<MriReadiness> CheckMriReadinessAsync([ActivityTrigger] MriReadinessRequest input, FunctionContext context) =>
        Run<CheckMriReadinessActivity, MriReadinessRequest, MriReadiness>(CheckMriReadinessActivity.Name, input, context);

    /// <summary><see cref="MriDriftActivity"/>.</summary>
    [Function(MriDriftActivity.Name)]
    public Task<IReadOnlyList<MriDriftSummary>> MriDriftAsync([ActivityTrigger] ExperimentInput input, FunctionContext context) =>
        Run<MriDriftActivity, ExperimentInput, IReadOnlyList<MriDriftSummary>>(MriDriftActivity.Name, input, context);

    /// <summary><see cref="EisSpectrumActivity"/>.</summary>
    [Function(EisSpectrumActivity.Name)]
    public Task<IReadOnlyList<EisSpectrumSummary>> EisSpectrumAsync([ActivityTrigger] DatasetInput input, FunctionContext context) =>
        Run<EisSpectrumActivity, DatasetInput, IReadOnlyList<EisSpectrumSummary>>(EisSpectrumActivity.Name, input, context);

    /// <summary><see cref="EisSeriesActivity"/>.</summary>
    [Function(EisSeriesActivity.Name)]
    public Task<int> EisSeriesAsync([ActivityTrigger] ExperimentInput input, FunctionContext context) =>
        Run<EisSeriesActivity, ExperimentInput, int>(EisSeriesActivity.Name, input, context);

    /// <summary><see cref="CheckNmrReadinessActivity"/>.</summary>
    [Function(CheckNmrReadinessActivity.Name)]
    public Task<NmrReadiness> CheckNmrReadinessAsync([ActivityTrigger] NmrFolder input, FunctionContext context) =>
        Run<CheckNmrReadinessActivity, NmrFolder, NmrReadiness>(CheckNmrReadinessActivity.Name, input, context);

    /// <summary><see cref="CyclerAnalysisActivity"/>.</summary>
    [Function(CyclerAnalysisActivity.Name)]
    public Task<DatasetSummary> CyclerAnalysisAsync([ActivityTrigger] DatasetInput input, FunctionContext context) =>
        Run<CyclerAnalysisActivity, DatasetInput, DatasetSummary>(CyclerAnalysisActivity.Name, input, context);

    /// <summary><see cref="NmrAnalysisActivity"/>.</summary>
    [Function(NmrAnalysisActivity.Name)]
    public Task<NmrSummary> NmrAnalysisAsync([ActivityTrigger] NmrFolder input, FunctionContext context) =>
        Run<NmrAnalysisActivity, NmrFolder, NmrSummary>(NmrAnalysisActivity.Name, input, context);

    /// <summary><see cref="FindCampaignTargetsActivity"/>.</summary>
    [Function(FindCampaignTargetsActivity.Name)]
    public Task<CampaignPlan> FindCampaignTargetsAsync([ActivityTrigger] CampaignPageRequest input, FunctionContext context) =>
        Run<FindCampaignTargetsActivity, CampaignPageRequest, CampaignPlan>(FindCampaignTargetsActivity.Name, input, context);

    /// <summary><see cref="ListReanalysisWorkActivity"/>.</summary>
    [Function(ListReanalysisWorkActivity.Name)]
    public Task<IReadOnlyList<string>> ListReanalysisWorkAsync([ActivityTrigger] CampaignTarget input, FunctionContext context) =>
        Run<ListReanalysisWorkActivity, CampaignTarget, IReadOnlyList<string>>(ListReanalysisWorkActivity.Name, input, context);

    private Task<TOut> Run<TActivity, TIn, TOut>(string name, TIn input, FunctionContext context)
        where TActivity : TaskActivity<TIn, TOut>
    {
        string instanceId = context.BindingContext.BindingData.TryGetValue("instanceId", out var id) ? id?.ToString() ?? "" : "";
        return services.GetRequiredService<TActivity>().RunAsync(new FunctionActivityContext(name, instanceId), input);
    }

    /// <summary>What an activity knows of its invocation, as the Functions binding gives it.</summary>
    private sealed class FunctionActivityContext(string name, string instanceId) : TaskActivityContext
    {
        public override TaskName Name { get; } = name;

        public override string InstanceId { get; } = instanceId;
    }
}
