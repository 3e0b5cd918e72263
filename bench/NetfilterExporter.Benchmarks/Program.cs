using BenchmarkDotNet.Running;
using NetfilterExporter.Benchmarks;
using NetfilterExporter.Benchmarks.Tables;

// "generate" writes a table for the comparison script (scripts/perf); anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "generate")
{
    return GenerateCommand.Run(args[1..], Console.OpenStandardOutput(), Console.Error);
}
BenchmarkSwitcher.FromAssembly(typeof(BenchmarkSettings).Assembly).Run(args, BenchmarkSettings.Create());
return 0;
