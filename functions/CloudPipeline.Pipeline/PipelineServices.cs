using CloudPipeline.Core.Formats;
using CloudPipeline.Pipeline.Activities;
using CloudPipeline.Pipeline.Campaigns;
using CloudPipeline.Pipeline.Catalog;
using CloudPipeline.Pipeline.Ingestion;
using CloudPipeline.Pipeline.Orchestrations;
using CloudPipeline.Pipeline.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

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
        services.AddOptions<PipelineOptions>().Bind(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PipelineOptions>, StageVersions.Validator>();
        services.AddPipelineStorage(section.GetSection(nameof(PipelineOptions.Storage)).Get<StorageSettings>() ?? new StorageSettings());
        services.AddSingleton(TimeProvider.System);
        services.ConfigureHttpJsonOptions(o =>
        {
            // The API's JSON in both hosts: results may hold NaN (text-only rows), written as a JSON string rather than
            // failing the response; enums by name.
            o.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals;
            o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter());
        });
        services.AddSingleton(FormatRegistry.Default);
        services.AddSingleton<DatasetCatalog>();
        services.AddSingleton<AlgorithmVersionsTable>();
        services.AddSingleton<ArtifactStore>();
        services.AddSingleton<ExperimentReportWriter>();
        services.AddSingleton<DatasetIngestor>();
        services.AddSingleton<StageVersions>();
        services.AddSingleton<CampaignPlanner>();
        services.AddSingleton<ReanalysisCampaigns>();
        services.AddSingleton<ChangeDetector>();
        foreach (var activity in PipelineTasks.Activities.Values)
        {
            services.AddTransient(activity);
        }
        return services;
    }
}
