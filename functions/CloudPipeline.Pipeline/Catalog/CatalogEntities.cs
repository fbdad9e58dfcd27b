using Azure;
using Azure.Data.Tables;

namespace CloudPipeline.Pipeline.Catalog;

/// <summary>The base of the catalog's typed table rows.</summary>
internal abstract class CatalogEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }
}

/// <summary>A row of the Datasets table (see <see cref="DatasetRecord"/>).</summary>
internal sealed class DatasetEntity : CatalogEntity
{
    public string Site { get; set; } = "";

    public string Experiment { get; set; } = "";

    public string Path { get; set; } = "";

    public string BlobName { get; set; } = "";

    public string? Sha256 { get; set; }

    public string? ETagSeen { get; set; }

    public long Size { get; set; }

    public string Status { get; set; } = "";

    public string? Reason { get; set; }

    public string? FormatId { get; set; }

    public string? Technique { get; set; }

    public string? Role { get; set; }

    public string? Reader { get; set; }

    public string? Summary { get; set; }

    public string? InstanceId { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A row of the Results table (see <see cref="ResultRecord"/>).</summary>
internal sealed class ResultEntity : CatalogEntity
{
    public string Site { get; set; } = "";

    public string Experiment { get; set; } = "";

    public string? CellId { get; set; }

    public string Technique { get; set; } = "";

    public string Stage { get; set; } = "";

    public string Quantity { get; set; } = "";

    public double? Value { get; set; }

    public string? Text { get; set; }

    public string? Unit { get; set; }

    public double? Uncertainty { get; set; }

    /// <summary>Lower end of the 95 % confidence interval, where the analysis gives one.</summary>
    public double? Ci95Low { get; set; }

    /// <summary>Upper end of the 95 % confidence interval, where the analysis gives one.</summary>
    public double? Ci95High { get; set; }

    /// <summary>The orchestration instance that computed the result.</summary>
    public string? InstanceId { get; set; }

    public string Algorithm { get; set; } = "";

    public string Version { get; set; } = "";

    public string ParameterHash { get; set; } = "";

    public string Inputs { get; set; } = "";

    public string? ArtifactPrefix { get; set; }

    public string? Flags { get; set; }

    public DateTimeOffset ComputedAt { get; set; }

    /// <summary>A copy of the row (for the index row written beside it).</summary>
    public ResultEntity Copy() => (ResultEntity)MemberwiseClone();
}

/// <summary>A row of the Experiments table (see <see cref="ExperimentRecord"/>).</summary>
internal sealed class ExperimentEntity : CatalogEntity
{
    public string Site { get; set; } = "";

    public string Experiment { get; set; } = "";

    public string Status { get; set; } = "";

    public string? InstanceId { get; set; }

    public string? Detail { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
