using System.Text;

namespace NetfilterExporter.Host;

/// <summary>Reads the small text files of procfs, sysfs and /etc that the exporter inspects.</summary>
internal static class HostFile
{
    private const int MaxProcLength = 8192;

    /// <summary>
    /// Reads a small /proc file with one open and one pread, or returns null when it cannot be read. procfs
    /// files report size 0, so the File helpers read them through a stream with its own buffers, which costs
    /// more than the kernel's work when it happens on every scrape.
    /// </summary>
    public static string? ReadProc(string path)
    {
        try
        {
            using var handle = File.OpenHandle(path);
            Span<byte> buffer = stackalloc byte[MaxProcLength];
            var length = RandomAccess.Read(handle, buffer, 0);
            return Encoding.UTF8.GetString(buffer[..length]);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// Reads a file, or returns null when it does not exist: a missing file is an answer (module not loaded,
    /// nothing configured), while a file that exists but cannot be read is an error.
    /// </summary>
    /// <param name="shownAs">How an error message names the file.</param>
    /// <exception cref="IOException">The file exists but cannot be read; the message names it.</exception>
    public static async Task<string?> ReadIfPresentAsync(string path, string shownAs, CancellationToken cancellationToken)
    {
        if (!Path.Exists(path))
        {
            return null;
        }
        try
        {
            return await File.ReadAllTextAsync(path, cancellationToken);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            var cause = Directory.Exists(path) ? "it is a directory, expected a file" : exception.Message;
            throw new IOException($"cannot read {shownAs}: {cause}", exception);
        }
    }

    public static string[] Lines(string text) => text.Split('\n');
}
