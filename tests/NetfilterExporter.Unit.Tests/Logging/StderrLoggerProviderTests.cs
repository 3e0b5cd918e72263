using System.Text.Json;
using Microsoft.Extensions.Logging;
using NetfilterExporter.Logging;

namespace NetfilterExporter.Unit.Tests.Logging;

public sealed class StderrLoggerProviderTests
{
    private const string Hostile = "save \"failed\"\\ at\nline 2\u0001 key=value";

    // What a runtime's error may hold that a field must survive: spaces, quotes, '=', a backslash and a newline.
    private const string HostileError = "dial unix \"/run/containerd/containerd.sock\": x=1 \\ y\nsecond line";

    [Fact]
    public void Logfmt_lines_quote_what_would_break_a_field()
    {
        var output = Log(LogfmtFormat.Format, LogLevel.Warning, "NetfilterExporter.Collection", Hostile, new InvalidOperationException("boom now"));

        Assert.Equal(
            "ts=2026-11-21T22:00:00.000Z level=warn source=NetfilterExporter.Collection msg=\"save \\\"failed\\\"\\\\ at\\nline 2  key=value\" err=\"boom now\"" +
            " message=\"save \\\"failed\\\"\\\\ at\\nline 2  key=value\"\n",
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
    public void Logfmt_lines_carry_the_template_keys_after_msg_and_read_back()
    {
        var output = Write(LogfmtFormat.Format, logger => logger.LogError("collector {Collector} failed: {Error}", "cri", HostileError));

        var fields = LogfmtReader.Read(output);
        Assert.Equal(["ts", "level", "source", "msg", "collector", "err"], fields.Select(field => field.Key));
        var values = fields.ToDictionary(field => field.Key, field => field.Value);
        Assert.Equal("error", values["level"]);
        Assert.Equal("NetfilterExporter.Collection", values["source"]);
        Assert.Equal($"collector cri failed: {HostileError}", values["msg"]);
        Assert.Equal("cri", values["collector"]);
        Assert.Equal(HostileError, values["err"]);
    }

    [Fact]
    public void Json_lines_carry_the_template_keys_after_msg_and_read_back()
    {
        var output = Write(JsonLogFormat.Format, logger => logger.LogError("collector {Collector} failed: {Error}", "cri", HostileError));

        Assert.Single(output.TrimEnd('\n').Split('\n'));
        using var line = JsonDocument.Parse(output);
        Assert.Equal(["ts", "level", "source", "msg", "collector", "err"], line.RootElement.EnumerateObject().Select(property => property.Name));
        Assert.Equal("error", line.RootElement.GetProperty("level").GetString());
        Assert.Equal($"collector cri failed: {HostileError}", line.RootElement.GetProperty("msg").GetString());
        Assert.Equal("cri", line.RootElement.GetProperty("collector").GetString());
        Assert.Equal(HostileError, line.RootElement.GetProperty("err").GetString());
    }

    [Fact]
    public void Template_names_become_snake_case_keys_and_values_are_written_in_the_invariant_culture()
    {
        var at = new DateTimeOffset(2026, 11, 21, 22, 0, 0, TimeSpan.FromHours(1));

        var output = Write(LogfmtFormat.Format, logger => logger.LogInformation(
            "{SandboxCount} {HTTPStatus} {Ready} {Seconds} {At} {Sockets} {Nothing} {Err}", 3, 404, true, 1.5, at, new[] { "a", "b c" }, null, "x"));

        Assert.Equal(
            "ts=2026-11-21T22:00:00.000Z level=info source=NetfilterExporter.Collection msg=\"3 404 True 1.5 11/21/2026 22:00:00 +01:00 a, b c (null) x\"" +
            " sandbox_count=3 http_status=404 ready=true seconds=1.5 at=2026-11-21T22:00:00.0000000+01:00 sockets=\"a, b c\" nothing=(null) err=x\n",
            output);
    }

    [Fact]
    public void Keys_that_would_shadow_the_lines_own_fields_or_each_other_get_an_underscore()
    {
        var output = Write(JsonLogFormat.Format, logger => logger.LogWarning("{Ts} {Level} {Source} {Msg} {Collector} {collector}", 1, 2, 3, 4, 5, 6));

        using var line = JsonDocument.Parse(output);
        Assert.Equal(
            ["ts", "level", "source", "msg", "ts_", "level_", "source_", "msg_", "collector", "collector_"],
            line.RootElement.EnumerateObject().Select(property => property.Name));
        Assert.Equal("warn", line.RootElement.GetProperty("level").GetString());
        Assert.Equal("2", line.RootElement.GetProperty("level_").GetString());
        Assert.Equal("6", line.RootElement.GetProperty("collector_").GetString());
    }

    [Fact]
    public void An_exception_is_err_right_after_msg_and_a_template_error_with_other_text_follows_it()
    {
        var differing = Write(LogfmtFormat.Format, logger => logger.LogError(new InvalidOperationException("boom"), "retrying after {Error}", "timeout"));
        var same = Write(LogfmtFormat.Format, logger => logger.LogError(new InvalidOperationException("boom"), "gave up: {Error}", "boom"));

        Assert.Equal(["err=boom", "err_=timeout"], LogfmtReader.Read(differing).Skip(4).Select(field => $"{field.Key}={field.Value}"));
        Assert.Equal(["err=boom"], LogfmtReader.Read(same).Skip(4).Select(field => $"{field.Key}={field.Value}"));
    }

    [Fact]
    public void Keys_a_format_cannot_hold_as_they_are_are_made_safe()
    {
        var line = new LogLine(TestClock.Create().GetUtcNow(), LogLevel.Warning, "s", "m", [new LogField("a b=\"c\nd", "v")]);

        Assert.Equal("ts=2026-11-21T22:00:00.000Z level=warn source=s msg=m a_b__c_d=v\n", LogfmtFormat.Format(line));
        using var json = JsonDocument.Parse(JsonLogFormat.Format(line));
        Assert.Equal("v", json.RootElement.GetProperty("a b=\"c\nd").GetString());
    }

    [Fact]
    public void Levels_are_named_as_prometheus_exporters_name_them_and_none_is_silent()
    {
        var output = new StringWriter();
        using var provider = new StderrLoggerProvider(LogfmtFormat.Format, output, TestClock.Create());
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
        using var provider = new StderrLoggerProvider(LogfmtFormat.Format, new FailingWriter(), TestClock.Create());
        var logger = provider.CreateLogger("c");

        var thrown = Record.Exception(() => logger.LogWarning("collector failed"));

        Assert.Null(thrown);
    }

    private static string Write(Func<LogLine, string> format, Action<ILogger> log)
    {
        var output = new StringWriter();
        using var provider = new StderrLoggerProvider(format, output, TestClock.Create());
        log(provider.CreateLogger("NetfilterExporter.Collection"));
        return output.ToString();
    }

    private static string Log(Func<LogLine, string> format, LogLevel level, string category, string message, Exception exception)
    {
        var output = new StringWriter();
        using var provider = new StderrLoggerProvider(format, output, TestClock.Create());
        provider.CreateLogger(category).Log(level, exception, "{Message}", message);
        return output.ToString();
    }

    // What Console.Error becomes with 2>&- or 2>/dev/full: every write fails.
    private sealed class FailingWriter : StringWriter
    {
        public override void Write(string? value) => throw new IOException("No space left on device");
    }
}
