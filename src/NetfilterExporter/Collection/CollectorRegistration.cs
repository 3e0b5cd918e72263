using NetfilterExporter.Configuration;

namespace NetfilterExporter.Collection;

/// <summary>
/// One line of the registration table: a collector's name (the <c>collector</c> label, the name of its
/// <c>--collector.&lt;name&gt;</c> flag, the same string everywhere), whether it runs unless switched off, and
/// how it is made for a collection.
/// </summary>
/// <param name="Create">
/// Called for every collection, so that a save command or runtime socket that appears later is used without a
/// restart. Null when there is nothing to read this time and the collector was not asked for by name.
/// </param>
/// <param name="Switchable">
/// False for a collector that only stands in for others when they have nothing to read: it gets no switch, and runs
/// whenever its factory makes it.
/// </param>
/// <param name="Conflict">
/// The other flag that contradicts <c>--collector.&lt;name&gt;</c> (argument true) or <c>--no-collector.&lt;name&gt;</c>
/// (false), as the user gave it; null when none does.
/// </param>
public sealed record CollectorRegistration(
    string Name,
    bool EnabledByDefault,
    string Help,
    Func<CollectorContext, ICollector?> Create,
    Func<ExporterOptions, bool, string?>? Conflict = null,
    bool Switchable = true);
