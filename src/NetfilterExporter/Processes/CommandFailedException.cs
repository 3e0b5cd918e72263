namespace NetfilterExporter.Processes;

/// <summary>A command that could not deliver its output; the message is one line naming the command.</summary>
public sealed class CommandFailedException(
    CommandFailureKind kind,
    string commandPath,
    string message,
    int? exitCode = null,
    string standardError = "",
    Exception? innerException = null) : Exception(message, innerException)
{
    public CommandFailureKind Kind { get; } = kind;

    public string CommandPath { get; } = commandPath;

    /// <summary>Set only when the process exited on its own.</summary>
    public int? ExitCode { get; } = exitCode;

    /// <summary>Trimmed standard error, cut at <see cref="CommandLimits.ErrorLimitBytes"/>.</summary>
    public string StandardError { get; } = standardError;

    /// <summary>The command was refused by the kernel for lack of privilege (netfilter needs CAP_NET_ADMIN).</summary>
    public bool IsPermissionProblem =>
        StandardError.Contains("Permission denied", StringComparison.Ordinal) || StandardError.Contains("Operation not permitted", StringComparison.Ordinal);

    /// <summary>The same failure, with what to do about it added to the message.</summary>
    public CommandFailedException WithHint(string hint) => new(Kind, CommandPath, $"{Message} ({hint})", ExitCode, StandardError, this);
}
