using Microsoft.Extensions.Logging;
using NetfilterExporter.Assessment;
using NetfilterExporter.Collection;
using NetfilterExporter.Configuration;
using NetfilterExporter.Logging;
using NetfilterExporter.Sources;

namespace NetfilterExporter.Check;

/// <summary>
/// `netfilter-exporter check`: one collection, assessed, printed for a person or a script. The exit code is the
/// assessment's <see cref="NodeHealth"/> (docs/contract.md §5).
/// </summary>
public static class CheckCommand
{
    public static async Task<int> RunAsync(ExporterOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        using var loggers = LoggerFactory.Create(logging =>
        {
            LoggingSetup.Apply(logging, options);
            // The report names each failed collector with its error; the same line on stderr would say it twice.
            logging.AddFilter(typeof(CollectorFailureLog).FullName, LogLevel.None);
        });
        var assessment = await SourceTable.Assessor(options, loggers, TimeProvider.System).AssessAsync(cancellationToken);
        await output.WriteAsync(options.Output == OutputFormat.Json ? CheckJsonReport.Render(assessment) : CheckTextReport.Render(assessment));
        await output.FlushAsync(cancellationToken);
        return (int)assessment.Health;
    }
}
