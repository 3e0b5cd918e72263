using System.Globalization;

namespace NetfilterExporter.Processes;

/// <summary>
/// The command's standard output as handed to the reader: read-only and capped at the output limit. Each read
/// returns what the pipe holds at once; the caller grows the pipe (<see cref="PipeCapacity"/>), so a save command
/// that writes faster than the parser reads gets ahead by up to 1 MB and one read takes more of it.
/// </summary>
internal sealed class LimitedOutputStream(Stream pipe, string commandPath, long limitBytes) : Stream
{
    private long bytesRead;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    // A blocking read cannot be cancelled: with a grandchild holding the pipe it would outlive the deadline.
    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("read the command's output asynchronously, so that the deadline can stop the read");

    public override int Read(Span<byte> buffer) =>
        throw new NotSupportedException("read the command's output asynchronously, so that the deadline can stop the read");

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await pipe.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    /// <summary>Reads and discards what the reader left, still under the limit, so the command can finish writing.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        var scratch = new byte[64 * 1024];
        while (await ReadAsync(scratch, cancellationToken).ConfigureAwait(false) > 0)
        {
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    // CliWrap owns the pipe, and the stream is drained after the reader returns, so a reader disposing this
    // stream (a StreamReader does) must not close it.
    protected override void Dispose(bool disposing)
    {
    }

    private int Count(int read)
    {
        bytesRead += read;
        if (bytesRead > limitBytes)
        {
            throw new CommandFailedException(
                CommandFailureKind.OutputLimitExceeded,
                commandPath,
                string.Create(CultureInfo.InvariantCulture, $"{commandPath} wrote more than {limitBytes} bytes to standard output"));
        }
        return read;
    }
}
