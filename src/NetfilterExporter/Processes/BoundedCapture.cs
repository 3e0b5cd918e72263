using System.Text;
using CliWrap;

namespace NetfilterExporter.Processes;

/// <summary>
/// Keeps the first bytes of a stream (standard error, for the error message) and reads the rest only so that
/// the command never blocks on a full pipe or fails writing to a closed one.
/// </summary>
internal sealed class BoundedCapture(int limitBytes) : PipeTarget
{
    private readonly MemoryStream kept = new();

    public string Text => Encoding.UTF8.GetString(kept.GetBuffer(), 0, (int)kept.Length);

    public override async Task CopyFromAsync(Stream origin, CancellationToken cancellationToken = default)
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await origin.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            kept.Write(buffer, 0, (int)Math.Min(read, limitBytes - kept.Length));
        }
    }
}
