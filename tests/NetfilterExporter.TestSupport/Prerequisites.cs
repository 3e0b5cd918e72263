namespace NetfilterExporter.TestSupport;

/// <summary>
/// Checks what a test needs from the machine. A missing prerequisite always fails the test with an
/// install hint and never skips it: under CI=true a skip would hide a broken set-up.
/// </summary>
public static class Prerequisites
{
    public static void RequireRoot()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            throw new PrerequisiteMissingException("this test needs root (network namespaces, iptables): run the test command with sudo");
        }
    }

    /// <summary>Returns the absolute path of <paramref name="command"/> found on the <see cref="SearchPath"/>.</summary>
    public static string RequireCommand(string command, string debianPackage) =>
        SearchPath.Find(command) ?? throw new PrerequisiteMissingException(
            $"this test needs '{command}' on PATH: apt-get install {debianPackage} (scripts/test.sh installs it when run as root)");
}
