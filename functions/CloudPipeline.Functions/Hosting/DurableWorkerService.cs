using System.Text.Json;
using CloudPipeline.Durable;
using CloudPipeline.Functions.Activities;
using CloudPipeline.Functions.Catalog;
using CloudPipeline.Functions.Orchestrations;

namespace CloudPipeline.Functions.Hosting;

/// <summary>
/// The activity dispatcher: a queue trigger on <c>work-items</c> that runs the orchestration engine's work
/// items with the registered activities. Every host runs one; together they share the work.
/// </summary>
internal sealed class DurableWorkerService : BackgroundService
{
    private readonly DurableWorker _worker;
    private readonly DurableClient _client;
    private readonly DatasetCatalog _catalog;
    private readonly TimeProvider _time;

    public DurableWorkerService(DurableClient client, IEnumerable<IActivity> activities, DatasetCatalog catalog, TimeProvider time, ILogger<DurableWorkerService> logger)
    {
        _client = client;
        _catalog = catalog;
        _time = time;
        _worker = new DurableWorker(client, activities, logger) { OnInstanceTerminal = RecordOutcomeAsync };
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => _worker.RunAsync(stoppingToken);

    /// <summary>Carries an instance's failure (or quarantine) over to its dataset or experiment row.</summary>
    private async Task RecordOutcomeAsync(InstanceState state, CancellationToken ct)
    {
        if (state.Status == InstanceStatus.Completed)
        {
            return; // the activities record their own success
        }
        string? input = await _client.GetInputAsync(state.InstanceId, ct);
        if (input is null)
        {
            return;
        }
        if (state.Definition is PipelineOrchestrations.Dataset or PipelineOrchestrations.EisDataset)
        {
            var request = JsonSerializer.Deserialize<DatasetInput>(input)!;
            var dataset = await _catalog.GetAsync(request.Site, request.Experiment, request.DatasetRowKey, ct);
            if (dataset is not null)
            {
                await _catalog.UpdateAsync(dataset with
                {
                    Status = state.Status == InstanceStatus.Quarantined ? DatasetStatus.Quarantined : DatasetStatus.Failed,
                    Reason = state.Error,
                    UpdatedAt = _time.GetUtcNow(),
                }, ct);
            }
        }
        else if (state.Definition == PipelineOrchestrations.MriDrift)
        {
            var request = JsonSerializer.Deserialize<ExperimentInput>(input)!;
            await _catalog.SetExperimentAsync(new ExperimentRecord(request.Site, request.Experiment, state.Status.ToString(), state.InstanceId, state.Error, _time.GetUtcNow()), ct);
        }
    }
}
