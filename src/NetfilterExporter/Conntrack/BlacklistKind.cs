namespace NetfilterExporter.Conntrack;

/// <summary>The ways nf_conntrack is kept from loading. They differ in whether an explicit <c>modprobe nf_conntrack</c> still works.</summary>
public enum BlacklistKind
{
    /// <summary>modprobe.d <c>blacklist nf_conntrack</c>: systemd-modules-load skips it ("deny-listed"); kmod applies it to aliases only, so an explicit modprobe loads it.</summary>
    ModprobeBlacklist,

    /// <summary>modprobe.d <c>install nf_conntrack /bin/false</c>: every modprobe runs the command instead of loading, explicit ones too.</summary>
    InstallCommand,

    /// <summary><c>modprobe.blacklist=</c> on the kernel command line: kmod's blacklist again, with the same reach as the modprobe.d line.</summary>
    CommandLineModprobeBlacklist,

    /// <summary><c>module_blacklist=</c> on the kernel command line: the kernel itself refuses the module (EPERM), whoever asks, until a boot without it.</summary>
    CommandLineModuleBlacklist,
}
