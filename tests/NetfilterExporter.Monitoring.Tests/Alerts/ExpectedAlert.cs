namespace NetfilterExporter.Monitoring.Tests.Alerts;

/// <summary>One entry of a promtool test's exp_alerts.</summary>
public sealed record ExpectedAlert(IReadOnlyDictionary<string, string> Labels, IReadOnlyDictionary<string, string> Annotations);
