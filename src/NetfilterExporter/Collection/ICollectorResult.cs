namespace NetfilterExporter.Collection;

/// <summary>
/// What a collector read: an immutable record of plain data and nothing else. How it becomes metrics, findings and
/// `check` output is decided by its source's report part, which the assessment builds.
/// </summary>
public interface ICollectorResult;
