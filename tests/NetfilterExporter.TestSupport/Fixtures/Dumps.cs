using System.Text;
using NetfilterExporter.Iptables;
using NetfilterExporter.TestSupport;

namespace NetfilterExporter.TestSupport;

/// <summary>The saved dumps tests feed to the parser: examples/ and Fixtures/dumps/.</summary>
public static class Dumps
{
    public static string Example(string name) => File.ReadAllText(RepositoryPaths.Combine("examples", name));

    public static string Fixture(string name) => File.ReadAllText(RepositoryPaths.Combine("tests", "Fixtures", "dumps", name));

    public static Task<NatTable> ParseAsync(string text, string name = "test dump") =>
        NatTableParser.ParseAsync(new MemoryStream(Encoding.UTF8.GetBytes(text)), name, CancellationToken.None);
}
