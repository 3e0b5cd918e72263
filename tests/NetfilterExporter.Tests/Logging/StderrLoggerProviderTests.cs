using System.Text.Json;
using Microsoft.Extensions.Logging;
using NetfilterExporter.Logging;

namespace NetfilterExporter.Tests.Logging;

public sealed class StderrLoggerProviderTests
{
    private const string Hostile = "save \"failed\"\\ at\nline 2\u0001 key=value";

    [Fact]
    public void Logfmt_lines_quote_what_would_break_a_field()
    {
        var output = Log(LogfmtFormat.Format, LogLevel.Warning, "NetfilterExporter.Collection", Hostile, new InvalidOperationException("boom now"));

        Assert.Equal(
            "ts=2026-11-21T22:00:00.000Z level=warn source=NetfilterExporter.Collection msg=\"save \\\"failed\\\"\\\\ at\\nline 2  key=value\" err=\"boom now\"\n",
            output);
    }

    [Fact]
    public void Json_lines_are_one_json_object_each_with_the_logfmt_keys()
    {
        var output = Log(JsonLogFormat.Format, LogLevel.Error, "source \"x\"", Hostile, new InvalidOperationException("boom"));

        Assert.EndsWith("}\n", output, StringComparison.Ordinal);
        Assert.Single(output.TrimEnd('\n').Split('\n'));
        using var line = JsonDocument.Parse(output);
        Assert.Equal("2026-11-21T22:00:00.000Z", line.RootElement.GetProperty("ts").GetString());
        Assert.Equal("error", line.RootElement.GetProperty("level").GetString());
        Assert.Equal("source \"x\"", line.RootElement.GetProperty("source").GetString());
        Assert.Equal(Hostile, line.RootElement.GetProperty("msg").GetString());
        Assert.Equal("boom", line.RootElement.GetProperty("err").GetString());
    }

    [Fact]
    public void Levels_are_named_as_prometheus_exporters_name_them_and_none_is_silent()
    {
        var output = new StringWriter();
        using var provider = new StderrLoggerProvider(LogfmtFormat.Format, output, new ManualClock());
        var logger = provider.CreateLogger("c");

        logger.LogDebug("d");
        logger.LogInformation("i");
        logger.LogCritical("c");
        logger.Log(LogLevel.None, "n");

        var levels = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(' ')[1]);
        Assert.Equal(["level=debug", "level=info", "level=error"], levels);
    }

    [Fact]
    public void A_stderr_that_cannot_be_written_loses_the_line_but_not_the_caller()
    {
        using var provider = new StderrLoggerProvider(LogfmtFormat.Format, new FailingWriter(), new ManualClock());
        var logger = provider.CreateLogger("c");

        var thrown = Record.Exception(() => logger.LogWarning("collector failed"));

        Assert.Null(thrown);
    }

    private static string Log(Func<LogLine, string> format, LogLevel level, string category, string message, Exception exception)
    {
        var output = new StringWriter();
        using var provider = new StderrLoggerProvider(format, output, new ManualClock());
        provider.CreateLogger(category).Log(level, exception, "{Message}", message);
        return output.ToString();
    }

    // What Console.Error becomes with 2>&- or 2>/dev/full: every write fails.
    private sealed class FailingWriter : StringWriter
    {
        public override void Write(string? value) => throw new IOException("No space left on device");
    }
}
