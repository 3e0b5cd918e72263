using System.Formats.Tar;
using System.Text.Json;

namespace NetfilterExporter.Deployment.Tests.Image;

/// <summary>
/// What an OCI image archive (oci-layout tarball, one image) says about its image: the name in index.json, the
/// config's platform, labels and entrypoint, and the layers' media types. Layers themselves are not read.
/// </summary>
public sealed record OciArchive(
    string ReferenceName,
    string Os,
    string Architecture,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyList<string> Entrypoint,
    IReadOnlyList<string> LayerMediaTypes)
{
    public static async Task<OciArchive> ReadAsync(string path, CancellationToken cancellationToken)
    {
        var files = await SmallFilesAsync(path, cancellationToken);
        using var index = JsonDocument.Parse(Required(files, "index.json", path));
        var entry = index.RootElement.GetProperty("manifests").EnumerateArray().ToList() is [var single]
            ? single
            : throw new InvalidDataException($"{path}: index.json must list exactly one manifest");
        using var manifest = JsonDocument.Parse(Required(files, BlobPath(entry.GetProperty("digest").GetString()!), path));
        using var config = JsonDocument.Parse(Required(files, BlobPath(manifest.RootElement.GetProperty("config").GetProperty("digest").GetString()!), path));
        var settings = config.RootElement.GetProperty("config");
        return new OciArchive(
            entry.GetProperty("annotations").GetProperty("org.opencontainers.image.ref.name").GetString()!,
            config.RootElement.GetProperty("os").GetString()!,
            config.RootElement.GetProperty("architecture").GetString()!,
            settings.GetProperty("Labels").EnumerateObject().ToDictionary(label => label.Name, label => label.Value.GetString()!, StringComparer.Ordinal),
            [.. settings.GetProperty("Entrypoint").EnumerateArray().Select(word => word.GetString()!)],
            [.. manifest.RootElement.GetProperty("layers").EnumerateArray().Select(layer => layer.GetProperty("mediaType").GetString()!)]);
    }

    private static string BlobPath(string digest) => "blobs/" + digest.Replace(':', '/');

    private static byte[] Required(Dictionary<string, byte[]> files, string name, string path) =>
        files.TryGetValue(name, out var content) ? content : throw new InvalidDataException($"{path}: no {name}");

    /// <summary>The archive's small files (index.json, manifests, configs) by path.</summary>
    private static async Task<Dictionary<string, byte[]>> SmallFilesAsync(string path, CancellationToken cancellationToken)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        await using var stream = File.OpenRead(path);
        await using var reader = new TarReader(stream);
        while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
        {
            if (entry.DataStream is { } data && entry.Length < 1_000_000)
            {
                using var memory = new MemoryStream();
                await data.CopyToAsync(memory, cancellationToken);
                files[entry.Name.TrimStart('.', '/')] = memory.ToArray();
            }
        }
        return files;
    }
}
