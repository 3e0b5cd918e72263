using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.IO.Pipes;
using NetfilterExporter.Host;

namespace NetfilterExporter.Processes;

/// <summary>
/// What CliWrap does not cover: it kills a command's tree on cancellation, but finds descendants by parent id
/// (Process.Kill(entireProcessTree: true)), so a grandchild orphaned when the command exited survives and keeps
/// holding the pipe. This kills the command together with every process that can still write to its standard
/// output or error.
/// Every writer is found by the pipe itself: a /proc/PID/fd link naming the same pipe inode
/// as our read end, opened for writing. Only write ends count, so that another child of this exporter that
/// briefly inherits our read end between fork and exec is left alone.
/// </summary>
internal sealed class OutputWriterKiller
{
    private const int MaxRounds = 100;
    private static readonly TimeSpan RoundPause = TimeSpan.FromMilliseconds(10);

    private readonly int childId;
    private readonly HashSet<string> pipeNames;

    public OutputWriterKiller(Process child)
    {
        childId = child.Id;
        pipeNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var stream in new[] { child.StandardOutput.BaseStream, child.StandardError.BaseStream })
        {
            if (stream is PipeStream pipe
                && new FileInfo("/proc/self/fd/" + pipe.SafePipeHandle.DangerousGetHandle().ToString(CultureInfo.InvariantCulture)).LinkTarget is { } name)
            {
                pipeNames.Add(name);
            }
        }
    }

    /// <summary>
    /// Kills and keeps killing until no process writes to the pipes and every process killed here is dead.
    /// Returns how many processes other than the child held the pipes.
    /// </summary>
    public async Task<int> KillAllAsync()
    {
        TryKillTree(childId);
        var others = new HashSet<int>();
        for (var round = 0; round < MaxRounds; round++)
        {
            var writers = FindWriters();
            foreach (var writer in writers.Where(id => id != childId))
            {
                others.Add(writer);
                TryKillTree(writer);
            }
            if (writers.Count == 0 && !others.Any(IsRunning))
            {
                break;
            }
            await Task.Delay(RoundPause).ConfigureAwait(false);
        }
        return others.Count;
    }

    private List<int> FindWriters()
    {
        var writers = new List<int>();
        if (pipeNames.Count == 0)
        {
            return writers;
        }
        var self = Environment.ProcessId;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                && id != self
                && HoldsWriteEnd(directory))
            {
                writers.Add(id);
            }
        }
        return writers;
    }

    private bool HoldsWriteEnd(string processDirectory)
    {
        try
        {
            foreach (var link in Directory.EnumerateFileSystemEntries(processDirectory + "/fd"))
            {
                if (new FileInfo(link).LinkTarget is { } target
                    && pipeNames.Contains(target)
                    && IsOpenForWriting(processDirectory + "/fdinfo/" + Path.GetFileName(link)))
                {
                    return true;
                }
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // The process exited while we looked, or it is not ours to inspect.
        }
        return false;
    }

    private static bool IsOpenForWriting(string fdInfoPath)
    {
        const int accessModeMask = 3;
        const int readOnly = 0;
        foreach (var line in File.ReadLines(fdInfoPath))
        {
            if (line.StartsWith("flags:", StringComparison.Ordinal))
            {
                var flags = Convert.ToInt32(line["flags:".Length..].Trim(), 8);
                return (flags & accessModeMask) != readOnly;
            }
        }
        return false;
    }

    /// <summary>False once the child has exited, also after the Process object was disposed.</summary>
    public bool ChildIsRunning() => IsRunning(childId);

    private static bool IsRunning(int id) =>
        ProcStat.Read("/proc/" + id.ToString(CultureInfo.InvariantCulture) + "/stat")?.State is { } state and not ('Z' or 'X' or 'x');

    private static void TryKillTree(int id)
    {
        try
        {
            using var process = Process.GetProcessById(id);
            TryKillTree(process);
        }
        catch (ArgumentException)
        {
            // Already gone.
        }
    }

    private static void TryKillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception exception) when (exception is InvalidOperationException or Win32Exception or AggregateException)
        {
            // Exited meanwhile; part of a tree may have raced the same way.
        }
    }
}
