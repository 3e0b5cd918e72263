namespace NetfilterExporter.Deployment.Tests;

/// <summary>One word for a POSIX shell script, whatever it holds: single-quoted, each ' written as '\''.</summary>
public static class ShellWord
{
    public static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
