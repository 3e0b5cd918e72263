using System.Collections;
using CliWrap.Builders;

namespace NetfilterExporter.Processes;

/// <summary>
/// A command's whole environment. CliWrap layers its variables on the exporter's own environment, so every
/// inherited variable is set to null (removed) first: nothing that could leak secrets or change a command's
/// behaviour reaches it.
/// </summary>
public static class ExplicitEnvironment
{
    /// <summary>What the save commands need: a C locale so their output does not depend on the node's language, and a PATH.</summary>
    public static IReadOnlyDictionary<string, string> Minimal { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["LC_ALL"] = "C",
        ["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    }.AsReadOnly();

    /// <summary>For <c>Command.WithEnvironmentVariables</c>.</summary>
    public static Action<EnvironmentVariablesBuilder> Exactly(IReadOnlyDictionary<string, string> variables) => builder =>
    {
        foreach (DictionaryEntry inherited in Environment.GetEnvironmentVariables())
        {
            builder.Set((string)inherited.Key, null);
        }
        foreach (var (name, value) in variables)
        {
            builder.Set(name, value);
        }
    };
}
