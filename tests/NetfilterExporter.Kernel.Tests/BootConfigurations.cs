namespace NetfilterExporter.Kernel.Tests;

/// <summary>
/// Every configuration the real-kernel suite boots: the ones issue 14 observed, plus the command-line spellings that
/// do not blacklist. Each is booted alone, except where putting several parameters in one boot cannot change the
/// answer (see <see cref="SpellingsThatDoNotBlacklist"/>).
/// </summary>
public static class BootConfigurations
{
    private const string ListInEtc = "/etc/modules-load.d/nf_conntrack.conf";
    private const string ListInUsrLib = "/usr/lib/modules-load.d/microk8s.conf";
    private const string Listing = "nf_conntrack\n";
    private const string LoadOnCommandLine = "modules_load=nf_conntrack";

    private static readonly Dictionary<string, string> None = [];

    /// <summary>
    /// A MicroK8s build laid out as the node holds it, whose kubelite start wrapper loads nf_conntrack (canonical/microk8s#4705),
    /// and a unit shaped like kubelite's that runs that wrapper at every start, before the probe. Nothing else lists the module.
    /// </summary>
    private static readonly Dictionary<string, string> KubeliteLoadsConntrack = new()
    {
        ["/snap/microk8s/4705/meta/snap.yaml"] = "name: microk8s\nversion: v1.31.2\nconfinement: classic\n",
        ["/snap/microk8s/4705/microk8s-stop.wrapper"] = "#!/bin/bash\nsource $SNAP/actions/common/utils.sh\nkill_all_container_shims\nsnapctl stop microk8s --disable\n",
        ["/snap/microk8s/4705/actions/common/utils.sh"] = "remove_all_containers() {\n  true\n}\n\nkill_all_container_shims() {\n  true\n}\n",
        ["/snap/microk8s/4705/run-kubelite-with-args"] =
            "#!/bin/bash\n# kube-proxy opens nf_conntrack_max when it starts\nif ! [ -f /proc/sys/net/netfilter/nf_conntrack_max ]; then\n" +
            "  if /sbin/modprobe nf_conntrack || modprobe nf_conntrack; then\n    echo \"Successfully loaded nf_conntrack module.\"\n" +
            "  else\n    echo \"Failed to load nf_conntrack kernel module. ProxyServer will fail to start until it's loaded.\"\n  fi\nfi\nexit 0\n",
        ["/etc/systemd/system/snap.microk8s.daemon-kubelite.service"] =
            "[Unit]\nDescription=kubelite's start wrapper, as MicroK8s runs it at every start\nBefore=nfx-guest-probe.service\n\n" +
            "[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/bash /snap/microk8s/current/run-kubelite-with-args\n\n[Install]\nWantedBy=multi-user.target\n",
    };

    private static readonly Dictionary<string, string> KubeliteLinks = new()
    {
        ["/snap/microk8s/current"] = "4705",
        ["/etc/systemd/system/multi-user.target.wants/snap.microk8s.daemon-kubelite.service"] = "/etc/systemd/system/snap.microk8s.daemon-kubelite.service",
    };

    /// <summary>
    /// modules_load= with <c>module_blacklist=nf-conntrack</c> and <c>modprobe.blacklist=nf-conntrack</c>. If either
    /// blacklisted, the module would not load; it loads, so the boot shows both are harmless at once.
    /// </summary>
    public static BootConfiguration SpellingsThatDoNotBlacklist { get; } = new(
        "cmdline-dash-spellings-do-not-blacklist", None, None,
        $"{LoadOnCommandLine} module_blacklist=nf-conntrack modprobe.blacklist=nf-conntrack",
        LoadsAtBoot: true, ManualModprobeWorks: true, Defeats: []);

    public static IReadOnlyList<BootConfiguration> All { get; } =
    [
        new("nothing-configured", None, None, "", LoadsAtBoot: false, ManualModprobeWorks: true, Defeats: []),
        new("etc-modules-load-d", new Dictionary<string, string> { [ListInEtc] = Listing }, None, "", true, true, []),
        new("usr-lib-modules-load-d", new Dictionary<string, string> { [ListInUsrLib] = Listing }, None, "", true, true, []),
        new("usr-lib-masked-by-etc-dev-null",
            new Dictionary<string, string> { [ListInUsrLib] = Listing }, new Dictionary<string, string> { ["/etc/modules-load.d/microk8s.conf"] = "/dev/null" }, "", false, true, []),
        new("debian-etc-modules", new Dictionary<string, string> { ["/etc/modules"] = "# /etc/modules: kernel modules to load at boot time.\nnf_conntrack\n" }, None, "", true, true, []),
        new("cmdline-modules-load", None, None, LoadOnCommandLine, true, true, []),
        new("cmdline-rd-modules-load-without-systemd-initramfs", None, None, "rd.modules_load=nf_conntrack", false, true, []),
        new("modprobe-d-blacklist",
            new Dictionary<string, string> { [ListInEtc] = Listing, ["/etc/modprobe.d/blacklist-conntrack.conf"] = "# keep conntrack out\nblacklist nf_conntrack\n" },
            None, "", false, true, ["/etc/modprobe.d/blacklist-conntrack.conf:2"]),
        new("modprobe-d-install-false",
            new Dictionary<string, string> { [ListInEtc] = Listing, ["/etc/modprobe.d/disable-conntrack.conf"] = "install nf_conntrack /bin/false\n" },
            None, "", false, false, ["/etc/modprobe.d/disable-conntrack.conf:1"]),
        new("cmdline-module-blacklist", None, None, $"{LoadOnCommandLine} module_blacklist=nf_conntrack", false, false, ["cmdline"]),
        new("cmdline-modprobe-blacklist", None, None, $"{LoadOnCommandLine} modprobe.blacklist=nf_conntrack", false, true, ["cmdline"]),
        new("cmdline-module-blacklist-last-value-wins", None, None, $"{LoadOnCommandLine} module_blacklist=nf_conntrack module_blacklist=btrfs", true, true, []),
        SpellingsThatDoNotBlacklist,
        new("microk8s-kubelite-modprobe", KubeliteLoadsConntrack, KubeliteLinks, "", LoadsAtBoot: true, ManualModprobeWorks: true, Defeats: []),
        new("microk8s-kubelite-modprobe-install-false",
            new Dictionary<string, string>(KubeliteLoadsConntrack) { ["/etc/modprobe.d/disable-conntrack.conf"] = "install nf_conntrack /bin/false\n" },
            KubeliteLinks, "", false, false, ["/etc/modprobe.d/disable-conntrack.conf:1"]),
    ];

    public static BootConfiguration Named(string name) =>
        All.SingleOrDefault(configuration => configuration.Name == name) ?? throw new ArgumentException($"no boot configuration named {name}", nameof(name));
}
