using System.Text;

namespace NetfilterExporter.Exposition;

/// <summary>
/// Reads a small /proc file with one open and one pread: procfs files report size 0, so the File helpers
/// read them through a stream with its own buffers, which costs more than the kernel's work on every scrape.
/// </summary>
internal static class ProcFile
{
    private const int MaxLength = 8192;

    /// <returns>The text, or null when the file cannot be read.</returns>
    public static string? ReadText(string path)
    {
        try
        {
            using var handle = File.OpenHandle(path);
            Span<byte> buffer = stackalloc byte[MaxLength];
            var length = RandomAccess.Read(handle, buffer, 0);
            return Encoding.UTF8.GetString(buffer[..length]);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
