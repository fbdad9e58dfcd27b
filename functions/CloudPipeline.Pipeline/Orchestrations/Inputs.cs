using CloudPipeline.Pipeline.Catalog;

namespace CloudPipeline.Pipeline.Orchestrations;

/// <summary>The input of a dataset's orchestration and of the activities that work on one dataset.</summary>
/// <param name="Site">Site.</param>
/// <param name="Experiment">Experiment.</param>
/// <param name="DatasetRowKey">The dataset's row in the catalog.</param>
public sealed record DatasetInput(string Site, string Experiment, string DatasetRowKey);

/// <summary>An experiment, as activities that work on a whole experiment take it.</summary>
/// <param name="Site">Site.</param>
/// <param name="Experiment">Experiment.</param>
public sealed record ExperimentInput(string Site, string Experiment);

/// <summary>The input of an experiment-level orchestration.</summary>
/// <param name="Site">Site.</param>
/// <param name="Experiment">Experiment.</param>
/// <param name="InputTimeout">How long to wait for the next input before giving up (MRI: fail; EIS: finish).</param>
/// <param name="Analysed">EIS only: the spectra already analysed (carried across ContinueAsNew).</param>
/// <param name="Carried">EIS only: arrivals received while the previous batch was analysed.</param>
public sealed record ExperimentOrchestrationInput(string Site, string Experiment, TimeSpan InputTimeout, IReadOnlyList<string>? Analysed = null, IReadOnlyList<string>? Carried = null)
{
    /// <summary>The experiment alone.</summary>
    public ExperimentInput Key => new(Site, Experiment);
}

/// <summary>What the MRI readiness check found.</summary>
/// <param name="Ready">True when the polarisation record and every profile it covers are catalogued.</param>
/// <param name="RequiredProfiles">Profiles the analysis needs (known once the record is there); passed back in, so the record is read once.</param>
/// <param name="Detail">What is present and what is still awaited, in words.</param>
public sealed record MriReadiness(bool Ready, int? RequiredProfiles, string Detail);

/// <summary>Asks whether an MRI experiment has all it needs.</summary>
/// <param name="Site">Site.</param>
/// <param name="Experiment">Experiment.</param>
/// <param name="RequiredProfiles">The count found by an earlier check, if any.</param>
/// <param name="InstanceId">The asking orchestration (recorded on the experiment row).</param>
public sealed record MriReadinessRequest(string Site, string Experiment, int? RequiredProfiles, string InstanceId);

/// <summary>Sets a dataset's final state when its analysis failed.</summary>
/// <param name="Dataset">The dataset.</param>
/// <param name="Status">The state to record.</param>
/// <param name="Reason">Why, in words a person can act on.</param>
public sealed record DatasetOutcome(DatasetInput Dataset, DatasetStatus Status, string Reason);

/// <summary>Sets an experiment's state.</summary>
/// <param name="Site">Site.</param>
/// <param name="Experiment">Experiment.</param>
/// <param name="Status">WaitingForInputs, Processing, Completed or Failed.</param>
/// <param name="Detail">What it waits for, what it made, or the error.</param>
/// <param name="InstanceId">The orchestration.</param>
public sealed record ExperimentOutcome(string Site, string Experiment, string Status, string? Detail, string InstanceId);

/// <summary>What a dataset's validation found.</summary>
/// <param name="FormatId">The format.</param>
/// <param name="Summary">Points or rows read.</param>
public sealed record DatasetSummary(string FormatId, string Summary);

/// <summary>One MRI drift result set (one D-model version).</summary>
/// <param name="Version">Algorithm version.</param>
/// <param name="VMaxAbs">max |v_a| in µm/h.</param>
/// <param name="Flags">QC flags.</param>
/// <param name="ArtifactPrefix">Where its arrays and plots are.</param>
public sealed record MriDriftSummary(string Version, double VMaxAbs, IReadOnlyList<string> Flags, string ArtifactPrefix);

/// <summary>One analysed EIS spectrum (a file, or one sweep of a file with several).</summary>
/// <param name="Spectrum">File name, with <c>#k</c> for sweep k.</param>
/// <param name="KkPassed">Whether Lin-KK passed.</param>
/// <param name="InterphaseResistance">DRT interphase resistance in Ω.</param>
/// <param name="ArtifactPrefix">Where its plots are.</param>
public sealed record EisSpectrumSummary(string Spectrum, bool KkPassed, double InterphaseResistance, string ArtifactPrefix);

/// <summary>The input of an NMR dataset's orchestration: one vendor folder (or a single JCAMP-DX file) of an experiment.</summary>
/// <param name="Site">Site.</param>
/// <param name="Experiment">Experiment.</param>
/// <param name="Folder">The dataset's folder within the experiment (empty for the root), or the single file's path.</param>
/// <param name="InputTimeout">How long to wait for a missing part, or for new parts after an analysis.</param>
/// <param name="Analysed">The fingerprint of the files last analysed (carried across ContinueAsNew).</param>
public sealed record NmrOrchestrationInput(string Site, string Experiment, string Folder, TimeSpan InputTimeout, string? Analysed = null)
{
    /// <summary>The folder alone.</summary>
    public NmrFolder Key => new(Site, Experiment, Folder);
}

/// <summary>An NMR dataset folder, as the NMR activities take it.</summary>
/// <param name="Site">Site.</param>
/// <param name="Experiment">Experiment.</param>
/// <param name="Folder">Folder within the experiment, or the single file's path.</param>
public sealed record NmrFolder(string Site, string Experiment, string Folder);

/// <summary>What the NMR readiness check found.</summary>
/// <param name="Ready">True when the folder has every file its vendor's reader needs.</param>
/// <param name="Fingerprint">A hash of the folder's data files (path and content hash): a change means new input.</param>
/// <param name="Detail">What is present and what is missing, in words.</param>
/// <param name="Anchor">The dataset row that carries the folder's outcome (acqus, procpar, acqu.par or the single file), when present.</param>
public sealed record NmrReadiness(bool Ready, string Fingerprint, string Detail, string? Anchor);

/// <summary>One analysed NMR dataset.</summary>
/// <param name="Fingerprint">The fingerprint of the files analysed.</param>
/// <param name="Points">Spectrum points.</param>
/// <param name="MainPeakPpm">The highest peak (ppm), if any.</param>
/// <param name="ArtifactPrefix">Where its JSON, CSV and plots are.</param>
public sealed record NmrSummary(string Fingerprint, int Points, double? MainPeakPpm, string ArtifactPrefix);
