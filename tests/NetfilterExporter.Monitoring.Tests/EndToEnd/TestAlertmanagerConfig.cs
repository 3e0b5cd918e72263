using NetfilterExporter.Monitoring.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace NetfilterExporter.Monitoring.Tests.EndToEnd;

/// <summary>
/// deploy/alertmanager/alertmanager.yml rewritten for the test: grouping waits of about a second and every
/// webhook sent to the test's receiver. Routes, matchers, receivers and the URL paths stay as written, so the
/// path a notification arrives on shows which receiver the example routed it to.
/// </summary>
public static class TestAlertmanagerConfig
{
    public static string Derive(string configPath, string groupTiming, Uri webhookReceiver)
    {
        var file = YamlFile.Load(configPath);
        var route = YamlFile.Optional(file.Root, "route") as YamlMappingNode
            ?? throw new InvalidDataException($"{file.Where(file.Root)}: 'route' is missing");
        YamlText.Set(route, "group_wait", groupTiming);
        YamlText.Set(route, "group_interval", groupTiming);
        ShortenNestedTimings(route, groupTiming);

        var webhooks = 0;
        foreach (var receiver in file.Sequence(file.Root, "receivers").Cast<YamlMappingNode>())
        {
            if (YamlFile.Optional(receiver, "webhook_configs") is not YamlSequenceNode configs)
            {
                continue;
            }
            foreach (var webhook in configs.Cast<YamlMappingNode>())
            {
                var original = new Uri(file.Scalar(webhook, "url"));
                YamlText.Set(webhook, "url", new Uri(webhookReceiver, original.PathAndQuery).ToString());
                webhooks++;
            }
        }
        return webhooks > 0 ? YamlText.Write(file.Root) : throw new InvalidDataException($"{configPath}: no receiver has a webhook the test could point at itself");
    }

    /// <summary>Child routes inherit the shortened timings unless they set their own, which are shortened too.</summary>
    private static void ShortenNestedTimings(YamlMappingNode route, string groupTiming)
    {
        if (YamlFile.Optional(route, "routes") is not YamlSequenceNode children)
        {
            return;
        }
        foreach (var child in children.Cast<YamlMappingNode>())
        {
            foreach (var key in (string[])["group_wait", "group_interval"])
            {
                if (YamlFile.Optional(child, key) is not null)
                {
                    YamlText.Set(child, key, groupTiming);
                }
            }
            ShortenNestedTimings(child, groupTiming);
        }
    }
}
