namespace NetfilterExporter.Conntrack;

/// <summary>Which configuration to read: what is in effect now, or what the next boot will read.</summary>
internal enum ConfigView
{
    /// <summary>Every drop-in directory, /run included.</summary>
    Now,

    /// <summary>Without /run: it is a tmpfs, so its files are gone when the next boot reads the directories.</summary>
    NextBoot,
}
