namespace NetfilterExporter.TestSupport;

public sealed record CommandResult(int ExitCode, string StandardOutput, string StandardError)
{
    public CommandResult EnsureSuccess(string what)
    {
        if (ExitCode != 0)
        {
            throw new InvalidOperationException($"{what} failed with exit code {ExitCode}: {StandardError.Trim()} {StandardOutput.Trim()}");
        }
        return this;
    }
}
