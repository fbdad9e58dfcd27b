namespace CloudPipeline.Pipeline.Catalog;

/// <summary>
/// Table keys of the catalog. '/', '\', '#' and '?' are not allowed in keys, so paths and names are escaped;
/// partitions follow the queries people run: by site and experiment.
/// </summary>
public static class Keys
{
    /// <summary>Escapes a name for use in a partition or row key.</summary>
    public static string Escape(string value) => Uri.EscapeDataString(value);

    /// <summary>The partition of an experiment's datasets and results.</summary>
    public static string Experiment(string site, string experiment) => $"{Escape(site)}|{Escape(experiment)}";

    /// <summary>A short stable hash for deterministic ids.</summary>
    public static string Hash(params string[] parts) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Join('\n', parts))))[..24];
}
