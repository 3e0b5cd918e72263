using System.Buffers;

namespace NetfilterExporter.WebConfig;

/// <summary>
/// Reads a duration in either <see cref="DurationGrammar"/> with one scanner, so the two agree on all they share:
/// parts of a number and a unit such as 1m30s, "0" alone for zero, nothing else around them (no space, no
/// newline), and a duration beyond <see cref="TimeSpan"/> refused like any other bad value rather than thrown.
/// </summary>
/// <remarks>Read by hand rather than with a regex: the exporter then starts without loading the regex engine.</remarks>
public static class Duration
{
    private const long NanosecondsPerTick = 100;

    // Beyond this a number, a part or the sum is more than TimeSpan holds. Bounding each number by it keeps the
    // arithmetic inside Int128: 9.2 × 10^20 times a year in nanoseconds is below 10^38.
    private static readonly Int128 MaxNanoseconds = (Int128)TimeSpan.MaxValue.Ticks * NanosecondsPerTick + (NanosecondsPerTick - 1);

    // Further digits of a fraction are below a nanosecond even of an hour; Go drops them too.
    private const int MaxFractionDigits = 18;

    // A unit runs up to the next number, so "10sm" is the unknown unit "sm", not 10s and a stray m.
    private static readonly SearchValues<char> NumberCharacters = SearchValues.Create("0123456789.");

    /// <exception cref="FormatException">The text is not a duration in <paramref name="grammar"/>.</exception>
    public static TimeSpan Parse(string text, DurationGrammar grammar) =>
        TryParse(text, grammar, out var duration) ? duration
            : throw new FormatException($"'{text}' is not a {grammar.Name} duration (e.g. {grammar.Examples})");

    /// <param name="duration">Zero when the text is not a duration.</param>
    public static bool TryParse(string text, DurationGrammar grammar, out TimeSpan duration)
    {
        var nanoseconds = Scan(text, grammar);
        // Whole ticks, truncated toward zero: 150ns is one tick.
        duration = nanoseconds is { } value ? TimeSpan.FromTicks((long)(value / NanosecondsPerTick)) : TimeSpan.Zero;
        return nanoseconds is not null;
    }

    /// <returns>The duration in nanoseconds, Go's unit, so that fractions stay exact; null when it is not one.</returns>
    private static Int128? Scan(ReadOnlySpan<char> rest, DurationGrammar grammar)
    {
        var negative = false;
        if (grammar.Signed && rest is ['-' or '+', ..])
        {
            negative = rest[0] == '-';
            rest = rest[1..];
        }
        if (rest is "0")
        {
            return Int128.Zero;
        }
        if (rest.IsEmpty)
        {
            return null;
        }
        Int128 total = 0;
        while (!rest.IsEmpty)
        {
            if (ReadNumber(ref rest, grammar) is not var (whole, fraction, scale))
            {
                return null;
            }
            var unitLength = rest.IndexOfAny(NumberCharacters);
            var unit = unitLength < 0 ? rest : rest[..unitLength];
            if (NanosecondsPer(unit, grammar) is not { } perUnit)
            {
                return null;
            }
            rest = rest[unit.Length..];
            total += whole * perUnit + fraction * perUnit / scale;
            if (total > MaxNanoseconds)
            {
                return null;
            }
        }
        return negative ? -total : total;
    }

    /// <summary>The number at the start of <paramref name="rest"/>, which then starts after it.</summary>
    /// <returns>Its whole part, and its fraction as <c>Fraction / Scale</c>; null when there is no number the grammar allows.</returns>
    private static (Int128 Whole, long Fraction, long Scale)? ReadNumber(ref ReadOnlySpan<char> rest, DurationGrammar grammar)
    {
        var digits = LeadingDigits(rest);
        if (digits > grammar.MaxDigits)
        {
            return null;
        }
        Int128 whole = 0;
        foreach (var digit in rest[..digits])
        {
            whole = whole * 10 + (digit - '0');
            if (whole > MaxNanoseconds)
            {
                return null;
            }
        }
        rest = rest[digits..];
        long fraction = 0;
        long scale = 1;
        var fractionDigits = 0;
        if (grammar.Fractions && rest is ['.', ..])
        {
            fractionDigits = LeadingDigits(rest[1..]);
            foreach (var digit in rest.Slice(1, Math.Min(fractionDigits, MaxFractionDigits)))
            {
                fraction = fraction * 10 + (digit - '0');
                scale *= 10;
            }
            rest = rest[(1 + fractionDigits)..];
        }
        // As in Go, "1." and ".5" are numbers but "." alone is not.
        return digits + fractionDigits > 0 ? (whole, fraction, scale) : null;
    }

    private static int LeadingDigits(ReadOnlySpan<char> text)
    {
        var end = text.IndexOfAnyExceptInRange('0', '9');
        return end < 0 ? text.Length : end;
    }

    private static long? NanosecondsPer(ReadOnlySpan<char> unit, DurationGrammar grammar)
    {
        foreach (var (name, nanoseconds) in grammar.Units)
        {
            if (unit.SequenceEqual(name))
            {
                return nanoseconds;
            }
        }
        return null;
    }
}
