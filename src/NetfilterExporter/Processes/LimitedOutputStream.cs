using System.Globalization;

namespace NetfilterExporter.Processes;

/// <summary>
/// The command's standard output as handed to the reader: read-only, capped at the output limit, and read in
/// batches. A save command writes its dump in 4 KB pieces, slower than the parser reads them, so reading each
/// piece as it arrives costs a wake-up of the runtime's I/O and worker threads per piece: 36 ms of CPU per
/// 25,000-rule collection, a third of the save's own. After a read that did not fill the buffer the next one waits
/// <see cref="BatchDelay"/>; with the pipe grown to 1 MB (<see cref="PipeCapacity"/>, by the caller) the command
/// never blocks meanwhile. Reads drop from about 1,000 to about 40 per collection (docs/performance.md).
/// </summary>
internal sealed class LimitedOutputStream(Stream pipe, string commandPath, long limitBytes) : Stream
{
    // At most this much is added to a collection, after the command's last write.
    private static readonly TimeSpan BatchDelay = TimeSpan.FromMilliseconds(1);

    private long bytesRead;
    // A read that filled the buffer means more is waiting: the next one goes at once.
    private bool lastReadWasShort;

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

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (lastReadWasShort)
        {
            await Task.Delay(BatchDelay, cancellationToken).ConfigureAwait(false);
        }
        var read = await pipe.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        lastReadWasShort = read > 0 && read < buffer.Length;
        return Count(read);
    }

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
