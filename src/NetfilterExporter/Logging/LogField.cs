namespace NetfilterExporter.Logging;

/// <summary>One key and its value written after msg: err, or a value of the message template under its name.</summary>
public sealed record LogField(string Key, string Value);
