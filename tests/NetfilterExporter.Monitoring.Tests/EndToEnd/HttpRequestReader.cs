using System.Globalization;
using System.Text;

namespace NetfilterExporter.Monitoring.Tests.EndToEnd;

/// <summary>
/// Reads one HTTP/1.1 request with a Content-Length body, which is all Alertmanager's webhook client sends
/// (it posts a buffered JSON document). Anything else is rejected with a message saying what was wrong.
/// </summary>
public static class HttpRequestReader
{
    private const int MaximumHeaderBytes = 64 * 1024;
    private static readonly byte[] HeaderEnd = "\r\n\r\n"u8.ToArray();

    public static async Task<ReceivedHttpRequest> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new List<byte>();
        var chunk = new byte[4096];
        int headerEnd;
        while ((headerEnd = IndexOf(buffer, HeaderEnd)) < 0)
        {
            if (buffer.Count > MaximumHeaderBytes)
            {
                throw new InvalidDataException($"request header longer than {MaximumHeaderBytes} bytes");
            }
            var read = await stream.ReadAsync(chunk, cancellationToken);
            if (read == 0)
            {
                throw new InvalidDataException("connection closed before the request header ended");
            }
            buffer.AddRange(chunk.AsSpan(0, read));
        }
        var headerLines = Encoding.ASCII.GetString(buffer.GetRange(0, headerEnd).ToArray()).Split("\r\n");
        var requestLine = headerLines[0].Split(' ');
        if (requestLine.Length != 3 || !requestLine[2].StartsWith("HTTP/1.", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"not an HTTP/1.x request line: '{headerLines[0]}'");
        }
        var length = ContentLength(headerLines.Skip(1));
        var body = buffer.GetRange(headerEnd + HeaderEnd.Length, buffer.Count - headerEnd - HeaderEnd.Length);
        while (body.Count < length)
        {
            var read = await stream.ReadAsync(chunk, cancellationToken);
            if (read == 0)
            {
                throw new InvalidDataException($"connection closed after {body.Count} of {length} body bytes");
            }
            body.AddRange(chunk.AsSpan(0, read));
        }
        return new ReceivedHttpRequest(requestLine[0], requestLine[1], Encoding.UTF8.GetString(body.ToArray(), 0, length));
    }

    private static int ContentLength(IEnumerable<string> headers)
    {
        foreach (var header in headers)
        {
            var colon = header.IndexOf(':');
            var name = colon < 0 ? header : header[..colon].Trim();
            if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidDataException($"unsupported header '{header}': only Content-Length bodies are read");
            }
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                return int.Parse(header[(colon + 1)..].Trim(), NumberStyles.None, CultureInfo.InvariantCulture);
            }
        }
        return 0;
    }

    private static int IndexOf(List<byte> buffer, byte[] pattern)
    {
        for (var start = 0; start + pattern.Length <= buffer.Count; start++)
        {
            var matches = true;
            for (var offset = 0; offset < pattern.Length && matches; offset++)
            {
                matches = buffer[start + offset] == pattern[offset];
            }
            if (matches)
            {
                return start;
            }
        }
        return -1;
    }
}
