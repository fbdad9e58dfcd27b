namespace CloudPipeline.Pipeline.Catalog;

/// <summary>Where a dataset is in its life.</summary>
public enum DatasetStatus
{
    /// <summary>The upload was seen; content hashed.</summary>
    Received,

    /// <summary>A reader recognised the content.</summary>
    Identified,

    /// <summary>Its orchestration runs.</summary>
    Processing,

    /// <summary>Its analysis chain completed.</summary>
    Completed,

    /// <summary>The content is unknown or malformed; the reason says what to fix. The raw blob is untouched.</summary>
    Rejected,

    /// <summary>Its analysis failed: bad data, or a transient fault that outlasted its retries; the reason says which.</summary>
    Failed,
}
