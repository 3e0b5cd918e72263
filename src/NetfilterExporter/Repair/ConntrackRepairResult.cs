namespace NetfilterExporter.Repair;

/// <summary>The nf_conntrack repair after <see cref="RepairApplier"/> ran it; never <see cref="RepairStatus.Aborted"/>.</summary>
/// <param name="Error">Failed: modprobe's standard error, or why the boot file was not written; null when applied.</param>
public sealed record ConntrackRepairResult(ConntrackRepair Repair, RepairStatus Status, string? Error);
