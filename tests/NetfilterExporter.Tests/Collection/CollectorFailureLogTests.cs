using Microsoft.Extensions.Logging;
using NetfilterExporter.Collection;

namespace NetfilterExporter.Tests.Collection;

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

    private sealed class RecordingLogger : ILogger<CollectorFailureLog>
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add($"{logLevel}: {formatter(state, exception)}");
    }
}
