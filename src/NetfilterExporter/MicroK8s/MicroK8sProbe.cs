using System.Text.Json;
using NetfilterExporter.Host;

namespace NetfilterExporter.MicroK8s;

/// <summary>
/// Reads the MicroK8s build under --path.rootfs from its own files (docs/contract.md §2): what its stop does to
/// portmap's rules, and whether kubelite loads nf_conntrack. Version numbers are not trusted: the same fix reached each
/// track by backports on different dates, and strict builds differ from classic ones.
/// </summary>
public sealed class MicroK8sProbe(string rootFs)
{
    public const string Snap = "/snap/microk8s/current";
    private const string Conflists = "/var/snap/microk8s/current/args/cni-network";
    private const string DnatChain = "CNI-HOSTPORT-DNAT";

    /// <summary>Where the snap is read, as the host sees it.</summary>
    public string SnapDirectory => Path.Join(rootFs, Snap);

    /// <summary>Whether a MicroK8s snap is installed under rootfs.</summary>
    public bool Installed()
    {
        try
        {
            return Directory.Exists(new RootFileSystem(rootFs).Resolve(Snap).HostPath);
        }
        catch (HostFileException)
        {
            return true;
        }
    }

    /// <exception cref="IOException">A file of the snap is missing, unreadable or not what a MicroK8s build ships; the message names it.</exception>
    public async Task<MicroK8sBuild> ReadAsync(CancellationToken cancellationToken)
    {
        var files = new SnapFiles(new RootFileSystem(rootFs));
        var snap = files.Resolve(Snap);
        if (!Directory.Exists(snap.HostPath))
        {
            throw new DirectoryNotFoundException($"no MicroK8s snap at {snap.Describe()}");
        }
        var meta = SnapYaml.Parse(await files.ReadAsync($"{Snap}/meta/snap.yaml", cancellationToken), $"{Snap}/meta/snap.yaml");
        var stop = await files.ReadLinesAsync($"{Snap}/microk8s-stop.wrapper", cancellationToken);
        var utils = await files.ReadLinesAsync($"{Snap}/actions/common/utils.sh", cancellationToken);
        var kubelite = await files.ReadLinesAsync($"{Snap}/run-kubelite-with-args", cancellationToken);
        var backends = new List<PortmapBackend>();
        foreach (var conflist in files.List(Conflists, ".conflist"))
        {
            backends.AddRange(PortmapBackends(conflist, await files.ReadAsync(conflist, cancellationToken)));
        }
        return new MicroK8sBuild(
            meta.Version,
            // /snap/microk8s/current links to the revision's mount point, e.g. /snap/microk8s/7394.
            Path.GetFileName(snap.NodePath),
            meta.Confinement,
            ShellScript.Runs(stop, "remove_all_containers"),
            FlushOf(ShellScript.FunctionBody(utils, "remove_all_containers")),
            ShellScript.Commands(kubelite).Any(line => line.Contains("modprobe nf_conntrack", StringComparison.Ordinal)),
            backends,
            await InLxcAsync(files, cancellationToken));
    }

    private static HostPortFlush FlushOf(IReadOnlyList<string> removal)
    {
        var flush = ShellScript.Commands(removal).FirstOrDefault(line =>
            line.Contains("iptables-legacy", StringComparison.Ordinal) && line.Contains(DnatChain, StringComparison.Ordinal)
            && (line.Contains(" -F ", StringComparison.Ordinal) || line.Contains(" --flush ", StringComparison.Ordinal)));
        return flush is null ? HostPortFlush.None
            : flush.StartsWith("run_with_sudo ", StringComparison.Ordinal) || flush.StartsWith("sudo ", StringComparison.Ordinal) ? HostPortFlush.AsRoot
            : HostPortFlush.AsCaller;
    }

    private static IEnumerable<PortmapBackend> PortmapBackends(string file, string text)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException exception)
        {
            throw new IOException($"{file}: not a CNI conflist: {exception.Message}", exception);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("plugins", out var plugins) || plugins.ValueKind != JsonValueKind.Array)
            {
                throw new IOException($"{file}: not a CNI conflist: no \"plugins\" list");
            }
            return plugins.EnumerateArray()
                .Where(plugin => plugin.ValueKind == JsonValueKind.Object && plugin.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "portmap")
                .Select(plugin => new PortmapBackend(file,
                    plugin.TryGetProperty("backend", out var backend) && backend.ValueKind == JsonValueKind.String && backend.GetString() == "nftables" ? "nftables" : "iptables"))
                .ToList();
        }
    }

    /// <summary>systemd records the container manager it runs under in /run/systemd/container ("lxc" in LXD and LXC).</summary>
    private static async Task<bool> InLxcAsync(SnapFiles files, CancellationToken cancellationToken)
    {
        const string marker = "/run/systemd/container";
        return File.Exists(files.Resolve(marker).HostPath) && (await files.ReadAsync(marker, cancellationToken)).Trim() is "lxc" or "lxc-libvirt";
    }
}
