using Microsoft.Extensions.Logging;
using NetfilterExporter.Assessment;
using NetfilterExporter.Collection;
using NetfilterExporter.Configuration;
using NetfilterExporter.Conntrack;
using NetfilterExporter.Cri;
using NetfilterExporter.HostPorts;
using NetfilterExporter.MicroK8s;

namespace NetfilterExporter.Sources;

/// <summary>
/// The registration table: every source of the exporter, one line each, in the order `check` and the landing page
/// show them. The server, `check`, the generated <c>--collector.&lt;name&gt;</c> flags and --help are all built from
/// it; adding a source is a folder and a line here.
/// </summary>
public static class SourceTable
{
    public static IReadOnlyList<SourceLine> Lines { get; } =
    [
        new([.. IptablesCollectors.All, .. NftablesCollectors.All], (_, joins) => new HostPortsReport(joins.HostPorts, joins.Sandboxes, joins.MicroK8s?.Version)),
        new([CriCollector.Registration], (snapshot, joins) => new RuntimeSection(
            joins.Sandboxes.Sandboxes, joins.ClaimsExist, snapshot.Collectors.FirstOrDefault(outcome => outcome.Name == CriCollector.CollectorName))),
        new([ConntrackCollector.Registration], (_, joins) => new ConntrackSection(joins.Conntrack)),
        new([MicroK8sCollector.Registration], (_, joins) => new MicroK8sSection(joins.MicroK8s, joins.ClaimedPorts)),
    ];

    /// <summary>Steps that settle a collector's result once the others have read theirs.</summary>
    public static IReadOnlyList<ICollectionStep> Steps { get; } = [new RuntimeSecondLook()];

    public static IReadOnlyList<CollectorRegistration> Collectors { get; } = [.. Lines.SelectMany(line => line.Collectors)];

    public static IReadOnlyList<SourceReporter> Reporters { get; } = [.. Lines.Select(line => line.Report)];

    /// <summary>The <c>--collector.&lt;name&gt;</c> switches the command line accepts, with their help.</summary>
    public static IReadOnlyList<CollectorFlag> Flags { get; } =
        [.. Collectors.Where(collector => collector.Switchable).Select(collector => new CollectorFlag(collector.Name, collector.EnabledByDefault, collector.Help))];

    /// <exception cref="UsageException">The collector flags contradict each other.</exception>
    public static NodeAssessor Assessor(ExporterOptions options, ILoggerFactory loggers, TimeProvider clock) =>
        new(new NodeCollector(Collectors, Steps, options, loggers, clock), Reporters);

    /// <summary>Assesses a snapshot made elsewhere (tests, benchmarks) as the server would.</summary>
    public static NodeAssessment Assess(NodeSnapshot snapshot) => NodeAssessment.Of(snapshot, Reporters);
}
