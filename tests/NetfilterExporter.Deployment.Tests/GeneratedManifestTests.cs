using System.Text;
using System.Text.Json;

namespace NetfilterExporter.Deployment.Tests;

/// <summary>The committed PrometheusRule and dashboard ConfigMaps are exactly what generate.sh makes of alerts/ and dashboards/.</summary>
public sealed class GeneratedManifestTests
{
    // Plain `kubectl apply` keeps a copy of the object in an annotation, and annotations are limited to 256 KiB.
    private const int ClientSideApplyLimit = 262_144;

    [Fact]
    public async Task Committed_files_are_byte_for_byte_what_the_generator_makes_of_the_sources()
    {
        RequireSources();
        using var output = new TemporaryDirectory("nfx-deploy-");

        (await ManifestGenerator.RunAsync(RepositoryPaths.Root, output.Path)).EnsureSuccess("deploy/kubernetes/generate.sh");

        foreach (var file in new[] { ManifestGenerator.PrometheusRuleFile, ManifestGenerator.DashboardsFile })
        {
            var committed = Path.Combine(KubernetesManifests.ManifestDirectory, file);
            Assert.True(File.Exists(committed), $"deploy/kubernetes/manifests/{file} is missing: run deploy/kubernetes/generate.sh and commit it");
            Assert.True(File.ReadAllBytes(output.Combine(file)).AsSpan().SequenceEqual(File.ReadAllBytes(committed)),
                $"deploy/kubernetes/manifests/{file} is out of date with its sources: run deploy/kubernetes/generate.sh and commit it");
        }
    }

    [Fact]
    public void Prometheus_rule_spec_is_the_rules_file()
    {
        RequireSources();
        var rule = KubernetesManifests.Single("PrometheusRule");
        var source = KubernetesManifests.Load(RepositoryPaths.Combine(ManifestGenerator.RulesFile)).Single();

        Assert.Equal(["groups"], rule.Get("spec").Keys);
        Assert.Equal(source.ToYamlText(), rule.Get("spec").ToYamlText());
        Assert.Equal("kube-prom-stack", rule.Get("metadata").Get("labels").Text("release"));
    }

    [Fact]
    public void Each_dashboard_is_one_sidecar_config_map_small_enough_for_plain_apply()
    {
        var dashboards = RequireSources();
        var configMaps = KubernetesManifests.All().Where(document => document.Text("kind") == "ConfigMap").ToList();

        Assert.Equal(dashboards.Count, configMaps.Count);
        foreach (var dashboard in dashboards)
        {
            var name = Path.GetFileName(dashboard);
            var configMap = configMaps.Single(candidate => candidate.Get("data").TryGet(name) is not null);
            Assert.Equal("1", configMap.Get("metadata").Get("labels").Text("grafana_dashboard"));
            var embedded = configMap.Get("data").Text(name);
            Assert.Equal(File.ReadAllText(dashboard), embedded);
            var escapedSize = JsonEncodedText.Encode(embedded).EncodedUtf8Bytes.Length;
            Assert.True(escapedSize < ClientSideApplyLimit - 4096,
                $"dashboards/{name} is {escapedSize} bytes as JSON; `kubectl apply` without --server-side would reject its ConfigMap");
        }
    }

    [Fact]
    public async Task Generator_embeds_sources_exactly_and_reproducibly()
    {
        using var sources = FixtureSources(
            "# the rules\ngroups:\n  - name: fixture\n    rules:\n      - alert: Fixture\n        expr: up == 0\n"
            + "        annotations:\n          description: |\n            two\n\n            lines {{ $labels.instance }}\n");
        File.WriteAllText(sources.Combine("dashboards", "no-final-newline.json"), "{\n\t\"title\": \"tab \u00e9\",\n\n  \"panels\": []\n}");
        File.WriteAllText(sources.Combine("dashboards", "two-final-newlines.json"), "{\"title\": \"x\"}\n\n");
        using var first = new TemporaryDirectory("nfx-deploy-");
        using var second = new TemporaryDirectory("nfx-deploy-");

        (await ManifestGenerator.RunAsync(sources.Path, first.Path)).EnsureSuccess("generate.sh on fixture sources");
        (await ManifestGenerator.RunAsync(sources.Path, second.Path)).EnsureSuccess("generate.sh on fixture sources, again");

        var rule = KubernetesManifests.Load(first.Combine(ManifestGenerator.PrometheusRuleFile)).Single();
        var rulesSource = KubernetesManifests.Load(sources.Combine("alerts", "netfilter-exporter.rules.yml")).Single();
        Assert.Equal(rulesSource.ToYamlText(), rule.Get("spec").ToYamlText());
        var configMaps = KubernetesManifests.Load(first.Combine(ManifestGenerator.DashboardsFile));
        var dashboards = Directory.GetFiles(sources.Combine("dashboards"));
        Assert.NotEmpty(dashboards);
        foreach (var file in dashboards)
        {
            var name = Path.GetFileName(file);
            Assert.Equal(File.ReadAllText(file), configMaps.Single(map => map.Get("data").TryGet(name) is not null).Get("data").Text(name));
        }
        foreach (var file in new[] { ManifestGenerator.PrometheusRuleFile, ManifestGenerator.DashboardsFile })
        {
            Assert.Equal(File.ReadAllBytes(first.Combine(file)), File.ReadAllBytes(second.Combine(file)));
        }
    }

