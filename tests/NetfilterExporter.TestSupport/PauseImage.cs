using System.Formats.Tar;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace NetfilterExporter.TestSupport;

/// <summary>
/// The sandbox image of a <see cref="ContainerdNode"/>. No registry can be reached here, so the image is made on the
/// spot: Pause/pause.c compiled with gcc -static (the container has no libc to link against) and packed into a
/// one-layer OCI image layout tarball that <c>ctr images import</c> takes. Building takes about 0.2 s, so every
/// node builds its own into its private directory: nothing is shared between nodes or kept between runs.
/// </summary>
public static class PauseImage
{
    private const string ManifestMediaType = "application/vnd.oci.image.manifest.v1+json";

    /// <summary>Compiles the pause binary and writes the image tarball; returns the tarball's path.</summary>
    /// <param name="directory">Where the binary, the layer and the tarball are written.</param>
    /// <param name="imageName">The name containerd registers (index.json's io.containerd.image.name), used as sandbox_image.</param>
    public static async Task<string> BuildAsync(string directory, string imageName, CancellationToken cancellationToken)
    {
        var gcc = Prerequisites.RequireCommand("gcc", "gcc libc6-dev");
        var source = RepositoryPaths.Combine("tests", "NetfilterExporter.TestSupport", "Pause", "pause.c");
        var binary = Path.Combine(directory, "pause");
        var compiled = await TestCommand.RunCancellableAsync(gcc, ["-static", "-s", "-O2", "-Wall", "-Wextra", "-Werror", "-o", binary, source], cancellationToken);
        if (compiled.ExitCode != 0)
        {
            // A missing static libc is the usual cause on a machine that has gcc but not libc6-dev.
            throw new PrerequisiteMissingException($"gcc -static could not build the pause image (apt-get install gcc libc6-dev): {compiled.StandardError.Trim()}");
        }

        var layer = await LayerAsync(binary, cancellationToken);
        var config = Json(new JsonObject
        {
            ["architecture"] = Architecture(),
            ["os"] = "linux",
            ["config"] = new JsonObject { ["Entrypoint"] = new JsonArray("/pause") },
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray(Digest(layer.Uncompressed)) },
        });
        var manifest = Json(new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = ManifestMediaType,
            ["config"] = Descriptor("application/vnd.oci.image.config.v1+json", config),
            ["layers"] = new JsonArray(Descriptor("application/vnd.oci.image.layer.v1.tar+gzip", layer.Compressed)),
        });
        var manifestDescriptor = Descriptor(ManifestMediaType, manifest);
        manifestDescriptor["annotations"] = new JsonObject
        {
            ["io.containerd.image.name"] = imageName,
            ["org.opencontainers.image.ref.name"] = imageName[(imageName.LastIndexOf(':') + 1)..],
        };
        var index = Json(new JsonObject { ["schemaVersion"] = 2, ["manifests"] = new JsonArray(manifestDescriptor) });

        var tarball = Path.Combine(directory, "pause-image.tar");
        await using (var file = File.Create(tarball))
        await using (var writer = new TarWriter(file, TarEntryFormat.Pax, leaveOpen: false))
        {
            await AddAsync(writer, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}"u8.ToArray(), cancellationToken);
            await AddAsync(writer, "index.json", index, cancellationToken);
            foreach (var blob in new[] { layer.Compressed, config, manifest })
            {
                await AddAsync(writer, "blobs/sha256/" + Digest(blob)["sha256:".Length..], blob, cancellationToken);
            }
        }
        return tarball;
    }

    /// <summary>The layer: one file, /pause, executable; returned both as the diff (for diff_ids) and gzipped (the blob).</summary>
    private static async Task<(byte[] Uncompressed, byte[] Compressed)> LayerAsync(string binary, CancellationToken cancellationToken)
    {
        var tar = new MemoryStream();
        await using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            var entry = new PaxTarEntry(TarEntryType.RegularFile, "pause")
            {
                Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                    | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute,
                DataStream = new MemoryStream(await File.ReadAllBytesAsync(binary, cancellationToken)),
            };
            await writer.WriteEntryAsync(entry, cancellationToken);
        }
        var uncompressed = tar.ToArray();
        var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            await gzip.WriteAsync(uncompressed, cancellationToken);
        }
        return (uncompressed, compressed.ToArray());
    }

    private static async Task AddAsync(TarWriter writer, string name, byte[] content, CancellationToken cancellationToken)
    {
        var entry = new PaxTarEntry(TarEntryType.RegularFile, name)
        {
            Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            DataStream = new MemoryStream(content),
        };
        await writer.WriteEntryAsync(entry, cancellationToken);
    }

    private static JsonObject Descriptor(string mediaType, byte[] content) => new()
    {
        ["mediaType"] = mediaType,
        ["digest"] = Digest(content),
        ["size"] = content.Length,
    };

    private static string Digest(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    private static byte[] Json(JsonObject value) => System.Text.Encoding.UTF8.GetBytes(value.ToJsonString());

    /// <summary>The image must name the machine's platform, or ctr import (which unpacks for the default platform) skips it.</summary>
    private static string Architecture() => RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => "amd64",
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        var other => throw new PrerequisiteMissingException($"no OCI architecture name known for {other}"),
    };
}
