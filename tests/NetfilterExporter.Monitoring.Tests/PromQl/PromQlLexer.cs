using System.Text;

namespace NetfilterExporter.Monitoring.Tests.PromQl;

/// <summary>
/// Splits a PromQL expression (as written in a Grafana panel, with $variables) into tokens. Syntax
/// validity is promtool's job; this only has to find selectors, matchers and ranges for the lint rules.
/// </summary>
public static class PromQlLexer
{
    private static readonly string[] TwoCharacterOperators = ["!=", "=~", "!~", "==", "<=", ">="];

    public static IReadOnlyList<PromQlToken> Tokenize(string expression)
    {
        var tokens = new List<PromQlToken>();
        var position = 0;
        while (position < expression.Length)
        {
            var current = expression[position];
            if (char.IsWhiteSpace(current))
            {
                position++;
            }
            else if (current == '#')
            {
                var end = expression.IndexOf('\n', position);
                position = end < 0 ? expression.Length : end;
            }
            else if (current is '"' or '\'' or '`')
            {
                tokens.Add(ReadString(expression, ref position));
            }
            else if (current == '$')
            {
                tokens.Add(ReadVariable(expression, ref position));
            }
            else if (char.IsAsciiDigit(current) || (current == '.' && position + 1 < expression.Length && char.IsAsciiDigit(expression[position + 1])))
            {
                tokens.Add(Read(expression, ref position, PromQlTokenKind.Number, character => char.IsAsciiLetterOrDigit(character) || character == '.'));
            }
            else if (char.IsAsciiLetter(current) || current is '_' or ':')
            {
                tokens.Add(Read(expression, ref position, PromQlTokenKind.Identifier, character => char.IsAsciiLetterOrDigit(character) || character is '_' or ':'));
            }
            else
            {
                var length = position + 1 < expression.Length && TwoCharacterOperators.Contains(expression.Substring(position, 2)) ? 2 : 1;
                if (length == 1 && "(){}[],=+-*/%^<>@:!".IndexOf(current) < 0)
                {
                    throw new FormatException($"unexpected character '{current}' at position {position} of '{expression}'");
                }
                tokens.Add(new PromQlToken(PromQlTokenKind.Punctuation, expression.Substring(position, length), position));
                position += length;
            }
        }
        return tokens;
    }

    private static PromQlToken Read(string expression, ref int position, PromQlTokenKind kind, Func<char, bool> belongs)
    {
        var start = position;
        while (position < expression.Length && belongs(expression[position]))
        {
            position++;
        }
        return new PromQlToken(kind, expression[start..position], start);
    }

    private static PromQlToken ReadVariable(string expression, ref int position)
    {
        var start = position;
        position++;
        if (position < expression.Length && expression[position] == '{')
        {
            var end = expression.IndexOf('}', position);
            if (end < 0)
            {
                throw new FormatException($"unclosed ${{ at position {start} of '{expression}'");
            }
            position = end + 1;
            return new PromQlToken(PromQlTokenKind.GrafanaVariable, expression[start..position], start);
        }
        while (position < expression.Length && (char.IsAsciiLetterOrDigit(expression[position]) || expression[position] == '_'))
        {
            position++;
        }
        return new PromQlToken(PromQlTokenKind.GrafanaVariable, expression[start..position], start);
    }

    private static PromQlToken ReadString(string expression, ref int position)
    {
        var start = position;
        var quote = expression[position++];
        var value = new StringBuilder();
        while (position < expression.Length && expression[position] != quote)
        {
            if (expression[position] == '\\' && quote != '`' && position + 1 < expression.Length)
            {
                position++;
            }
            value.Append(expression[position++]);
        }
        if (position >= expression.Length)
        {
            throw new FormatException($"unterminated string at position {start} of '{expression}'");
        }
        position++;
        return new PromQlToken(PromQlTokenKind.String, value.ToString(), start);
    }
}
