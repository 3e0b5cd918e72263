using System.Runtime.InteropServices;

namespace NetfilterExporter.TestSupport;

/// <summary>
/// Signals one process by its id (kill(2)). Tests end only processes they started or can prove are theirs, so
/// there is no way here to signal by name.
/// </summary>
public static partial class ProcessSignal
{
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

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int sig);
}
