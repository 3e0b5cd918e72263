using System.Globalization;

namespace NetfilterExporter.Iptables;

/// <summary>Reads the matches and target the hostPort analysis needs out of one tokenized rule.</summary>
public static class NatRuleReader
{
    private static readonly HashSet<string> OptionsWithValue =
    [
        "-p", "--protocol", "-d", "--destination", "-s", "--source", "-i", "-o", "-m", "--match",
        "--dport", "--destination-port", "--dports", "--destination-ports", "--sport", "--sports",
        "--comment", "-j", "--jump", "-g", "--goto", "--to-destination", "--to-source", "--to-ports",
    ];

    /// <param name="arguments">Tokens after "-A CHAIN".</param>
    /// <returns>The rule, or null with <paramref name="problem"/> set when an argument is malformed.</returns>
    public static NatRule? Read(string chain, int lineNumber, ulong packets, ulong bytes, List<string> arguments, out string? problem)
    {
        string? protocol = null, destination = null, comment = null, target = null, toDestination = null;
        var ports = new List<PortRange>();
        var negated = false;
        var negateNext = false;
        for (var i = 0; i < arguments.Count; i++)
        {
            var option = arguments[i];
            if (option == "!")
            {
                negateNext = true;
                continue;
            }
            var value = i + 1 < arguments.Count ? arguments[i + 1] : null;
            switch (option)
            {
                case "-p" or "--protocol":
                    protocol = value;
                    break;
                case "-d" or "--destination":
                    destination = value;
                    break;
                case "--dport" or "--destination-port" or "--dports" or "--destination-ports":
                    if (value is null || !TryReadPorts(value, ports))
                    {
                        problem = $"bad port list '{value}' after {option}";
                        return null;
                    }
                    break;
                case "--comment":
                    comment = value;
                    break;
                case "-j" or "--jump" or "-g" or "--goto":
                    target = value;
                    break;
                case "--to-destination":
                    toDestination = value;
                    break;
            }
            if (value is not null && OptionsWithValue.Contains(option))
            {
                // Skip the value so that a comment such as "-j DNAT" is never read as an option.
                i++;
            }
            // "! -d NET" (portmap's conditionsV4/V6) still claims the port for every other address, so only a negated
            // protocol or port makes a rule unusable for host-port claims; a negated destination just means "any".
            if (negateNext && option is "-d" or "--destination")
            {
                destination = null;
            }
            negated |= negateNext && option is "-p" or "--protocol"
                or "--dport" or "--destination-port" or "--dports" or "--destination-ports";
            negateNext = false;
        }
        problem = null;
        return new NatRule(chain, lineNumber, packets, bytes, arguments, protocol, destination, negated, ports, comment, target, toDestination);
    }

    private static bool TryReadPorts(string list, List<PortRange> ports)
    {
        foreach (var element in list.Split(','))
        {
            var colon = element.IndexOf(':');
            var first = colon < 0 ? element : element[..colon];
            var last = colon < 0 ? element : element[(colon + 1)..];
            if (!int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var from)
                || !int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var to)
                || from > 65535 || to > 65535 || from > to)
            {
                return false;
            }
            ports.Add(new PortRange(from, to));
        }
        return true;
    }
}
