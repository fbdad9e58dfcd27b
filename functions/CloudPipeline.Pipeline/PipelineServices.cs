using CloudPipeline.Core.Formats;
using CloudPipeline.Pipeline.Activities;
using CloudPipeline.Pipeline.Campaigns;
using CloudPipeline.Pipeline.Catalog;
using CloudPipeline.Pipeline.Consortium;
using CloudPipeline.Pipeline.Ingestion;
using CloudPipeline.Pipeline.Orchestrations;
using CloudPipeline.Pipeline.Storage;
using Microsoft.AspNetCore.Authentication.JwtBearer;
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
        AddConsortium(services, configuration);
        foreach (var activity in PipelineTasks.Activities.Values)
        {
            services.AddTransient(activity);
        }
        return services;
    }

    /// <summary>
    /// The consortium's security: <see cref="AuthOptions"/> from <c>CloudPipeline:Auth</c>, the site registry, API keys,
    /// shares, the audit, SAS issuance and the API's authentication step; with an Entra ID authority configured, ASP.NET
    /// Core's JwtBearer handler validates bearer tokens (issuer, audience, lifetime, signature from the authority's keys).
    /// </summary>
    private static void AddConsortium(IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(AuthOptions.Section);
        services.AddOptions<AuthOptions>().Bind(section);
        services.AddSingleton<SiteRegistry>();
        services.AddSingleton<ApiKeys>();
        services.AddSingleton<Shares>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<StorageSas>();
        services.AddSingleton<ApiAuthentication>();
        var auth = section.Get<AuthOptions>() ?? new AuthOptions();
        var authentication = services.AddAuthentication();
        if (!string.IsNullOrEmpty(auth.Authority))
        {
            authentication.AddJwtBearer(o =>
            {
                o.Authority = auth.Authority;
                o.Audience = auth.Audience;
                o.RequireHttpsMetadata = auth.RequireHttpsMetadata;
                // Keep the token's own claim names (tid, oid, roles): the site mapping reads them.
                o.MapInboundClaims = false;
            });
        }
    }
}
