using System.Text.RegularExpressions;

namespace NetfilterExporter.Deployment.Tests;

/// <summary>
/// The AlertmanagerConfig carries the inhibition of deploy/alertmanager/alertmanager.yml (one page per black-holed
/// port) for Alertmanagers run by the Prometheus Operator.
/// </summary>
public sealed partial class AlertmanagerConfigTests
{
    [Fact]
    public void Inhibitions_have_the_source_target_and_equal_of_the_example_alertmanager_configuration()
    {
        var example = KubernetesManifests.Load(RepositoryPaths.Combine("deploy", "alertmanager", "alertmanager.yml")).Single();
        var expected = example.Get("inhibit_rules").Items.Select(rule => new Inhibition(
            Matchers(rule.Get("source_matchers")),
            Matchers(rule.Get("target_matchers")),
            [.. rule.Get("equal").Items.Select(label => label.Value)])).ToList();

        var actual = KubernetesManifests.Single("AlertmanagerConfig").Get("spec").Get("inhibitRules").Items.Select(rule => new Inhibition(
            OperatorMatchers(rule.Get("sourceMatch")),
            OperatorMatchers(rule.Get("targetMatch")),
            [.. rule.Get("equal").Items.Select(label => label.Value)])).ToList();

        Assert.NotEmpty(expected);
        Assert.Equal(expected.Count, actual.Count);
        foreach (var (want, got) in expected.Zip(actual))
        {
            Assert.Equal(want.Source, got.Source);
            Assert.Equal(want.Target, got.Target);
            Assert.Equal(want.Equal, got.Equal);
        }
        Assert.Contains("alertname=\"NetfilterHostPortStaleClaimWins\"", expected[0].Source);
    }

    [Fact]
    public void Carries_the_release_label_the_other_operator_objects_carry()
    {
        var release = KubernetesManifests.Single("AlertmanagerConfig").Get("metadata").Get("labels").Text("release");

        Assert.Equal(KubernetesManifests.Single("ServiceMonitor").Get("metadata").Get("labels").Text("release"), release);
        Assert.Equal(KubernetesManifests.Single("PrometheusRule").Get("metadata").Get("labels").Text("release"), release);
    }

    /// <summary>alertmanager.yml writes matchers as strings such as alertname="X".</summary>
    private static IReadOnlyList<string> Matchers(ManifestNode list) =>
        [.. list.Items.Select(item =>
        {
            var match = MatcherPattern().Match(item.Value);
            Assert.True(match.Success, $"{item.Location}: '{item.Value}' is not a matcher of the form name=\"value\"");
            return $"{match.Groups["name"].Value}{match.Groups["op"].Value}\"{match.Groups["value"].Value}\"";
        }).Order(StringComparer.Ordinal)];

    /// <summary>The operator writes them as name, value and matchType (= when absent).</summary>
    private static IReadOnlyList<string> OperatorMatchers(ManifestNode list) =>
        [.. list.Items.Select(item => $"{item.Text("name")}{item.OptionalText("matchType") ?? "="}\"{item.Text("value")}\"").Order(StringComparer.Ordinal)];

    [GeneratedRegex("^(?<name>[A-Za-z_][A-Za-z0-9_]*)\\s*(?<op>=~|!~|!=|=)\\s*\"(?<value>[^\"]*)\"$")]
    private static partial Regex MatcherPattern();

    private sealed record Inhibition(IReadOnlyList<string> Source, IReadOnlyList<string> Target, IReadOnlyList<string> Equal);
}
