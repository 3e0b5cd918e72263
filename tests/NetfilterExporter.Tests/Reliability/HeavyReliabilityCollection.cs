namespace NetfilterExporter.Tests.Reliability;

/// <summary>
/// Tests that load the machine (floods, soaks, fuzzing) or measure the exporter's memory run on their own,
/// after the parallel tests, so they neither starve other tests' deadlines nor measure other tests' noise.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HeavyReliabilityCollection
{
    public const string Name = "heavy reliability";
}
