using System.Reflection;

namespace NetfilterExporter.Instrumentation;

/// <summary>Version and git revision baked into the assembly ("0.1.0+&lt;sha&gt;" from the SDK's source revision).</summary>
public sealed record BuildInfo(string Version, string Revision, string DotnetVersion)
{
    public static BuildInfo FromAssembly()
    {
        var informational = typeof(BuildInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        var plus = informational.IndexOf('+');
        var version = plus < 0 ? informational : informational[..plus];
        var revision = plus < 0 ? "unknown" : informational[(plus + 1)..];
        return new BuildInfo(version, revision, Environment.Version.ToString());
    }
}