    [Theory]
    [InlineData("alerts/netfilter-exporter.rules.yml", "groups: []\r\n", "alerts/netfilter-exporter.rules.yml:1:")]
    [InlineData("alerts/netfilter-exporter.rules.yml", "groups: []\n---\ngroups: []\n", "alerts/netfilter-exporter.rules.yml:2:")]
    [InlineData("dashboards/shared.json", "{\"__inputs\": []}\n", "dashboards/shared.json: has __inputs")]
    [InlineData("dashboards/broken.json", "{\"title\": \n", "dashboards/broken.json: not a JSON object")]
    [InlineData("dashboards/Upper_Case.json", "{}\n", "dashboards/Upper_Case.json: name the file")]
    public async Task Generator_rejects_what_it_cannot_embed_naming_file_and_line(string file, string content, string expectedError)
    {
        using var sources = FixtureSources("groups: []\n");
        File.WriteAllText(sources.Combine(file.Split('/')), content);
        using var output = new TemporaryDirectory("nfx-deploy-");
        var earlier = output.Combine(ManifestGenerator.PrometheusRuleFile);
        File.WriteAllText(earlier, "earlier output\n");

        var result = await ManifestGenerator.RunAsync(sources.Path, output.Path);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(expectedError, result.StandardError, StringComparison.Ordinal);
        Assert.Equal("earlier output\n", File.ReadAllText(earlier));
    }

    [Fact]
    public async Task Generator_fails_when_the_sources_are_missing()
    {
        using var sources = new TemporaryDirectory("nfx-deploy-");
        using var output = new TemporaryDirectory("nfx-deploy-");

        var result = await ManifestGenerator.RunAsync(sources.Path, output.Path);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(ManifestGenerator.RulesFile + " not found", result.StandardError, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(output.Path));
    }

    /// <summary>alerts/ and dashboards/ are written by other work; until they exist, the sync checks fail here.</summary>
    private static IReadOnlyList<string> RequireSources()
    {
        var rules = RepositoryPaths.Combine(ManifestGenerator.RulesFile);
        var dashboardDirectory = RepositoryPaths.Combine("dashboards");
        var dashboards = Directory.Exists(dashboardDirectory)
            ? Directory.GetFiles(dashboardDirectory, "*.json").Order(StringComparer.Ordinal).ToList()
            : [];
        Assert.True(File.Exists(rules) && dashboards.Count > 0, new StringBuilder()
            .Append("the PrometheusRule and dashboard ConfigMaps are generated from ").Append(ManifestGenerator.RulesFile)
            .Append(" and dashboards/*.json, and ")
            .Append(File.Exists(rules) ? "dashboards/ has no .json file" : ManifestGenerator.RulesFile + " does not exist")
            .Append(": add the sources, then run deploy/kubernetes/generate.sh").ToString());
        return dashboards;
    }

    private static TemporaryDirectory FixtureSources(string rules)
    {
        var sources = new TemporaryDirectory("nfx-deploy-");
        Directory.CreateDirectory(sources.Combine("alerts"));
        Directory.CreateDirectory(sources.Combine("dashboards"));
        File.WriteAllText(sources.Combine("alerts", "netfilter-exporter.rules.yml"), rules);
        File.WriteAllText(sources.Combine("dashboards", "netfilter-exporter.json"), "{\"title\": \"fixture\"}\n");
        return sources;
    }
}
