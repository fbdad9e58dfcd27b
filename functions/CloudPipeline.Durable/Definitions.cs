namespace CloudPipeline.Durable;

/// <summary>One step of an orchestration. Steps run in order; each receives the previous step's output.</summary>
public abstract record OrchestrationStep(string Name);

/// <summary>Runs the activity <paramref name="Activity"/> once on the previous output.</summary>
/// <param name="Name">The step name, unique within the definition.</param>
/// <param name="Activity">The registered activity name.</param>
public sealed record ActivityStep(string Name, string Activity) : OrchestrationStep(Name);

/// <summary>
/// Fan-out/fan-in: the previous output must be a JSON array; the activity runs once per element with at
/// most <paramref name="MaxParallelism"/> in flight, and the step's output is the JSON array of the
/// element outputs in element order. An element that fails permanently fails the instance.
/// </summary>
public sealed record FanOutStep(string Name, string Activity, int MaxParallelism) : OrchestrationStep(Name);

/// <summary>
/// Waits until every named external event has been raised for the instance (events raised earlier count),
/// then outputs a JSON object mapping each name to its payload. If they have not all arrived within
/// <paramref name="Timeout"/>, the instance fails with status text naming the missing inputs.
/// </summary>
public sealed record WaitForInputsStep(string Name, IReadOnlyList<string> Inputs, TimeSpan Timeout) : OrchestrationStep(Name);

/// <summary>A durable timer: waits <paramref name="Delay"/> (surviving host restarts), then passes its input through.</summary>
public sealed record DelayStep(string Name, TimeSpan Delay) : OrchestrationStep(Name);

/// <summary>
/// A named, versioned chain of steps. An instance keeps the version it started with; a host that lacks that
/// version leaves the instance's work items alone for a host that has it. Change the version whenever the
/// steps change.
/// </summary>
/// <param name="Name">The definition name.</param>
/// <param name="Version">The definition version.</param>
/// <param name="Steps">The steps in order (at least one; names unique).</param>
public sealed record OrchestrationDefinition(string Name, string Version, IReadOnlyList<OrchestrationStep> Steps)
{
    /// <summary>Checks names and parameters; throws <see cref="ArgumentException"/> naming the offending step.</summary>
    public void Validate()
    {
        if (Steps.Count == 0)
        {
            throw new ArgumentException($"Orchestration '{Name}' {Version} has no steps.");
        }
        var duplicate = Steps.GroupBy(s => s.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Orchestration '{Name}' {Version} has two steps named '{duplicate.Key}'.");
        }
        foreach (var step in Steps)
        {
            if (step is FanOutStep { MaxParallelism: < 1 or > 1000 })
            {
                throw new ArgumentException($"Step '{step.Name}' of '{Name}': MaxParallelism must be 1 to 1000.");
            }
            if (step is WaitForInputsStep { Inputs.Count: 0 })
            {
                throw new ArgumentException($"Step '{step.Name}' of '{Name}' waits for no inputs.");
            }
        }
    }
}
