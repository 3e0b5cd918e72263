using Microsoft.Extensions.Logging;
using NetfilterExporter.Collection;
using NetfilterExporter.Logging;
using NetfilterExporter.Unit.Tests.Logging;

namespace NetfilterExporter.Unit.Tests.Collection;

public sealed class CollectorFailureLogTests
{
    [Fact]
    public void Logs_a_failure_once_per_cause_and_its_recovery_once()
    {
        var logger = new RecordingLogger();
        var log = new CollectorFailureLog(logger);

        for (var i = 0; i < 5; i++)
        {
            log.Record(new CollectorOutcome("iptables_legacy_ipv4", false, TimeSpan.Zero, "exited with code 1: Permission denied"));
        }
        log.Record(new CollectorOutcome("iptables_legacy_ipv4", false, TimeSpan.Zero, "did not finish within --collector.timeout (10s)"));
        log.Record(new CollectorOutcome("iptables_legacy_ipv4", true, TimeSpan.Zero, null));
        log.Record(new CollectorOutcome("iptables_legacy_ipv4", true, TimeSpan.Zero, null));
        log.Record(new CollectorOutcome("conntrack", true, TimeSpan.Zero, null));

        Assert.Equal(
        [
            "Error: collector iptables_legacy_ipv4 failed: exited with code 1: Permission denied",
            "Error: collector iptables_legacy_ipv4 failed: did not finish within --collector.timeout (10s)",
            "Information: collector iptables_legacy_ipv4 recovered",
        ], logger.Lines);
    }

    [Fact]
    public void Through_the_exporters_logger_a_failure_carries_the_collector_and_its_error_as_keys()
    {
        const string Error = "dial unix \"/run/containerd/containerd.sock\": connect: no such file or directory";
        var output = new StringWriter();
        using var factory = new LoggerFactory([new StderrLoggerProvider(LogfmtFormat.Format, output, TestClock.Create())]);
        var log = new CollectorFailureLog(factory.CreateLogger<CollectorFailureLog>());

        log.Record(new CollectorOutcome("cri", false, TimeSpan.Zero, Error));
        log.Record(new CollectorOutcome("cri", true, TimeSpan.Zero, null));

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(
        [
            "ts=2026-11-21T22:00:00.000Z level=error source=NetfilterExporter.Collection.CollectorFailureLog"
                + " msg=\"collector cri failed: dial unix \\\"/run/containerd/containerd.sock\\\": connect: no such file or directory\""
                + " collector=cri err=\"dial unix \\\"/run/containerd/containerd.sock\\\": connect: no such file or directory\"",
            "ts=2026-11-21T22:00:00.000Z level=info source=NetfilterExporter.Collection.CollectorFailureLog msg=\"collector cri recovered\" collector=cri",
        ], lines);
        var failure = LogfmtReader.Read(lines[0] + "\n").ToDictionary(field => field.Key, field => field.Value);
        Assert.Equal("cri", failure["collector"]);
        Assert.Equal(Error, failure["err"]);
    }

    private sealed class RecordingLogger : ILogger<CollectorFailureLog>
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add($"{logLevel}: {formatter(state, exception)}");
    }
}
