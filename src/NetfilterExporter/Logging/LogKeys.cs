using System.Text;

namespace NetfilterExporter.Logging;

/// <summary>
/// Message-template names as log keys, spelled the way promslog (Go's slog) exporters spell theirs, so that a query
/// or a log pipeline written for them finds ours: snake_case in lower-case ASCII ({SandboxCount} → sandbox_count),
/// and an error is err whatever the template called it ({Error}, {Err}, {Exception}).
/// </summary>
public static class LogKeys
{
    public const string Error = "err";

    public static string FromTemplateName(string name)
    {
        var key = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsAsciiLetterUpper(c))
            {
                // A word starts at a capital after a lower-case letter or a digit (sandboxCount), or at the last capital
                // of an acronym when a lower-case letter follows it (HTTPStatus → http_status).
                var previous = i > 0 ? name[i - 1] : '\0';
                var next = i + 1 < name.Length ? name[i + 1] : '\0';
                if (key.Length > 0 && key[^1] != '_'
                    && (char.IsAsciiLetterLower(previous) || char.IsAsciiDigit(previous) || (char.IsAsciiLetterUpper(previous) && char.IsAsciiLetterLower(next))))
                {
                    key.Append('_');
                }
                key.Append(char.ToLowerInvariant(c));
            }
            else if (char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c))
            {
                key.Append(c);
            }
            else if (key.Length > 0 && key[^1] != '_')
            {
                // Anything else ('@', '.', '-', a space, a non-ASCII letter) would need quoting in a logfmt key, which
                // logfmt readers do not agree on; one underscore keeps the words apart instead.
                key.Append('_');
            }
        }
        var snake = key.ToString().TrimEnd('_');
        return snake switch
        {
            "" => "_",
            "error" or "err" or "exception" => Error,
            _ => snake,
        };
    }
}
