namespace NetfilterExporter.Processes;

public interface IProcessRunner
{
    /// <summary>
    /// Runs <paramref name="command"/> and streams its standard output into <paramref name="readStandardOutput"/>
    /// while standard error is drained at the same time. Returns after the process has exited and both streams
    /// have reached their end; output the reader left unread is drained and discarded.
    /// </summary>
    /// <exception cref="CommandFailedException">The command could not start, failed, timed out or wrote too much.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the process was killed.</exception>
    /// <remarks>Any other exception is the reader's own, rethrown after the process was killed.</remarks>
    Task<ProcessResult> RunAsync(ProcessCommand command, Func<Stream, CancellationToken, Task> readStandardOutput, CancellationToken cancellationToken);
}
