namespace NetfilterExporter.Kernel.Tests;

/// <summary>One finished boot: what the guest reported, how long the boot took, and its console for failure messages.</summary>
public sealed record GuestRun(GuestReport Report, TimeSpan Elapsed, string Console);
