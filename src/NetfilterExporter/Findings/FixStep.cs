namespace NetfilterExporter.Findings;

/// <summary>One way to fix a finding, one step of its fix, or how to prevent it: what it does and its trade-off, then the commands, ready to paste.</summary>
public sealed record FixStep(string Description, IReadOnlyList<string> Commands, FixKind Kind = FixKind.Alternative);
