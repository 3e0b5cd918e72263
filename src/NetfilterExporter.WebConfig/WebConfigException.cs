namespace NetfilterExporter.WebConfig;

/// <summary>A web configuration file that cannot be used; the message names the file and, where known, the line.</summary>
public sealed class WebConfigException(string message, Exception? innerException = null) : Exception(message, innerException)
{
    internal static WebConfigException At(string file, long? line, string problem, Exception? innerException = null) =>
        new(line is { } number ? $"{file} line {number}: {problem}" : $"{file}: {problem}", innerException);
}
