namespace NetfilterExporter.Conntrack;

/// <summary>A logical configuration line and the 1-based physical line it starts on.</summary>
internal sealed record NumberedLine(int Number, string Text);
