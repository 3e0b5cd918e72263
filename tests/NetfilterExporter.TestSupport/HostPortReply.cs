namespace NetfilterExporter.TestSupport;

/// <summary>The result of one HTTP GET to a host port from the node's network namespace.</summary>
/// <param name="Outcome">Answered, refused or black-holed.</param>
/// <param name="StatusCode">The HTTP status when answered, else 0.</param>
/// <param name="Body">The answer's body (a <see cref="PodListener"/> says its pod's namespace/name), or the failure.</param>
public sealed record HostPortReply(HostPortOutcome Outcome, int StatusCode, string Body);
