namespace NetfilterExporter.Collection;

/// <summary>
/// What a collector read: an immutable record of plain data and nothing else. How it becomes metrics, findings and
/// `check` output is its source's <see cref="Reporting.ISourceReport"/>, which the assessment builds.
/// </summary>
public interface ICollectorResult;
