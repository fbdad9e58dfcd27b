using System.Text.Json;
using System.Text.Json.Serialization;

namespace CloudPipeline.Core;

/// <summary>
/// An enum in experiment.json and the stages' JSON as its camelCase name (<c>zeroOrder</c>, <c>eoLiRatio</c>); numbers
/// are still accepted on reading. Placed on the enum type, so compile-time JSON metadata picks it up without the
/// run-time code generation of the non-generic <see cref="JsonStringEnumConverter"/>.
/// </summary>
/// <typeparam name="TEnum">The enum.</typeparam>
public sealed class CamelCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.CamelCase)
    where TEnum : struct, Enum;
