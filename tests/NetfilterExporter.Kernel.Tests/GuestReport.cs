using System.Text.Json;

namespace NetfilterExporter.Kernel.Tests;

/// <summary>
/// What guest/nfx-guest-probe.sh wrote on the second serial port: the kernel's state after boot, the shipped
/// exporter's <c>check --output json</c>, the kernel's state after check and after a manual modprobe, and the
/// systemd-modules-load journal.
/// </summary>
public sealed class GuestReport
{
    private readonly Dictionary<string, string> sections;

    private GuestReport(string configuration, Dictionary<string, string> sections)
    {
        Configuration = configuration;
        this.sections = sections;
        Check = JsonDocument.Parse(Section("check")).RootElement.Clone();
    }

    public string Configuration { get; }

    public bool LoadedAfterBoot => Flag("kernel", "loaded");

    public bool SysctlAfterBoot => Flag("kernel", "sysctl");

    public string CommandLine => Value("kernel", "cmdline");

    public int CheckExitCode => int.Parse(Value("check-exit", "exit"), System.Globalization.CultureInfo.InvariantCulture);

    public string CheckStandardError => Section("check-stderr");

    public JsonElement Check { get; }

    public JsonElement Conntrack => Check.GetProperty("conntrack");

    public bool LoadedAfterCheck => Flag("after-check", "loaded");

    public bool ModprobeSucceeded => Value("modprobe", "exit") == "0";

    public bool LoadedAfterModprobe => Flag("modprobe", "loaded");

    public string ModprobeOutput => Value("modprobe", "output");

    public string ModulesLoadJournal => Section("journal");

    /// <summary>Whether this boot ran <c>fix --apply</c> (the configuration's marker was there).</summary>
    public bool FixRan => sections.ContainsKey("fix");

    public int FixExitCode => int.Parse(Value("fix", "exit"), System.Globalization.CultureInfo.InvariantCulture);

    public bool LoadedAfterFix => Flag("fix", "loaded");

    /// <summary>What <c>fix --apply</c> printed: its plan and outcome, then its log lines.</summary>
    public string FixOutput => Section("fix-output");

    /// <exception cref="InvalidOperationException">The report is cut short or malformed; the message holds the console's end.</exception>
    public static GuestReport Parse(string configuration, string report, string console)
    {
        var sections = new Dictionary<string, string>(StringComparer.Ordinal);
        string? current = null;
        var body = new List<string>();
        foreach (var line in report.Replace("\r", "", StringComparison.Ordinal).Split('\n'))
        {
            if (line.StartsWith("=== ", StringComparison.Ordinal))
            {
                if (current is not null)
                {
                    sections[current] = string.Join('\n', body);
                }
                current = line[4..].Trim();
                body.Clear();
            }
            else if (current is not null)
            {
                body.Add(line);
            }
        }
        if (current != "end")
        {
            var consoleTail = string.Join('\n', console.Split('\n').TakeLast(40));
            throw new InvalidOperationException(
                $"{configuration}: the guest's report ends before '=== end' (last section: {current ?? "none"}):\n{report}\nconsole ends with:\n{consoleTail}");
        }
        try
        {
            return new GuestReport(configuration, sections);
        }
        catch (JsonException exception)
        {
            throw new InvalidOperationException($"{configuration}: check --output json did not print JSON: {exception.Message}\n{report}", exception);
        }
    }

    public override string ToString() => string.Join('\n', sections.Select(section => $"=== {section.Key}\n{section.Value}"));

    private string Section(string name) =>
        sections.TryGetValue(name, out var text) ? text : throw new InvalidOperationException($"{Configuration}: the guest's report has no '{name}' section:\n{this}");

    private string Value(string section, string key)
    {
        var prefix = key + "=";
        return Section(section).Split('\n').FirstOrDefault(line => line.StartsWith(prefix, StringComparison.Ordinal))?[prefix.Length..]
            ?? throw new InvalidOperationException($"{Configuration}: section '{section}' of the guest's report has no {key}=:\n{this}");
    }

    private bool Flag(string section, string key) => Value(section, key) switch
    {
        "yes" => true,
        "no" => false,
        var other => throw new InvalidOperationException($"{Configuration}: {section} {key}={other} is neither yes nor no"),
    };
}
