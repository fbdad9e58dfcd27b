namespace CloudPipeline.Functions.Activities;

/// <summary>The input of a dataset's orchestration.</summary>
/// <param name="Site">Site.</param>
/// <param name="Experiment">Experiment.</param>
/// <param name="DatasetRowKey">The dataset row.</param>
public sealed record DatasetInput(string Site, string Experiment, string DatasetRowKey);

/// <summary>The input of an experiment's orchestration and of its readiness event.</summary>
/// <param name="Site">Site.</param>
/// <param name="Experiment">Experiment.</param>
public sealed record ExperimentInput(string Site, string Experiment);
