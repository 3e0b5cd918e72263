namespace NetfilterExporter.Processes;

public enum CommandFailureKind
{
    NotFound,
    StartFailed,
    TimedOut,
    OutputLimitExceeded,
    NonZeroExit,
}
