namespace NetfilterExporter.Deployment.Tests;

/// <summary>
/// The identification and header fields of an ELF file that say what machine it runs on, read from the file
/// itself: a cross-linked binary that ran under qemu-user could still be the wrong file, and `file` is no
/// prerequisite worth adding for four fields.
/// </summary>
public sealed record ElfHeader(byte Class, byte Data, ushort Type, ushort Machine)
{
    public const byte Class64 = 2;
    public const byte LittleEndian = 1;

    /// <summary>ET_DYN: a position-independent executable, as the Native AOT linker writes with -pie.</summary>
    public const ushort SharedObjectType = 3;

    public const ushort MachineX86_64 = 62;
    public const ushort MachineAarch64 = 183;

    public static ElfHeader Read(string path)
    {
        var bytes = new byte[20];
        using (var file = File.OpenRead(path))
        {
            file.ReadExactly(bytes);
        }
        if (!bytes.AsSpan(0, 4).SequenceEqual("\u007fELF"u8))
        {
            throw new InvalidDataException($"{path} is not an ELF file (it starts with {Convert.ToHexString(bytes, 0, 4)})");
        }
        if (bytes[5] != LittleEndian)
        {
            // e_type and e_machine below are read as little-endian; neither release architecture is big-endian.
            return new ElfHeader(bytes[4], bytes[5], 0, 0);
        }
        return new ElfHeader(bytes[4], bytes[5], BitConverter.ToUInt16(bytes, 16), BitConverter.ToUInt16(bytes, 18));
    }
}
