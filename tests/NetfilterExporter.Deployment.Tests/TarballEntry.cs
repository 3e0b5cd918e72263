using System.Formats.Tar;

namespace NetfilterExporter.Deployment.Tests;

/// <summary>One entry of a release tarball as tar records it: what an installer's `tar -x` would create.</summary>
public sealed record TarballEntry(
    string Name, TarEntryType Type, UnixFileMode Mode, int Uid, int Gid, string UserName, string GroupName, DateTimeOffset ModificationTime, byte[] Content)
{
    /// <summary>Name, type, mode in octal and owner, one line: a list of these compares with a readable difference.</summary>
    public string Summary => $"{Name} {Type} {Convert.ToString((int)Mode, 8)} {Uid}:{Gid}";
}
