using System.Text.Json.Serialization;
using CloudPipeline.Core.Analysis.Mri;

namespace CloudPipeline.Core.Pipeline;

/// <summary>
/// Compile-time JSON metadata for what the stages write (parameter hashes, the MRI stage's report): no reflection and
/// no run-time code generation for them (the CLI's start, and a Native AOT build). Writing only: manifests are read
/// through reflection, because generated metadata sets every init-only property it did not read to its default,
/// which would replace the records' documented defaults with zeros and nulls.
/// </summary>
[JsonSerializable(typeof(DriftVelocityParameters))]
[JsonSerializable(typeof(MriDriftDocument))]
internal sealed partial class CoreJsonContext : JsonSerializerContext;
