using System.Text;

namespace NetfilterExporter.Tests.Reliability;

/// <summary>
/// Deterministic mutations of real iptables-save dumps: byte flips, cut and repeated lines, splices between dumps,
/// extreme numbers and the tokens that matter to the parser and analyzer (quotes, escapes, CNI jumps, ranges).
/// The same seed always yields the same inputs, so a failure names the seed and input number that reproduce it.
/// </summary>
public sealed class DumpMutator(IReadOnlyList<byte[]> seeds, int seed)
{
    private static readonly byte[][] Tokens =
    [
        .. new[]
        {
            "\"", "\\", "\\\"", "}", "{", "=", ",", " ", "!", "[", "]", ":", "\r", "\t", "\n", "-A ", "CNI-", "CNI-DN-", "CNI-HOSTPORT-DNAT",
            "*nat\n", "*filter\n", "COMMIT\n", ":CNI-DN-fuzz - [0:0]\n", "--dport ", "--dports ", "--sport 1:2 ", "-m multiport ",
            "-j DNAT --to-destination ", "-j CNI-HOSTPORT-DNAT", "-j CNI-DN-fuzz", "-m comment --comment \"", "dnat name: \\\"", "\\\" id: \\\"",
            "-p udp ", "-p sctp ", "-p all ", "-d ::1/128 ", "-d 10.0.0.1/32 ", "! -d 10.0.0.1/32 ", "0:65535", "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16",
            "[1:2] ", "[18446744073709551615:18446744073709551615] ", "--to-destination [fd00::1]:99999 ",
            "-A CNI-DN-fuzz -j CNI-DN-fuzz\n", "-A CNI-HOSTPORT-DNAT -p tcp -m multiport --dports 1:65535 -j CNI-HOSTPORT-DNAT\n",
        }.Select(Encoding.UTF8.GetBytes),
        [0xFF], [0xFE, 0xFF], [0xC3], [0xE2, 0x82], [0x00], [0xF0, 0x9F, 0x92, 0xA9],
        Encoding.ASCII.GetBytes(new string('A', 5000)),
    ];

    private static readonly string[] ExtremeNumbers = ["0", "1", "65535", "65536", "-1", "4294967296", "18446744073709551615", "18446744073709551616", "99999999999999999999999", "1e9", "0x50"];

    private readonly Random random = new(seed);

    public byte[] Next() => Mutate(seeds[random.Next(seeds.Count)]);

    /// <summary>One to four of the mutations applied to <paramref name="input"/> (e.g. an input another mutator made).</summary>
    public byte[] Mutate(byte[] input)
    {
        var data = new List<byte>(input);
        var mutations = 1 + random.Next(4);
        for (var i = 0; i < mutations; i++)
        {
            Mutate(data);
        }
        return [.. data];
    }

    private void Mutate(List<byte> data)
    {
        switch (random.Next(12))
        {
            case 0 when data.Count > 0:
                data[random.Next(data.Count)] ^= (byte)(1 << random.Next(8));
                break;
            case 1 when data.Count > 0:
                data[random.Next(data.Count)] = (byte)random.Next(256);
                break;
            case 2:
                var inserted = new byte[1 + random.Next(8)];
                random.NextBytes(inserted);
                data.InsertRange(random.Next(data.Count + 1), inserted);
                break;
            case 3 when data.Count > 0:
                var start = random.Next(data.Count);
                data.RemoveRange(start, Math.Min(data.Count - start, 1 + random.Next(64)));
                break;
            case 4:
                data.InsertRange(random.Next(data.Count + 1), Tokens[random.Next(Tokens.Length)]);
                break;
            case 5:
                RewriteLines(data, lines => lines.Insert(random.Next(lines.Count + 1), lines[random.Next(lines.Count)]));
                break;
            case 6:
                RewriteLines(data, lines => lines.RemoveAt(random.Next(lines.Count)));
                break;
            case 7:
                RewriteLines(data, lines =>
                {
                    var (a, b) = (random.Next(lines.Count), random.Next(lines.Count));
                    (lines[a], lines[b]) = (lines[b], lines[a]);
                });
                break;
            case 8:
                var donor = Lines(seeds[random.Next(seeds.Count)]);
                RewriteLines(data, lines => lines.Insert(random.Next(lines.Count + 1), donor[random.Next(donor.Count)]));
                break;
            case 9:
                ReplaceNumber(data);
                break;
            case 10 when data.Count > 0:
                var cut = random.Next(data.Count);
                data.RemoveRange(cut, data.Count - cut);
                break;
            default:
                // Repeat a line many times: the shape of a node with thousands of stale jumps.
                RewriteLines(data, lines =>
                {
                    var line = lines[random.Next(lines.Count)];
                    lines.InsertRange(random.Next(lines.Count + 1), Enumerable.Repeat(line, 1 + random.Next(200)));
                });
                break;
        }
    }

    private void ReplaceNumber(List<byte> data)
    {
        var digits = Enumerable.Range(0, data.Count).Where(i => data[i] is >= (byte)'0' and <= (byte)'9' && (i == 0 || data[i - 1] is < (byte)'0' or > (byte)'9')).ToList();
        if (digits.Count == 0)
        {
            return;
        }
        var start = digits[random.Next(digits.Count)];
        var end = start;
        while (end < data.Count && data[end] is >= (byte)'0' and <= (byte)'9')
        {
            end++;
        }
        data.RemoveRange(start, end - start);
        data.InsertRange(start, Encoding.ASCII.GetBytes(ExtremeNumbers[random.Next(ExtremeNumbers.Length)]));
    }

    private static void RewriteLines(List<byte> data, Action<List<byte[]>> change)
    {
        var lines = Lines([.. data]);
        if (lines.Count == 0)
        {
            return;
        }
        change(lines);
        data.Clear();
        foreach (var line in lines)
        {
            data.AddRange(line);
            data.Add((byte)'\n');
        }
    }

    private static List<byte[]> Lines(byte[] data)
    {
        var lines = new List<byte[]>();
        var start = 0;
        for (var i = 0; i <= data.Length; i++)
        {
            if (i == data.Length || data[i] == (byte)'\n')
            {
                if (i > start || i < data.Length)
                {
                    lines.Add(data[start..i]);
                }
                start = i + 1;
            }
        }
        return lines;
    }
}
