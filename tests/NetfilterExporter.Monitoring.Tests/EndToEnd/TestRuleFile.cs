using NetfilterExporter.Monitoring.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace NetfilterExporter.Monitoring.Tests.EndToEnd;

/// <summary>
/// The project's rule file with every `for:` shortened, so alerts fire within seconds; expressions, labels and
/// annotations are kept as written, so the test exercises the real rules and templates.
/// </summary>
public static class TestRuleFile
{
    public static string Derive(string rulesPath, string shortenedFor)
    {
        var file = YamlFile.Load(rulesPath);
        var shortened = 0;
        foreach (var group in file.Sequence(file.Root, "groups").Cast<YamlMappingNode>())
        {
            foreach (var rule in file.Sequence(group, "rules").Cast<YamlMappingNode>())
            {
                if (YamlFile.Optional(rule, "for") is not null)
                {
                    YamlText.Set(rule, "for", shortenedFor);
                    shortened++;
                }
            }
        }
        return shortened > 0 ? YamlText.Write(file.Root) : throw new InvalidDataException($"{rulesPath}: no rule has a 'for' to shorten");
    }
}
