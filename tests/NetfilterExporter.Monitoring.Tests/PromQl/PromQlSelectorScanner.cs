using System.Collections.Frozen;

namespace NetfilterExporter.Monitoring.Tests.PromQl;

/// <summary>
/// Finds every vector selector of a PromQL expression with its matchers, its range and the function that
/// directly encloses it: what dashboard-linter's job/instance, rate-interval and counter rules inspect.
/// </summary>
public static class PromQlSelectorScanner
{
    private static readonly FrozenSet<string> LabelListKeywords = FrozenSet.Create(StringComparer.Ordinal, "by", "without", "on", "ignoring", "group_left", "group_right");

    private static readonly FrozenSet<string> Keywords = FrozenSet.Create(StringComparer.Ordinal, ["and", "or", "unless", "bool", "offset", "atan2", "inf", "nan", .. LabelListKeywords]);

    private static readonly FrozenSet<string> Aggregations = FrozenSet.Create(
        StringComparer.Ordinal, "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk", "topk", "quantile", "limitk", "limit_ratio");

    public static IReadOnlyList<PromQlSelector> Scan(string expression)
    {
        var tokens = PromQlLexer.Tokenize(expression);
        var selectors = new List<PromQlSelector>();
        var openCalls = new Stack<string?>();
        string? aggregationAwaitingArguments = null;
        var index = 0;
        while (index < tokens.Count)
        {
            var token = tokens[index];
            if (token.Kind == PromQlTokenKind.Identifier && LabelListKeywords.Contains(token.Text) && IsPunctuation(tokens, index + 1, "("))
            {
                index = SkipPast(tokens, index + 1, ")");
            }
            else if (token.Kind == PromQlTokenKind.Identifier && IsPunctuation(tokens, index + 1, "("))
            {
                openCalls.Push(token.Text);
                index += 2;
            }
            else if (token.Kind == PromQlTokenKind.Identifier && Aggregations.Contains(token.Text))
            {
                // "sum by (label) (expr)": the call's parenthesis comes after the label list.
                aggregationAwaitingArguments = token.Text;
                index++;
            }
            else if (token.Kind == PromQlTokenKind.Identifier && !Keywords.Contains(token.Text))
            {
                index = ReadSelector(tokens, index + 1, token.Text, openCalls, selectors);
            }
            else if (IsPunctuation(tokens, index, "{"))
            {
                index = ReadSelector(tokens, index, null, openCalls, selectors);
            }
            else if (IsPunctuation(tokens, index, "("))
            {
                openCalls.Push(aggregationAwaitingArguments);
                aggregationAwaitingArguments = null;
                index++;
            }
            else if (IsPunctuation(tokens, index, ")"))
            {
                if (openCalls.Count == 0)
                {
                    throw new FormatException($"unbalanced ')' at position {token.Position} of '{expression}'");
                }
                openCalls.Pop();
                index++;
            }
            else
            {
                index++;
            }
        }
        return selectors;
    }

    private static int ReadSelector(IReadOnlyList<PromQlToken> tokens, int index, string? metricName, Stack<string?> openCalls, List<PromQlSelector> selectors)
    {
        var matchers = new List<PromQlMatcher>();
        if (IsPunctuation(tokens, index, "{"))
        {
            index++;
            while (!IsPunctuation(tokens, index, "}"))
            {
                if (index + 2 >= tokens.Count)
                {
                    throw new FormatException($"unterminated label matchers after position {tokens[^1].Position}");
                }
                matchers.Add(new PromQlMatcher(tokens[index].Text, tokens[index + 1].Text, tokens[index + 2].Text));
                index += 3;
                if (IsPunctuation(tokens, index, ","))
                {
                    index++;
                }
            }
            index++;
        }
        string? range = null;
        if (IsPunctuation(tokens, index, "["))
        {
            var end = SkipPast(tokens, index, "]");
            range = string.Concat(tokens.Skip(index + 1).Take(end - index - 2).Select(token => token.Text));
            index = end;
        }
        selectors.Add(new PromQlSelector(metricName, matchers, range, openCalls.Count > 0 ? openCalls.Peek() : null));
        return index;
    }

    private static bool IsPunctuation(IReadOnlyList<PromQlToken> tokens, int index, string text) =>
        index < tokens.Count && tokens[index].Kind == PromQlTokenKind.Punctuation && tokens[index].Text == text;

    private static int SkipPast(IReadOnlyList<PromQlToken> tokens, int index, string closing)
    {
        while (index < tokens.Count && !IsPunctuation(tokens, index, closing))
        {
            index++;
        }
        if (index >= tokens.Count)
        {
            throw new FormatException($"missing '{closing}'");
        }
        return index + 1;
    }
}
