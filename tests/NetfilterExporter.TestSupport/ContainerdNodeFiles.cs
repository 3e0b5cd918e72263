using System.Text.Json.Nodes;

namespace NetfilterExporter.TestSupport;

/// <summary>
/// The configuration files of a <see cref="ContainerdNode"/>: containerd's config (version 2 for containerd 1.6,
/// version 3 for 2.x) and the CNI network list. Every path containerd would otherwise share with the machine (root, state, sockets, runc's state, CNI
/// config, host-local's leases, the opt directory) points into the node's private directory, so two nodes, or a
/// node and a real containerd, never see each other's state.
/// </summary>
public static class ContainerdNodeFiles
{
    /// <summary>containerd's config.toml for the parts' version. Every setting is one real-node.md or today.md found needed or useful on this machine.</summary>
    /// <param name="cniBinDirectory">
    /// The node's own CNI bin directory (links to the parts' plugins, and the <see cref="CniHoldPlugin"/>): containerd
    /// 1.6 takes one bin_dir only, so the parts' directory cannot simply be listed beside another.
    /// </param>
    public static string ContainerdConfig(NodeParts parts, string directory, string socketPath, string cniConfigDirectory, string cniBinDirectory, string sandboxImage)
    {
        RequireTomlSafe(directory);
        RequireTomlSafe(sandboxImage);
        RequireTomlSafe(parts.RuncPath);
        RequireTomlSafe(cniBinDirectory);
        return parts.ConfigVersion switch
        {
            2 => Version2(parts, directory, socketPath, cniConfigDirectory, cniBinDirectory, sandboxImage),
            3 => Version3(parts, directory, socketPath, cniConfigDirectory, cniBinDirectory, sandboxImage),
            _ => throw new ArgumentException($"no containerd config version {parts.ConfigVersion}", nameof(parts)),
        };
    }

    private static string Version2(NodeParts parts, string directory, string socketPath, string cniConfigDirectory, string cniBinDirectory, string sandboxImage) =>
        $$"""
            version = 2
            root = "{{directory}}/root"
            state = "{{directory}}/state"
            # Snapshotters that cannot work here (or probe the machine's disks) are not loaded at all.
            disabled_plugins = [
              "io.containerd.snapshotter.v1.btrfs",
              "io.containerd.snapshotter.v1.zfs",
              "io.containerd.snapshotter.v1.devmapper",
              "io.containerd.snapshotter.v1.aufs",
            ]

            [grpc]
              address = "{{socketPath}}"

            [ttrpc]
              address = "{{socketPath}}.ttrpc"

            [debug]
              address = ""

            [metrics]
              address = ""

            [plugins]
              # Its default, /opt/containerd, is outside the node's directory.
              [plugins."io.containerd.internal.v1.opt"]
                path = "{{directory}}/opt"

              [plugins."io.containerd.grpc.v1.cri"]
                sandbox_image = "{{sandboxImage}}"
                # Required here: runc cannot write /proc/self/oom_score_adj without CAP_SYS_RESOURCE, and every
                # RunPodSandbox fails without it.
                restrict_oom_score_adj = true
                # Pod network namespaces are mounted under the state directory instead of the machine's /run/netns.
                netns_mounts_under_state_dir = true
                # The streaming server (exec, attach) is unused; a port of 0 keeps it from taking a fixed one.
                stream_server_address = "127.0.0.1"
                stream_server_port = "0"
                enable_selinux = false

                [plugins."io.containerd.grpc.v1.cri".containerd]
                  snapshotter = "overlayfs"
                  default_runtime_name = "runc"

                  [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
                    runtime_type = "io.containerd.runc.v2"

                    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
                      # cgroupfs: there is no systemd to ask for scopes.
                      SystemdCgroup = false
                      Root = "{{directory}}/runc"
                      BinaryName = "{{parts.RuncPath}}"

                [plugins."io.containerd.grpc.v1.cri".cni]
                  bin_dir = "{{cniBinDirectory}}"
                  conf_dir = "{{cniConfigDirectory}}"
                  max_conf_num = 1
            """;

