namespace NetfilterExporter.TestSupport;

/// <summary>One request an <see cref="HttpReceiver"/> took: the path includes the query; header names ignore case.</summary>
public sealed record ReceivedHttpRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body);
