using System.Buffers;

namespace NetfilterExporter.Iptables;

/// <summary>
/// The chain names a dump declared, kept as 64-bit hashes of their bytes rather than strings: a kube-proxy
/// table declares tens of thousands of KUBE-SVC-*/KUBE-SEP-* chains, and remembering them must not cost a
/// string each. The two 32-bit halves come from HashCode, which is seeded per process, so no dump can be
/// crafted to collide; an accidental collision among 100,000 names has odds below 1 in 10^9.
/// The hashes live in an open-addressing table rented from the shared array pool and returned on
/// <see cref="Dispose"/>, so parsing one scrape after another allocates nothing per declared chain.
/// </summary>
internal sealed class DeclaredChains : IDisposable
{
    private const int InitialCapacity = 1024;

    // 0 marks an empty slot; a name that hashes to 0 is stored as 1 (it only widens that one hash's odds).
    private const ulong Empty = 0;

    private ulong[] slots;
    private int capacity = InitialCapacity;
    private int count;

    public DeclaredChains()
    {
        slots = RentCleared(capacity);
    }

    /// <returns>False when the name was declared before.</returns>
    public bool Add(ReadOnlySpan<byte> name)
    {
        // Kept at most half full, so probes stay short.
        if ((count + 1) * 2 > capacity)
        {
            Grow();
        }
        var hash = Hash(name);
        var slot = Find(slots, capacity, hash);
        if (slots[slot] == hash)
        {
            return false;
        }
        slots[slot] = hash;
        count++;
        return true;
    }

    public bool Contains(ReadOnlySpan<byte> name)
    {
        var hash = Hash(name);
        return slots[Find(slots, capacity, hash)] == hash;
    }

    public void Dispose()
    {
        ArrayPool<ulong>.Shared.Return(slots);
        slots = [];
        capacity = 0;
    }

    /// <summary>The slot holding <paramref name="hash"/>, or the empty slot where it belongs (linear probing).</summary>
    private static int Find(ulong[] table, int size, ulong hash)
    {
        var mask = size - 1;
        var slot = (int)(hash ^ (hash >> 32)) & mask;
        while (table[slot] != Empty && table[slot] != hash)
        {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private void Grow()
    {
        var larger = capacity * 2;
        var table = RentCleared(larger);
        foreach (var hash in slots.AsSpan(0, capacity))
        {
            if (hash != Empty)
            {
                table[Find(table, larger, hash)] = hash;
            }
        }
        ArrayPool<ulong>.Shared.Return(slots);
        slots = table;
        capacity = larger;
    }

    // The pool hands out arrays at least this long, holding whatever their last user left.
    private static ulong[] RentCleared(int size)
    {
        var table = ArrayPool<ulong>.Shared.Rent(size);
        Array.Clear(table, 0, size);
        return table;
    }

    private static ulong Hash(ReadOnlySpan<byte> name)
    {
        var low = new HashCode();
        low.AddBytes(name);
        var high = new HashCode();
        high.Add(name.Length);
        high.AddBytes(name);
        var hash = (ulong)(uint)high.ToHashCode() << 32 | (uint)low.ToHashCode();
        return hash == Empty ? 1 : hash;
    }
}