    /// <summary>
    /// containerd 2.x's form of the same settings (reference/today.md): the CRI plugin split into
    /// cri.v1.runtime and cri.v1.images, the sandbox image pinned, a list of CNI bin dirs. Plugins 2.x adds that
    /// would reach outside the node's directory (NRI's socket in /var/run/nri, the erofs snapshotter) are not loaded.
    /// </summary>
    private static string Version3(NodeParts parts, string directory, string socketPath, string cniConfigDirectory, string cniBinDirectory, string sandboxImage) =>
        $$"""
            version = 3
            root = '{{directory}}/root'
            state = '{{directory}}/state'
            disabled_plugins = [
              'io.containerd.snapshotter.v1.btrfs',
              'io.containerd.snapshotter.v1.zfs',
              'io.containerd.snapshotter.v1.devmapper',
              'io.containerd.snapshotter.v1.aufs',
              'io.containerd.snapshotter.v1.erofs',
              'io.containerd.nri.v1.nri',
            ]

            [grpc]
              address = '{{socketPath}}'

            [ttrpc]
              address = '{{socketPath}}.ttrpc'

            [debug]
              address = ''

            [metrics]
              address = ''

            [plugins]
              [plugins.'io.containerd.internal.v1.opt']
                path = '{{directory}}/opt'

              [plugins.'io.containerd.cri.v1.images']
                snapshotter = 'overlayfs'

                [plugins.'io.containerd.cri.v1.images'.pinned_images]
                  sandbox = '{{sandboxImage}}'

              [plugins.'io.containerd.cri.v1.runtime']
                # Required here, as for 1.6 (real-node.md); in 2.x it lives under cri.v1.runtime.
                restrict_oom_score_adj = true
                netns_mounts_under_state_dir = true
                enable_selinux = false

                [plugins.'io.containerd.cri.v1.runtime'.containerd]
                  default_runtime_name = 'runc'

                  [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc]
                    runtime_type = 'io.containerd.runc.v2'
                    sandboxer = 'podsandbox'
                    snapshotter = 'overlayfs'

                    [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]
                      SystemdCgroup = false
                      Root = '{{directory}}/runc'
                      BinaryName = '{{parts.RuncPath}}'

                [plugins.'io.containerd.cri.v1.runtime'.cni]
                  bin_dirs = ['{{cniBinDirectory}}']
                  conf_dir = '{{cniConfigDirectory}}'
                  max_conf_num = 1

              [plugins.'io.containerd.grpc.v1.cri']
                stream_server_address = '127.0.0.1'
                stream_server_port = '0'
            """;

    /// <summary>
    /// The CNI network list, named as MicroK8s' Calico names its network (the name portmap writes into its rule
    /// comments): a bridge with the gateway on the node and host-local addresses, then portmap for host ports, then the
    /// tests' <see cref="CniHoldPlugin"/>, last so that a held pod's host port rules are already written.
    /// </summary>
    /// <remarks>
    /// With <see cref="PortmapRuleBackend.Iptables"/> the portmap entry has no <c>backend</c> key, as in MicroK8s'
    /// conflists (the legacy iptables first on PATH make it write legacy rules); with
    /// <see cref="PortmapRuleBackend.Nftables"/> it asks for portmap's own <c>cni_hostport</c> tables.
    /// </remarks>
    public static string CniConflist(string networkName, string bridge, string subnet, string gateway, string ipamDataDirectory, PortmapRuleBackend backend)
    {
        var portmap = new JsonObject
        {
            ["type"] = "portmap",
            ["capabilities"] = new JsonObject { ["portMappings"] = true },
            // As in MicroK8s' Calico conflist: masquerade hairpin and localhost connections to a host port.
            ["snat"] = true,
        };
        if (backend == PortmapRuleBackend.Nftables)
        {
            portmap["backend"] = "nftables";
        }
        return new JsonObject
        {
            ["cniVersion"] = "0.4.0",
            ["name"] = networkName,
            ["plugins"] = new JsonArray(
                new JsonObject
                {
                    ["type"] = "bridge",
                    ["bridge"] = bridge,
                    ["isGateway"] = true,
                    ["ipMasq"] = true,
                    ["ipam"] = new JsonObject
                    {
                        ["type"] = "host-local",
                        ["ranges"] = new JsonArray(new JsonArray(new JsonObject { ["subnet"] = subnet, ["gateway"] = gateway })),
                        // host-local keeps its leases in /var/lib/cni/networks unless told otherwise.
                        ["dataDir"] = ipamDataDirectory,
                    },
                },
                portmap,
                new JsonObject { ["type"] = CniHoldPlugin.Type }),
        }.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
    }

    private static void RequireTomlSafe(string value)
    {
        if (value.IndexOfAny(['"', '\'', '\\', '\n']) >= 0)
        {
            throw new ArgumentException($"'{value}' cannot be written into a TOML basic string as it is", nameof(value));
        }
    }
}
