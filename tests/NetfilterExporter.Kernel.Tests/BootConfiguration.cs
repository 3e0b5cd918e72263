namespace NetfilterExporter.Kernel.Tests;

/// <summary>
/// One way a node can be set up, booted on its own. What the kernel does with it is the truth the exporter's
/// prediction is compared with; the expectations here are what a real boot showed, so that a configuration that
/// silently did not apply fails instead of agreeing with a wrong prediction.
/// </summary>
/// <param name="Name">How the test case and its failures name it.</param>
/// <param name="Files">Files written into the guest's root before boot, path → content.</param>
/// <param name="Links">Symbolic links made in the guest's root before boot, path → target.</param>
/// <param name="CommandLine">Kernel parameters added to the guest's command line.</param>
/// <param name="LoadsAtBoot">Whether nf_conntrack is loaded once the guest has booted.</param>
/// <param name="ManualModprobeWorks">Whether <c>modprobe nf_conntrack</c> loads it afterwards.</param>
/// <param name="Defeats">The exporter's <c>conntrack.blacklist</c> sources expected: "file:line" or "cmdline".</param>
public sealed record BootConfiguration(
    string Name,
    IReadOnlyDictionary<string, string> Files,
    IReadOnlyDictionary<string, string> Links,
    string CommandLine,
    bool LoadsAtBoot,
    bool ManualModprobeWorks,
    IReadOnlyList<string> Defeats)
{
    public override string ToString() => Name;
}
