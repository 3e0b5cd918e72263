namespace NetfilterExporter.Check;

public sealed record CheckHostPort(string Backend, string Family, string Protocol, string HostIp, int Port, IReadOnlyList<CheckClaim> Claims);
