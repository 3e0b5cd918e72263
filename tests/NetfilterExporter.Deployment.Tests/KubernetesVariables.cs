using System.Text.RegularExpressions;

namespace NetfilterExporter.Deployment.Tests;

/// <summary>
/// The kubelet's expansion of $(NAME) in a container's command and args from the container's environment
/// ("dependent environment variables"): $$ is a literal $, and an undefined $(NAME) stays as it is.
/// </summary>
public static partial class KubernetesVariables
{
    /// <summary>
    /// Expands <paramref name="argument"/>; a reference left unexpanded fails, because the exporter would then
    /// be handed the literal text "$(NAME)".
    /// </summary>
    public static string Expand(ManifestNode argument, IReadOnlyDictionary<string, string> environment) =>
        ReferencePattern().Replace(argument.Value, match =>
        {
            if (match.Value == "$$")
            {
                return "$";
            }
            var name = match.Groups["name"].Value;
            return environment.TryGetValue(name, out var value)
                ? value
                : throw new ManifestException($"{argument.Location}: $({name}) is not in the container's env, so the kubelet would pass it literally");
        });

    [GeneratedRegex(@"\$\$|\$\((?<name>[A-Za-z_][A-Za-z0-9_]*)\)")]
    private static partial Regex ReferencePattern();
}
