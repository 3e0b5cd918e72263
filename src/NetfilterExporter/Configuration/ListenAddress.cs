using System.Globalization;
using System.Net;

namespace NetfilterExporter.Configuration;

/// <summary>A --web.listen-address value: ":10066" (all interfaces), "127.0.0.1:10066", "[::1]:10066", "localhost:10066".</summary>
public sealed record ListenAddress(IPAddress? Address, bool Localhost, int Port)
{
    public static ListenAddress Parse(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            throw new UsageException($"--{Flags.ListenAddress}: '{text}' is not HOST:PORT (e.g. :10066, 127.0.0.1:10066, [::1]:10066)");
        }
        var host = text[..colon];
        if (host.Length == 0)
        {
            return new ListenAddress(null, false, port);
        }
        if (host == "localhost")
        {
            return new ListenAddress(null, true, port);
        }
        var bare = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        return IPAddress.TryParse(bare, out var address)
            ? new ListenAddress(address, false, port)
            : throw new UsageException($"--{Flags.ListenAddress}: '{host}' is not an IP address (host names other than localhost are not resolved)");
    }
}
