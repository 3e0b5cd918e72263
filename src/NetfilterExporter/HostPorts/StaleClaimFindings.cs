using System.Globalization;
using NetfilterExporter.Findings;

namespace NetfilterExporter.HostPorts;

/// <summary>
/// hostport-stale-claim: a claim whose sandbox the container runtime does not list as ready. Critical when such a
/// claim wins a port (its traffic goes to a pod that is not running, duplicate or not), a warning when every stale
/// claim is shadowed by a live one.
/// </summary>
public static class StaleClaimFindings
{
    public const string Id = "hostport-stale-claim";

    public static IEnumerable<Finding> Detect(HostPortObservation observation, IClaimJudge sandboxes, FixStep upgrade)
    {
        var affected = observation.Report.Ports
            .Where(port => port.Claims.Any(claim => sandboxes.Of(claim).State == ClaimState.Stale))
            .ToList();
        if (affected.Count == 0)
        {
            yield break;
        }
        var source = observation.Source;
        var blackHoled = affected.Where(port => sandboxes.Of(port.Winner).State == ClaimState.Stale).ToList();
        var staleClaims = affected.SelectMany(port => port.Claims).Where(claim => sandboxes.Of(claim).State == ClaimState.Stale).ToList();
        var details = affected.Select(port => Describe(port, sandboxes)).ToList();
        var summary = blackHoled.Count > 0
            ? $"{blackHoled.Count.ToString(CultureInfo.InvariantCulture)} host port(s) in {source} are won by a claim whose pod is not running, so their traffic is lost: " +
              string.Join(", ", blackHoled.Select(port => $"{port.Key.Describe()} -> {port.Winner.Destination} ({sandboxes.Describe(port.Winner)})").Distinct()) +
              ". The container runtime does not list these sandboxes as ready: they were removed without CNI DEL (MicroK8s stop/start, canonical/microk8s#4944, or a removal or reinstall)."
            : $"{staleClaims.Count.ToString(CultureInfo.InvariantCulture)} claim(s) in {source} belong to sandboxes the container runtime does not list as ready; a claim that is not stale wins each of their ports, so they take no traffic now. " +
              "They are residue of a removal without CNI DEL and win again if the live pod's rules are removed first.";
        yield return new Finding(
            Id,
            blackHoled.Count > 0 ? FindingSeverity.Critical : FindingSeverity.Warning,
            summary,
            details,
            [
                .. observation.ExporterFixes,
                new FixStep(
                    $"By hand, the same surgical fix, keeps running pods: the container runtime confirms these sandboxes are not running, so delete exactly {SurgicalDelete.Deletes(source)}:",
                    SurgicalDelete.Commands(source, staleClaims)),
                upgrade,
            ])
        {
            Ports = FindingPorts.Of(source, affected),
        };
    }

    private static string Describe(HostPortClaims port, IClaimJudge sandboxes)
    {
        var served = port.Claims.FirstOrDefault(claim => sandboxes.Of(claim).State == ClaimState.Live);
        var stale = port.Claims.Where(claim => sandboxes.Of(claim).State == ClaimState.Stale)
            .Select(claim => $"{(claim.Position == 1 ? "WINS" : $"shadowed at position {claim.Position.ToString(CultureInfo.InvariantCulture)}")}: " +
                             $"{sandboxes.Describe(claim)}, {(sandboxes.Of(claim).Pod is null ? "no longer listed by the runtime" : "listed as not ready")}, " +
                             $"-> {claim.Destination}, {claim.CountedPackets()}");
        var now = sandboxes.Of(port.Winner).State == ClaimState.Stale
            ? served is null
                ? "served now by no running pod: the port is black-holed"
                : $"served now by no running pod; {sandboxes.Describe(served)} -> {served.Destination} takes over once the stale claim is removed"
            : $"served now by {sandboxes.Describe(port.Winner)} -> {port.Winner.Destination}";
        return $"{port.Key.Describe()}: stale claim {string.Join("; stale claim ", stale)}; {now}";
    }
}
