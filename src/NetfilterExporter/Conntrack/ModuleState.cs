namespace NetfilterExporter.Conntrack;

internal sealed record ModuleState(bool Loaded, bool BuiltIn);
