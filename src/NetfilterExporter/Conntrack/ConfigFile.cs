using NetfilterExporter.Host;

namespace NetfilterExporter.Conntrack;

/// <summary>A configuration file that takes effect.</summary>
/// <param name="NodePath">Where it is listed on the node, e.g. /etc/modules-load.d/modules.conf (reported to the user).</param>
/// <param name="Target">What it resolves to (e.g. /etc/modules), which is what gets read.</param>
internal sealed record ConfigFile(string NodePath, ResolvedPath Target);
