using System.Runtime.InteropServices;

namespace NetfilterExporter.TestSupport;

/// <summary>
/// Signals one process by its id (kill(2)). Tests end only processes they started or can prove are theirs, so
/// there is no way here to signal by name.
/// </summary>
public static partial class ProcessSignal
{
    public const int Interrupt = 2;
    public const int Terminate = 15;
    public const int Kill = 9;
    private const int NoSuchProcess = 3;

    /// <summary>Sends <paramref name="signal"/>; returns false when the process is already gone.</summary>
    public static bool Send(int processId, int signal)
    {
        if (SendSignal(processId, signal) == 0)
        {
            return true;
        }
        var errno = Marshal.GetLastPInvokeError();
        return errno == NoSuchProcess
            ? false
            : throw new InvalidOperationException($"kill({processId}, {signal}) failed: errno {errno}");
    }

    /// <summary>
    /// Sends <paramref name="signal"/> to every process of the group <paramref name="groupId"/>, as a terminal's Ctrl-C
    /// does to its foreground job; returns false when the group is gone. Only for a group a test made (setsid).
    /// </summary>
    public static bool SendToGroup(int groupId, int signal) =>
        groupId > 1 ? Send(-groupId, signal) : throw new ArgumentOutOfRangeException(nameof(groupId), groupId, "not a process group a test made");

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int sig);
}
