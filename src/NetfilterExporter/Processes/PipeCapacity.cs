using System.IO.Pipes;
using NetfilterExporter.Host;

namespace NetfilterExporter.Processes;

/// <summary>
/// Grows the kernel buffer of a command's output pipe from 64 KB to 1 MB (the unprivileged maximum,
/// /proc/sys/fs/pipe-max-size): the save command writes ahead while the exporter is busy, and the exporter then
/// takes more per wake-up (fewer reads and thread hand-offs; docs/performance.md, "Machinery kept and removed").
/// </summary>
internal static class PipeCapacity
{
    private const int SetPipeSize = 1031; // F_SETPIPE_SZ, linux/fcntl.h
    private const int Wanted = 1 << 20;

    /// <summary>Does nothing to a stream that is no pipe, or when the kernel refuses.</summary>
    public static void TryGrow(Stream stream)
    {
        if (stream is not PipeStream { SafePipeHandle: { IsInvalid: false } handle })
        {
            return;
        }
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            // EPERM once the user's pipe buffers exceed pipe-user-pages-soft: the pipe keeps its 64 KB, which works, only with more reads.
            _ = LibC.Fcntl((int)handle.DangerousGetHandle(), SetPipeSize, Wanted);
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }
}
