using System.Buffers;

namespace NetfilterExporter.Exposition;

/// <summary>
/// Compares series ("name{labels}") by their bytes in the output being written, so that detecting a repeated
/// series costs no string per series. Offsets stay valid when the writer grows: they index its written part.
/// </summary>
internal sealed class SeriesKeyComparer(ArrayBufferWriter<byte> output) : IEqualityComparer<(int Start, int Length)>
{
    public bool Equals((int Start, int Length) x, (int Start, int Length) y) =>
        Bytes(x).SequenceEqual(Bytes(y));

    public int GetHashCode((int Start, int Length) key)
    {
        var hash = new HashCode();
        hash.AddBytes(Bytes(key));
        return hash.ToHashCode();
    }

    private ReadOnlySpan<byte> Bytes((int Start, int Length) key) => output.WrittenSpan.Slice(key.Start, key.Length);
}
