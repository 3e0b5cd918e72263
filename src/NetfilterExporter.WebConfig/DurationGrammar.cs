namespace NetfilterExporter.WebConfig;

/// <summary>
/// One of the two ways durations are written around a Prometheus exporter. Both are a sequence of a number and a
/// unit (1m30s), or "0" alone; they differ in the units and in what a number may be, which is all this holds.
/// </summary>
public sealed class DurationGrammar
{
    private DurationGrammar(string name, string examples, bool signed, bool fractions, int? maxDigits, (string Unit, long Nanoseconds)[] units)
    {
        Name = name;
        Examples = examples;
        Signed = signed;
        Fractions = fractions;
        MaxDigits = maxDigits;
        Units = units;
    }

    /// <summary>
    /// Prometheus's (flags, rule files): parts of 1 to 9 digits with ms, s, m, h, d, w or y, no sign, no fraction.
    /// Prometheus itself takes longer numbers as long as the sum fits; the 9 digits are what this exporter's flags
    /// have always accepted.
    /// </summary>
    public static DurationGrammar Prometheus { get; } = new("Prometheus", "500ms, 10s, 1h30m", signed: false, fractions: false, maxDigits: 9,
    [
        ("ms", 1_000_000), ("s", 1_000_000_000), ("m", 60_000_000_000), ("h", 3_600_000_000_000),
        ("d", 86_400_000_000_000), ("w", 7 * 86_400_000_000_000), ("y", 365 * 86_400_000_000_000),
    ]);

    /// <summary>
    /// Go's time.ParseDuration, which exporter-toolkit's YAML decoding uses for rate_limit.interval: an optional sign,
    /// decimal fractions, and ns, us (µs), ms, s, m or h.
    /// </summary>
    public static DurationGrammar Go { get; } = new("Go", "300ms, 1.5s, 1m30s", signed: true, fractions: true, maxDigits: null,
    [
        // Go accepts both the micro sign (U+00B5) and the Greek mu (U+03BC).
        ("ns", 1), ("us", 1_000), ("µs", 1_000), ("μs", 1_000), ("ms", 1_000_000),
        ("s", 1_000_000_000), ("m", 60_000_000_000), ("h", 3_600_000_000_000),
    ]);

    internal string Name { get; }

    internal string Examples { get; }

    internal bool Signed { get; }

    internal bool Fractions { get; }

    /// <summary>The most digits a number may have before its decimal point; null for no limit.</summary>
    internal int? MaxDigits { get; }

    internal IReadOnlyList<(string Unit, long Nanoseconds)> Units { get; }
}
