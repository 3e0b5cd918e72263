using System.Text;

namespace NetfilterExporter.Unit.Tests.Logging;

/// <summary>
/// Reads one logfmt line back into its keys and values, in order, as a log pipeline would: bare values end at a
/// space, quoted ones at an unescaped quote, with \" \\ and \n undone. Strict, so a line it reads is well formed.
/// </summary>
internal static class LogfmtReader
{
    public static IReadOnlyList<KeyValuePair<string, string>> Read(string line)
    {
        Assert.EndsWith("\n", line, StringComparison.Ordinal);
        Assert.Single(line.TrimEnd('\n').Split('\n'));
        var fields = new List<KeyValuePair<string, string>>();
        var text = line.TrimEnd('\n');
        var at = 0;
        while (at < text.Length)
        {
            var equals = text.IndexOf('=', at);
            Assert.True(equals > at, $"no key at {at} in: {text}");
            var key = text[at..equals];
            Assert.DoesNotContain(key, c => c is ' ' or '"' || char.IsControl(c));
            at = equals + 1;
            string value;
            if (at < text.Length && text[at] == '"')
            {
                var read = new StringBuilder();
                at++;
                while (text[at] != '"')
                {
                    if (text[at] == '\\')
                    {
                        at++;
                        read.Append(text[at] switch
                        {
                            'n' => '\n',
                            '"' => '"',
                            '\\' => '\\',
                            var other => throw new FormatException($"unknown escape \\{other} in: {text}"),
                        });
                    }
                    else
                    {
                        read.Append(text[at]);
                    }
                    at++;
                }
                at++;
                value = read.ToString();
            }
            else
            {
                var end = text.IndexOf(' ', at);
                end = end < 0 ? text.Length : end;
                value = text[at..end];
                Assert.DoesNotContain(value, c => c is '"' or '=');
                at = end;
            }
            fields.Add(new KeyValuePair<string, string>(key, value));
            if (at < text.Length)
            {
                Assert.Equal(' ', text[at]);
                at++;
            }
        }
        return fields;
    }
}
