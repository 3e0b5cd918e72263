using System.Formats.Tar;
using System.IO.Compression;

namespace NetfilterExporter.Deployment.Tests;

/// <summary>Reads a release tarball (gzip-compressed tar) entry by entry, with each file's bytes.</summary>
public static class ReleaseTarball
{
    public static async Task<IReadOnlyList<TarballEntry>> ReadAsync(string path, CancellationToken cancellationToken)
    {
        var entries = new List<TarballEntry>();
        await using var file = File.OpenRead(path);
        await using var gzip = new GZipStream(file, CompressionMode.Decompress);
        await using var reader = new TarReader(gzip);
        while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
        {
            var content = new MemoryStream();
            if (entry.DataStream is { } data)
            {
                await data.CopyToAsync(content, cancellationToken);
            }
            var (userName, groupName) = entry is PosixTarEntry posix ? (posix.UserName, posix.GroupName) : ("", "");
            entries.Add(new TarballEntry(
                entry.Name, entry.EntryType, entry.Mode, entry.Uid, entry.Gid, userName, groupName, entry.ModificationTime, content.ToArray()));
        }
        return entries;
    }

    /// <summary>Unpacks <paramref name="path"/> into <paramref name="directory"/> as `tar -xzf` would, modes included.</summary>
    public static async Task ExtractAsync(string path, string directory, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(path);
        await using var gzip = new GZipStream(file, CompressionMode.Decompress);
        await TarFile.ExtractToDirectoryAsync(gzip, directory, overwriteFiles: false, cancellationToken);
    }
}
