namespace NetfilterExporter.Monitoring.Tests.EndToEnd;

public sealed record ReceivedHttpRequest(string Method, string Path, string Body);
