using System.Buffers;
using System.Globalization;
using System.Text;

namespace NetfilterExporter.Iptables;

/// <summary>
/// Streams iptables-save output (with or without -c) into a <see cref="NatTable"/>. The dump is read in
/// pooled byte blocks and never held whole; a rule outside the CNI chains costs a prefix check and a
/// vectorised search for "CNI-", so the KUBE-* bulk of a large table is skipped without allocating per rule.
/// Any line that is not iptables-save output fails the whole dump, naming the line: no partial tables.
/// </summary>
public static class NatTableParser
{
    private const int InitialBufferSize = 64 * 1024;
    private const int MaxLineLength = 1024 * 1024;

    public static async Task<NatTable> ParseAsync(Stream dump, string dumpName, CancellationToken cancellationToken)
    {
        using var declaredChains = new DeclaredChains();
        var state = new ParserState(dumpName, declaredChains);
        var buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
        try
        {
            var filled = 0;
            while (true)
            {
                var read = await dump.ReadAsync(buffer.AsMemory(filled), cancellationToken);
                filled += read;
                var consumed = ConsumeLines(buffer.AsSpan(0, filled), state, endOfInput: read == 0);
                filled -= consumed;
                buffer.AsSpan(consumed, filled).CopyTo(buffer);
                if (read == 0)
                {
                    return state.Finish();
                }
                if (filled == buffer.Length)
                {
                    if (buffer.Length >= MaxLineLength)
                    {
                        throw new DumpFormatException(dumpName, state.LineNumber + 1, $"line longer than {MaxLineLength} bytes");
                    }
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, filled).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static int ConsumeLines(ReadOnlySpan<byte> data, ParserState state, bool endOfInput)
    {
        var consumed = 0;
        while (consumed < data.Length)
        {
            var rest = data[consumed..];
            var newline = rest.IndexOf((byte)'\n');
            if (newline < 0)
            {
                if (!endOfInput)
                {
                    break;
                }
                newline = rest.Length;
            }
            state.ReadLine(rest[..newline]);
            consumed += Math.Min(newline + 1, rest.Length);
        }
        return consumed;
    }

    private sealed class ParserState(string dumpName, DeclaredChains declaredChains)
    {
        private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

        private readonly Dictionary<string, List<NatRule>> cniChains = new(StringComparer.Ordinal);
        private readonly HashSet<string> referencedCniChains = new(StringComparer.Ordinal);
        private string? currentTable;
        private int currentTableLine;
        private bool natSeen;
        private int natRules;

        public int LineNumber { get; private set; }

        private bool InNat => currentTable == "nat";

        public void ReadLine(ReadOnlySpan<byte> line)
        {
            LineNumber++;
            if (!line.IsEmpty && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }
            if (line.IsEmpty)
            {
                return;
            }
            switch (line[0])
            {
                case (byte)'#':
                    break;
                case (byte)'*':
                    StartTable(line[1..]);
                    break;
                case (byte)':':
                    DeclareChain(line[1..]);
                    break;
                case (byte)'[':
                    ReadCountedRule(line);
                    break;
                case (byte)'-':
                    ReadRule(line, 0, 0);
                    break;
                default:
                    if (line.SequenceEqual("COMMIT"u8))
                    {
                        EndTable();
                        break;
                    }
                    throw Fail($"not iptables-save output: '{Printable(line)}'");
            }
        }

        public NatTable Finish()
        {
            if (currentTable is not null)
            {
                throw Fail($"dump ends inside table '{currentTable}' started at line {currentTableLine}: no COMMIT (truncated?)");
            }
            var chains = cniChains.ToDictionary(pair => pair.Key, pair => (IReadOnlyList<NatRule>)pair.Value, StringComparer.Ordinal);
            return natSeen ? new NatTable(true, natRules, chains, referencedCniChains) : NatTable.Empty;
        }

        private void StartTable(ReadOnlySpan<byte> name)
        {
            if (currentTable is not null)
            {
                throw Fail($"table '{Printable(name)}' starts before table '{currentTable}' (line {currentTableLine}) was committed");
            }
            if (name.IsEmpty || name.IndexOfAny(" \t"u8) >= 0)
            {
                throw Fail($"bad table name '{Printable(name)}'");
            }
            currentTable = Utf8.GetString(name);
            currentTableLine = LineNumber;
            if (InNat)
            {
                if (natSeen)
                {
                    throw Fail("a second nat table in one dump");
                }
                natSeen = true;
            }
        }

        private void EndTable()
        {
            if (currentTable is null)
            {
                throw Fail("COMMIT outside a table");
            }
            currentTable = null;
        }

        private void DeclareChain(ReadOnlySpan<byte> declaration)
        {
            RequireTable("chain declaration");
            // ":NAME POLICY [packets:bytes]"; the policy is "-" for user chains.
            var space = declaration.IndexOf((byte)' ');
            if (space <= 0)
            {
                throw Fail($"bad chain declaration ':{Printable(declaration)}'");
            }
            if (!InNat)
            {
                return;
            }
            var name = declaration[..space];
            if (!declaredChains.Add(name))
            {
                throw Fail($"chain '{Utf8.GetString(name)}' declared twice");
            }
            if (name.StartsWith("CNI-"u8))
            {
                cniChains[Utf8.GetString(name)] = [];
            }
        }

        private void ReadCountedRule(ReadOnlySpan<byte> line)
        {
            var close = line.IndexOf((byte)']');
            var colon = line.IndexOf((byte)':');
            if (close < 0 || colon < 0 || colon > close
                || !ulong.TryParse(line[1..colon], NumberStyles.None, CultureInfo.InvariantCulture, out var packets)
                || !ulong.TryParse(line[(colon + 1)..close], NumberStyles.None, CultureInfo.InvariantCulture, out var bytes)
                || close + 2 > line.Length || line[close + 1] != (byte)' ')
            {
                throw Fail($"bad counter prefix in '{Printable(line)}'");
            }
            ReadRule(line[(close + 2)..], packets, bytes);
        }

        private void ReadRule(ReadOnlySpan<byte> rule, ulong packets, ulong bytes)
        {
            RequireTable("rule");
            if (!rule.StartsWith("-A "u8))
            {
                throw Fail($"expected '-A CHAIN …', found '{Printable(rule)}'");
            }
            var afterAppend = rule[3..];
            var space = afterAppend.IndexOf((byte)' ');
            var chainName = space < 0 ? afterAppend : afterAppend[..space];
            if (chainName.IsEmpty)
            {
                throw Fail("rule without a chain name");
            }
            if (!InNat)
            {
                return;
            }
            natRules++;
            var isCniChain = chainName.StartsWith("CNI-"u8);
            if (!isCniChain && rule.IndexOf("CNI-"u8) < 0)
            {
                // The common case on a kube-proxy node: nothing of interest, nothing allocated.
                return;
            }
            var chain = Utf8.GetString(chainName);
            if (!declaredChains.Contains(chainName))
            {
                throw Fail($"rule for chain '{chain}' that was not declared");
            }
            var text = space < 0 ? "" : Utf8.GetString(afterAppend[(space + 1)..]);
            var arguments = RuleTokenizer.Tokenize(text, out var quoteProblem) ?? throw Fail(quoteProblem!);
            var parsed = NatRuleReader.Read(chain, LineNumber, packets, bytes, arguments, out var problem) ?? throw Fail(problem!);
            if (parsed.Target is { } target && target.StartsWith("CNI-", StringComparison.Ordinal))
            {
                referencedCniChains.Add(target);
            }
            if (isCniChain)
            {
                cniChains[chain].Add(parsed);
            }
        }

        private void RequireTable(string what)
        {
            if (currentTable is null)
            {
                throw Fail($"{what} outside a table (missing '*nat'?)");
            }
        }

        private DumpFormatException Fail(string problem) => new(dumpName, LineNumber, problem);

        private static string Printable(ReadOnlySpan<byte> bytes)
        {
            var text = Utf8.GetString(bytes.Length > 80 ? bytes[..80] : bytes);
            var clean = new StringBuilder(text.Length);
            foreach (var c in text)
            {
                clean.Append(char.IsControl(c) || c == '\uFFFD' ? '?' : c);
            }
            return bytes.Length > 80 ? clean + "…" : clean.ToString();
        }
    }
}
