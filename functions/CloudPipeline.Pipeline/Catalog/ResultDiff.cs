using CloudPipeline.Core.Pipeline;

namespace CloudPipeline.Pipeline.Catalog;

/// <summary>One quantity computed two ways: by an older and a newer algorithm version or parameter set.</summary>
/// <param name="Technique">Technique.</param>
/// <param name="Quantity">Quantity.</param>
/// <param name="Unit">Unit (of the newer computation).</param>
/// <param name="From">The older computation, <c>algorithm@version/parameterHash[..8]</c>.</param>
/// <param name="To">The newer computation.</param>
/// <param name="OldValue">Its value in the older computation (NaN for a text result).</param>
/// <param name="NewValue">Its value in the newer one.</param>
/// <param name="RelativeChange">(new − old) / |old|, when both are numbers and old is not 0.</param>
/// <param name="OldText">Text of the older result, if any.</param>
/// <param name="NewText">Text of the newer one.</param>
/// <param name="FlagsAppeared">QC flags the newer computation has and the older had not.</param>
/// <param name="FlagsGone">QC flags the older had and the newer has not.</param>
public sealed record QuantityChange(string Technique, string Quantity, string Unit, string From, string To, double OldValue, double NewValue, double? RelativeChange,
    string? OldText, string? NewText, IReadOnlyList<string> FlagsAppeared, IReadOnlyList<string> FlagsGone);

/// <summary>
/// Old against new for every quantity of an experiment. A computation is one algorithm version with one parameter set
/// (the result's key); by default each quantity's two most recent computations are compared, or, given versions or
/// parameter hashes, the computation matching <c>from</c> against the one matching <c>to</c>.
/// </summary>
public static class ResultDiff
{
    /// <summary>The changes, in technique and quantity order; quantities computed only once (or not matching) are left out.</summary>
    /// <param name="results">Every computation of the experiment's results (all versions).</param>
    /// <param name="from">A version (<c>1.0.0</c>, <c>algorithm@1.0.0</c>) or parameter-hash prefix the old computation has; null: the one before the newest.</param>
    /// <param name="to">The same for the new one; null: the newest.</param>
    public static IReadOnlyList<QuantityChange> Compute(IEnumerable<ResultRecord> results, string? from, string? to)
    {
        var changes = new List<QuantityChange>();
        foreach (var group in results.GroupBy(r => (r.Technique, r.Quantity)).OrderBy(g => g.Key.Technique, StringComparer.Ordinal).ThenBy(g => g.Key.Quantity, StringComparer.Ordinal))
        {
            var ordered = group.OrderBy(r => r.ComputedAt).ToList();
            var newer = to is null ? ordered.LastOrDefault() : ordered.LastOrDefault(r => Matches(r, to));
            var older = from is null ? ordered.LastOrDefault(r => newer is not null && r.ComputedAt < newer.ComputedAt && Label(r) != Label(newer))
                : ordered.LastOrDefault(r => Matches(r, from));
            if (older is null || newer is null || ReferenceEquals(older, newer))
            {
                continue;
            }
            double? relative = double.IsFinite(older.Value) && double.IsFinite(newer.Value) && older.Value != 0 ? (newer.Value - older.Value) / Math.Abs(older.Value) : null;
            var oldFlags = QcFlags.Split(older.Flags);
            var newFlags = QcFlags.Split(newer.Flags);
            changes.Add(new QuantityChange(group.Key.Technique, group.Key.Quantity, newer.Unit, Label(older), Label(newer), older.Value, newer.Value, relative,
                older.Text, newer.Text, [.. newFlags.Except(oldFlags, StringComparer.Ordinal)], [.. oldFlags.Except(newFlags, StringComparer.Ordinal)]));
        }
        return changes;
    }

    /// <summary>How a computation is named: <c>algorithm@version/parameterHash[..8]</c>.</summary>
    public static string Label(ResultRecord r) => $"{r.Algorithm}@{r.Version}/{r.ParameterHash[..Math.Min(8, r.ParameterHash.Length)]}";

    private static bool Matches(ResultRecord r, string selector) =>
        r.Version == selector || $"{r.Algorithm}@{r.Version}" == selector || (selector.Length >= 4 && r.ParameterHash.StartsWith(selector, StringComparison.OrdinalIgnoreCase));
}
