namespace NetfilterExporter.Conntrack;

internal static class ProbeFile
{
    /// <summary>
    /// Reads a small file, or returns null when it does not exist: for the probe a missing file is a finding
    /// (module not loaded, nothing configured), while a file that exists but cannot be read is an error.
    /// </summary>
    /// <param name="shownAs">How an error message names the file.</param>
    public static async Task<string?> ReadIfPresentAsync(string path, string shownAs, CancellationToken cancellationToken)
    {
        if (!Path.Exists(path))
        {
            return null;
        }
        try
        {
            return await File.ReadAllTextAsync(path, cancellationToken);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            var cause = Directory.Exists(path) ? "it is a directory, expected a file" : exception.Message;
            throw new ConntrackProbeException($"cannot read {shownAs}: {cause}", exception);
        }
    }

    public static string[] Lines(string text) => text.Split('\n');
}
