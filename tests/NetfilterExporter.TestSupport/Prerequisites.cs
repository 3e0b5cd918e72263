namespace NetfilterExporter.TestSupport;

/// <summary>
/// Checks what a test needs from the machine. A missing prerequisite always fails the test with an
/// install hint and never skips it: under CI=true a skip would hide a broken set-up.
/// </summary>
public static class Prerequisites
{
    public static void RequireRoot()
    {
        if (Environment.UserName != "root" && !IsEffectiveRoot())
        {
            throw new PrerequisiteMissingException("this test needs root (network namespaces, iptables): run the test command with sudo");
        }
    }

    /// <summary>Returns the absolute path of <paramref name="command"/> found on PATH.</summary>
    public static string RequireCommand(string command, string debianPackage)
    {
        var path = FindOnPath(command);
        return path ?? throw new PrerequisiteMissingException(
            $"this test needs '{command}' on PATH: apt-get install {debianPackage} (scripts/test.sh installs it when run as root)");
    }

    public static string? FindOnPath(string command)
    {
        var searchPath = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var directory in searchPath.Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(["/usr/sbin", "/sbin"]))
        {
            var candidate = Path.Combine(directory, command);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    private static bool IsEffectiveRoot()
    {
        // /proc/self/status "Uid:" line: real, effective, saved, filesystem.
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("Uid:", StringComparison.Ordinal))
            {
                var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                return fields.Length > 2 && fields[2] == "0";
            }
        }
        return false;
    }
}
