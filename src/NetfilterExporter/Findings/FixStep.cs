namespace NetfilterExporter.Findings;

/// <summary>One way to fix a finding: what it does and its trade-off, then the commands, ready to paste.</summary>
public sealed record FixStep(string Description, IReadOnlyList<string> Commands);
