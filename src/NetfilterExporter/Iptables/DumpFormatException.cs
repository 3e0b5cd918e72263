namespace NetfilterExporter.Iptables;

/// <summary>A dump that is not iptables-save output; names the dump and the 1-based line.</summary>
public sealed class DumpFormatException(string dumpName, int lineNumber, string problem)
    : Exception($"{dumpName}: line {lineNumber}: {problem}")
{
    public string DumpName { get; } = dumpName;

    public int LineNumber { get; } = lineNumber;
}
