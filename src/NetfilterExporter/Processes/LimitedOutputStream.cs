using System.Globalization;

namespace NetfilterExporter.Processes;

/// <summary>
/// The child's standard output as handed to the reader: read-only, capped at the output limit, and aware that
/// an end of stream after the run was stopped comes from killing the writers, not from complete output.
/// </summary>
internal sealed class LimitedOutputStream(Stream pipe, string commandPath, long limitBytes, CancellationToken stopToken) : Stream
{
    private long bytesRead;

    /// <summary>Set once the limit was passed, so the runner reports it even if the reader wrapped the exception.</summary>
    public bool LimitExceeded { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        stopToken.ThrowIfCancellationRequested();
        return Count(pipe.Read(buffer));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        stopToken.ThrowIfCancellationRequested();
        return Count(await pipe.ReadAsync(buffer, stopToken).ConfigureAwait(false));
    }

    /// <summary>Reads and discards what the reader left, still under the limit.</summary>
    public async Task DrainAsync()
    {
        var scratch = new byte[64 * 1024];
        while (await ReadAsync(scratch, stopToken).ConfigureAwait(false) > 0)
        {
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    // The runner owns the pipe and drains it after the reader returns, so a reader disposing this stream
    // (a StreamReader does) must not close it.
    protected override void Dispose(bool disposing)
    {
    }

    private int Count(int read)
    {
        // Killing the writers ends the stream early; that must not look like complete output to the reader.
        stopToken.ThrowIfCancellationRequested();
        bytesRead += read;
        if (LimitExceeded || bytesRead > limitBytes)
        {
            LimitExceeded = true;
            throw new CommandFailedException(
                CommandFailureKind.OutputLimitExceeded,
                commandPath,
                string.Create(CultureInfo.InvariantCulture, $"{commandPath} wrote more than {limitBytes} bytes to standard output"));
        }
        return read;
    }
}
