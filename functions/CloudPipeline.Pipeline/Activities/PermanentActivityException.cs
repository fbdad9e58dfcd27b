namespace CloudPipeline.Pipeline.Activities;

/// <summary>
/// A failure that another attempt cannot fix (the dataset a message names is gone from the catalog, say): the
/// retry policy does not retry it, and the dataset or experiment fails at once with this message.
/// </summary>
public sealed class PermanentActivityException(string message) : Exception(message);
