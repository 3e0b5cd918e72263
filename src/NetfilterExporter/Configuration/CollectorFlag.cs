namespace NetfilterExporter.Configuration;

/// <summary>A collector of the registration table as the command line knows it: <c>--collector.&lt;name&gt;</c> and <c>--no-collector.&lt;name&gt;</c>.</summary>
public sealed record CollectorFlag(string Name, bool EnabledByDefault, string Help)
{
    public FlagDefinition Definition => new(Flags.CollectorPrefix + Name, null, false, Help, IsSwitch: true);
}
