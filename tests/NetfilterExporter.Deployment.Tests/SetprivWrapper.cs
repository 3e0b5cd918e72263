using System.Globalization;

namespace NetfilterExporter.Deployment.Tests;

/// <summary>
/// A setpriv (util-linux) command that starts a program with the privileges a deployment grants: a user, its
/// supplementary groups, exactly the named capabilities and no_new_privs. Capability names may be written the
/// Kubernetes way (NET_ADMIN) or the systemd way (CAP_NET_ADMIN).
/// </summary>
/// <param name="UserId">Null keeps root, as the DaemonSet's runAsUser: 0; otherwise user and group id.</param>
/// <param name="SupplementaryGroupIds">The user's supplementary groups (systemd's SupplementaryGroups=); none when null.</param>
public sealed record SetprivWrapper(int? UserId, IReadOnlyList<string> Capabilities, bool NoNewPrivileges, IReadOnlyList<int>? SupplementaryGroupIds = null)
{
    public IReadOnlyList<string> Command()
    {
        var capabilities = string.Concat(Capabilities.Select(name => ",+" + SetprivName(name)));
        var command = new List<string> { "setpriv" };
        if (UserId is { } id)
        {
            command.AddRange([$"--reuid={id}", $"--regid={id}"]);
            command.Add(SupplementaryGroupIds is { Count: > 0 } groups
                ? "--groups=" + string.Join(',', groups.Select(group => group.ToString(CultureInfo.InvariantCulture)))
                : "--clear-groups");
            // A non-root user keeps capabilities across execve only as ambient ones, and the ambient set must be
            // a subset of the inheritable one: systemd's AmbientCapabilities= sets both.
            command.AddRange([$"--inh-caps=-all{capabilities}", $"--ambient-caps=-all{capabilities}"]);
        }
        else
        {
            if (SupplementaryGroupIds is { Count: > 0 })
            {
                throw new ArgumentException("supplementary groups are only set together with a user", nameof(SupplementaryGroupIds));
            }
            // Root gets its bounding set as permitted and effective capabilities on execve; inheriting nothing
            // matches a container runtime that drops ALL and adds some.
            command.Add("--inh-caps=-all");
        }
        command.Add($"--bounding-set=-all{capabilities}");
        if (NoNewPrivileges)
        {
            command.Add("--no-new-privs");
        }
        return command;
    }

    private static string SetprivName(string capability) =>
        (capability.StartsWith("CAP_", StringComparison.Ordinal) ? capability[4..] : capability).ToLowerInvariant();
}
