namespace NetfilterExporter.Exposition;

/// <summary>
/// One series of a family. Counters read from the kernel are 64-bit integers; <see cref="ExactValue"/> keeps
/// them so they are written digit for digit instead of through a double.
/// </summary>
public sealed record MetricSample(IReadOnlyList<KeyValuePair<string, string>> Labels, double Value, ulong? ExactValue = null)
{
    public static MetricSample Of(double value, params (string Name, string Value)[] labels) =>
        new(ToPairs(labels), value);

    public static MetricSample OfCount(ulong value, params (string Name, string Value)[] labels) =>
        new(ToPairs(labels), value, value);

    private static KeyValuePair<string, string>[] ToPairs((string Name, string Value)[] labels) =>
        Array.ConvertAll(labels, label => KeyValuePair.Create(label.Name, label.Value));
}
