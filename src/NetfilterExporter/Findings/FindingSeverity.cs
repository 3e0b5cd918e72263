namespace NetfilterExporter.Findings;

/// <summary>Critical: the node is broken now. Warning: it will break, or something needs a look.</summary>
public enum FindingSeverity
{
    Critical,
    Warning,
}
