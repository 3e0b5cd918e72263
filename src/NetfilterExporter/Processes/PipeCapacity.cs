using System.IO.Pipes;
using System.Runtime.InteropServices;

namespace NetfilterExporter.Processes;

/// <summary>
/// Grows the kernel buffer of a command's output pipe from 64 KB to 1 MB (the unprivileged maximum,
/// /proc/sys/fs/pipe-max-size), so that <see cref="LimitedOutputStream"/> can let output collect between reads
/// without the command ever blocking on a full pipe.
/// </summary>
internal static partial class PipeCapacity
{
    private const int SetPipeSize = 1031; // F_SETPIPE_SZ, linux/fcntl.h
    private const int Wanted = 1 << 20;

    /// <summary>The pipe's capacity in bytes after the attempt, or null when the stream is no pipe or the kernel refused.</summary>
    public static int? TryGrow(Stream stream)
    {
        if (stream is not PipeStream { SafePipeHandle: { IsInvalid: false } handle })
        {
            return null;
        }
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            // EPERM once the user's pipe buffers exceed pipe-user-pages-soft: the pipe keeps its 64 KB, which works, only with more reads.
            var capacity = Fcntl((int)handle.DangerousGetHandle(), SetPipeSize, Wanted);
            return capacity > 0 ? capacity : null;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(int descriptor, int command, int argument);
}
