using System.CommandLine;
using System.CommandLine.Invocation;
using NetfilterExporter.Instrumentation;

namespace NetfilterExporter.Configuration;

/// <summary>--version: the version with the revision and the runtime, as node_exporter prints them, not only the assembly version the library's own action prints.</summary>
public sealed class ExporterVersionAction : SynchronousCommandLineAction
{
    public override int Invoke(ParseResult parseResult)
    {
        var build = BuildInfo.FromAssembly();
        parseResult.InvocationConfiguration.Output.Write($"netfilter-exporter {build.Version} (revision {build.Revision}, .NET {build.DotnetVersion})\n");
        return 0;
    }
}
