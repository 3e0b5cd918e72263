namespace NetfilterExporter.Conntrack;

/// <summary>A modprobe.d line that stops nf_conntrack from loading.</summary>
/// <param name="File">The file as seen on the node, e.g. /etc/modprobe.d/blacklist-conntrack.conf.</param>
/// <param name="Line">1-based line where the directive starts (it may continue over lines ending in a backslash).</param>
/// <param name="Text">The directive with its whitespace collapsed, e.g. "install nf_conntrack /bin/false".</param>
public sealed record BlacklistEntry(string File, int Line, string Text);
