using BenchmarkDotNet.Running;
using NetfilterExporter.Benchmarks;
using NetfilterExporter.Benchmarks.Cri;
using NetfilterExporter.Benchmarks.Tables;

// "generate" writes a table for the comparison script (scripts/perf), "cri-scrape" compares fresh scrapes with and
// without the runtime check; anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "generate")
{
    return GenerateCommand.Run(args[1..], Console.OpenStandardOutput(), Console.Error);
}
if (args.Length > 0 && args[0] == "cri-scrape")
{
    return await CriScrapeCostCommand.RunAsync(args[1..], Console.Out);
}
BenchmarkSwitcher.FromAssembly(typeof(BenchmarkSettings).Assembly).Run(args, BenchmarkSettings.Create());
return 0;
