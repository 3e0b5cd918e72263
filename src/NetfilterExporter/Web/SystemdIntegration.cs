using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using NetfilterExporter.Configuration;
using NetfilterExporter.Host;

namespace NetfilterExporter.Web;

/// <summary>
/// Running under systemd: listening on the sockets a .socket unit passes (--web.systemd-socket, the LISTEN_FDS
/// protocol Kestrel speaks), and telling a Type=notify unit that the exporter is ready once it serves.
/// </summary>
internal static class SystemdIntegration
{
    // sd_listen_fds(3): the passed sockets are descriptors 3, 4, ...; fcntl(2) F_SETFD, FD_CLOEXEC.
    private const int FirstPassedDescriptor = 3;
    private const int SetDescriptorFlags = 2;
    private const int CloseOnExec = 1;

    /// <summary>Listens on every passed socket; refuses to start when systemd passed none, as node_exporter does.</summary>
    public static void ListenOnPassedSockets(KestrelServerOptions kestrel, Action<ListenOptions> configure)
    {
        // Kestrel's UseSystemd silently listens on nothing when the sockets are not meant for this process.
        var listenPid = Environment.GetEnvironmentVariable("LISTEN_PID");
        var listenFds = Environment.GetEnvironmentVariable("LISTEN_FDS");
        if (listenPid != Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)
            || !int.TryParse(listenFds, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count) || count < 1)
        {
            throw new UsageException($"--{Flags.SystemdSocket}: systemd passed no socket to this process (LISTEN_PID={listenPid ?? "unset"}, LISTEN_FDS={listenFds ?? "unset"}); "
                + "start it through netfilter-exporter.socket (or systemd-socket-activate), or drop the flag and use --web.listen-address");
        }
        // systemd passes them inheritable, and Kestrel leaves them so: every save command the exporter starts would
        // hold the listening socket open. sd_listen_fds() marks them close-on-exec; so does this.
        for (var descriptor = FirstPassedDescriptor; descriptor < FirstPassedDescriptor + count; descriptor++)
        {
            // Only EBADF can fail here, for a descriptor systemd did not pass; Kestrel then reports it by number.
            _ = LibC.Fcntl(descriptor, SetDescriptorFlags, CloseOnExec);
        }
        kestrel.UseSystemd(configure);
    }

    /// <summary>
    /// Sends READY=1 once the server has bound its sockets and serves (ApplicationStarted), and STOPPING=1 on
    /// shutdown. Does nothing outside a unit with NOTIFY_SOCKET.
    /// </summary>
    public static void NotifyReadiness(IHostApplicationLifetime lifetime)
    {
        var notifier = new SystemdNotifier();
        if (!notifier.IsEnabled)
        {
            return;
        }
        lifetime.ApplicationStarted.Register(() => notifier.Notify(ServiceState.Ready));
        lifetime.ApplicationStopping.Register(() => notifier.Notify(ServiceState.Stopping));
    }
}
