using System.Text.RegularExpressions;

namespace NetfilterExporter.Unit.Tests.Conventions;

/// <summary>
/// One naming style for tests, which .editorconfig cannot express: a test's name is a sentence of what its assertions
/// check, words joined by underscores (Snake_sentence), in every test project.
/// </summary>
public sealed partial class TestNamingTests
{
    [Fact]
    public void Every_test_in_every_project_is_named_as_a_sentence_with_underscores()
    {
        var tests = Directory.EnumerateFiles(RepositoryPaths.Combine("tests"), "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains("/obj/", StringComparison.Ordinal) && !path.Contains("/bin/", StringComparison.Ordinal))
            .SelectMany(path => TestMethod().Matches(File.ReadAllText(path)).Select(match => (File: Path.GetFileName(path), Name: match.Groups["name"].Value)))
            .ToList();

        Assert.True(tests.Count > 400, $"only {tests.Count} test methods found: the scan no longer sees the tests");
        Assert.Empty(tests.Where(test => !Sentence().IsMatch(test.Name)).Select(test => $"{test.File}: {test.Name}"));
    }

    [GeneratedRegex(@"\[(?:Fact|Theory)\b[^\n]*\n(?:\s*\[[^\n]*\n)*\s*public (?:async )?(?:Task|ValueTask|void) (?<name>\w+)\(")]
    private static partial Regex TestMethod();

    [GeneratedRegex("^[A-Z][A-Za-z0-9]*(_[A-Za-z0-9]+)+$")]
    private static partial Regex Sentence();
}
