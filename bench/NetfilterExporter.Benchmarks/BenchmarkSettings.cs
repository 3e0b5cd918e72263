using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace NetfilterExporter.Benchmarks;

/// <summary>
/// One job for every benchmark: in-process, so it runs with the exporter's own GC settings (workstation GC,
/// from the csproj) and needs no second restore from the partial NuGet mirror.
/// </summary>
public static class BenchmarkSettings
{
    public static IConfig Create() =>
        ManualConfig.Create(DefaultConfig.Instance)
            .AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(3).WithIterationCount(12))
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumn(new ThroughputColumn());
}
