using CloudPipeline.Core.Formats;
using CloudPipeline.Pipeline.Activities;
using CloudPipeline.Pipeline.Catalog;
using CloudPipeline.Pipeline.Ingestion;
using CloudPipeline.Pipeline.Orchestrations;
using CloudPipeline.Pipeline.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CloudPipeline.Pipeline;

/// <summary>Registers the pipeline's services in a host: the same set in the Functions app and the local host.</summary>
public static class PipelineServices
{
    /// <summary>
    /// Binds <see cref="PipelineOptions"/> from the <c>CloudPipeline</c> section and registers the storage clients,
    /// the catalog, the format registry, ingestion, the change detector and every activity.
    /// </summary>
    public static IServiceCollection AddPipeline(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(PipelineOptions.Section);
        services.Configure<PipelineOptions>(section);
        services.AddPipelineStorage(section.GetSection(nameof(PipelineOptions.Storage)).Get<StorageSettings>() ?? new StorageSettings());
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(FormatRegistry.Default);
        services.AddSingleton<DatasetCatalog>();
        services.AddSingleton<ArtifactStore>();
        services.AddSingleton<DatasetIngestor>();
        services.AddSingleton<ChangeDetector>();
        foreach (var activity in PipelineTasks.Activities.Values)
        {
            services.AddTransient(activity);
        }
        return services;
    }
}
