using NetfilterExporter.Assessment;

namespace NetfilterExporter.Unit.Tests.Repair;

/// <summary>
/// The server's code path must never reach the repair code (issue 28). The rule, checked on the built assembly's
/// metadata: only types of <c>NetfilterExporter.Repair</c> and of the `fix` command's namespace
/// (<c>NetfilterExporter.Fix</c>) use a Repair type; and no type of the server's namespaces uses either. So a path
/// from the server to a repair would have to pass through the fix command, which the server may not use. A direct
/// use is what this sees (a call, a creation, a field, a signature, a generic argument); what it cannot see is a use
/// by reflection, which Native AOT would refuse anyway.
/// </summary>
public sealed class ServerNeverReachesRepairTests
{
    private const string Repair = "NetfilterExporter.Repair";
    private const string FixCommand = "NetfilterExporter.Fix";

    private static readonly string[] ServerNamespaces =
    [
        "NetfilterExporter.Web", "NetfilterExporter.Exposition", "NetfilterExporter.Collection", "NetfilterExporter.Assessment",
        "NetfilterExporter.Reporting", "NetfilterExporter.Sources", "NetfilterExporter.HostPorts", "NetfilterExporter.Check",
    ];

    private static readonly Lazy<IReadOnlyDictionary<string, IReadOnlySet<string>>> Uses =
        new(() => RepairReferences.Read(typeof(NodeAssessment).Assembly.Location));

    [Fact]
    public void No_type_outside_the_repair_and_fix_command_namespaces_uses_a_repair_type()
    {
        var offenders = Uses.Value
            .Where(pair => !In(pair.Key, Repair) && !In(pair.Key, FixCommand))
            .Where(pair => pair.Value.Any(used => In(used, Repair)))
            .Select(pair => $"{pair.Key} uses {string.Join(", ", pair.Value.Where(used => In(used, Repair)))}")
            .ToList();

        Assert.Empty(offenders);
    }

    [Fact]
    public void No_server_type_uses_the_repair_code_or_the_fix_command()
    {
        var offenders = Uses.Value
            .Where(pair => ServerNamespaces.Any(server => In(pair.Key, server)))
            .Where(pair => pair.Value.Any(used => In(used, Repair) || In(used, FixCommand)))
            .Select(pair => pair.Key)
            .ToList();

        Assert.Empty(offenders);
    }

    [Fact]
    public void The_scan_sees_uses_in_method_bodies_async_state_machines_and_generic_arguments()
    {
        // Seen only in the IL of the async state machine nested in RepairApplier: proves the scan reads bodies and nesting.
        Assert.Contains($"{Repair}.TableGuard", Uses.Value[$"{Repair}.RepairApplier"]);
        // Seen only as a generic argument (IReadOnlyList<TableRepair>) of a constructor parameter.
        Assert.Contains($"{Repair}.TableRepair", Uses.Value[$"{Repair}.RepairPlan"]);
        // And the server's own uses are seen, so an empty result above is not a blind scan.
        Assert.Contains("NetfilterExporter.Assessment.NodeAssessment", Uses.Value["NetfilterExporter.Web.ExporterWebApp"]);
    }

    private static bool In(string type, string ns) =>
        type.StartsWith(ns + ".", StringComparison.Ordinal);
}
