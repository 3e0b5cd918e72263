namespace NetfilterExporter.Findings;

/// <summary>Booleans as `check` and the findings print them for people.</summary>
public static class YesNo
{
    public static string Of(bool value) => value ? "yes" : "no";
}
