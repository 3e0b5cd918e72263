using System.Reflection;
using NetfilterExporter.Assessment;
using NetfilterExporter.Collection;

namespace NetfilterExporter.Unit.Tests.Trimming;

/// <summary>
/// ILLink 10.0.12 (SDK 10.0.401) deletes a try/finally, such as a lock or a using, that sits inside a catch or
/// finally block of a method where it folds a constant branch (dotnet/runtime#131088). The trimmed exporter then
/// never released SnapshotCache's lock and every scrape on another thread hung. A trimmed publish takes a minute,
/// so this checks the compiled exporter for the shape the trimmer mishandles instead.
/// </summary>
public sealed class ExceptionHandlerNestingTests
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance
        | BindingFlags.Static | BindingFlags.DeclaredOnly;

    [Fact]
    public void No_exporter_method_protects_code_inside_a_catch_or_finally_block()
    {
        // GetTypes includes the compiler's async state machines, where `finally { lock (...) }` ends up.
        var offenders = typeof(SnapshotCache).Assembly.GetTypes()
            .SelectMany(type => type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
            .Where(method => method.GetMethodBody() is { } body && HasClauseInsideHandler(body.ExceptionHandlingClauses))
            .Select(method => $"{method.DeclaringType}.{method.Name}")
            .ToList();

        Assert.True(offenders.Count == 0, $"protected code inside a catch or finally block: {string.Join("; ", offenders)}");
    }

    private static bool HasClauseInsideHandler(IList<ExceptionHandlingClause> clauses) =>
        clauses.Any(inner => clauses.Any(outer =>
            inner.TryOffset >= outer.HandlerOffset && inner.TryOffset < outer.HandlerOffset + outer.HandlerLength));
}
