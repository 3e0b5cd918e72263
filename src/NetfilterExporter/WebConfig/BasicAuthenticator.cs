using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace NetfilterExporter.WebConfig;

/// <summary>
/// Checks HTTP basic credentials against basic_auth_users as exporter-toolkit does (web/handler.go), so a scrape
/// does not pay a bcrypt hash:
/// <list type="bullet">
/// <item>Each verdict, right or wrong, is remembered under SHA-256 of user, stored hash and password. A changed
/// file (another hash) or another password is another key, so nothing stale is ever reused; unlike the toolkit,
/// no password is kept in memory, only the digest.</item>
/// <item>A user who is not configured is checked against a dummy hash of the highest configured cost, so an
/// unknown name costs what a wrong password costs and names cannot be told apart by timing.</item>
/// <item>One bcrypt at a time: a flood of guesses queues behind itself while remembered scrapes pass.</item>
/// </list>
/// BCrypt.Net compares the computed and stored hashes in constant time.
/// </summary>
public sealed class BasicAuthenticator(int cacheSize = 100)
{
    private readonly Lock bcryptGate = new();
    private readonly Lock cacheGate = new();
    private readonly Dictionary<string, bool> verdicts = new(StringComparer.Ordinal);
    private readonly Dictionary<int, string> dummyHashes = [];
    private long bcryptVerifications;

    /// <summary>How many bcrypt comparisons ran; the cost a scrape would pay without the cache.</summary>
    public long BcryptVerifications => Interlocked.Read(ref bcryptVerifications);

    /// <summary>How many verdicts are remembered now.</summary>
    public int CachedVerdicts
    {
        get
        {
            lock (cacheGate)
            {
                return verdicts.Count;
            }
        }
    }

    public bool Accepts(IReadOnlyDictionary<string, string> users, string user, string password)
    {
        var known = users.TryGetValue(user, out var hash);
        hash ??= DummyHashFor(users);
        var key = CacheKey(user, hash, password);
        bool? remembered;
        lock (cacheGate)
        {
            remembered = verdicts.TryGetValue(key, out var verdict) ? verdict : null;
        }
        if (remembered is not { } accepted)
        {
            lock (bcryptGate)
            {
                Interlocked.Increment(ref bcryptVerifications);
                accepted = BCrypt.Net.BCrypt.Verify(password, hash);
            }
            lock (cacheGate)
            {
                // The toolkit's cache holds 100 entries too; forgetting all at once keeps the bound without an LRU.
                if (verdicts.Count >= cacheSize)
                {
                    verdicts.Clear();
                }
                verdicts[key] = accepted;
            }
        }
        return known && accepted;
    }

    /// <summary>The hash an unknown user's password is checked against: as costly as the costliest configured one.</summary>
    internal string DummyHashFor(IReadOnlyDictionary<string, string> users)
    {
        var cost = users.Values.Max(hash => BcryptHash.Cost(hash, out _) ?? BcryptHash.MinimumCost);
        lock (bcryptGate)
        {
            if (!dummyHashes.TryGetValue(cost, out var dummy))
            {
                dummyHashes[cost] = dummy = BCrypt.Net.BCrypt.HashPassword(Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)), cost);
            }
            return dummy;
        }
    }

    // Each part length-prefixed, so no choice of user and password can produce another pair's key.
    private static string CacheKey(string user, string hash, string password)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> length = stackalloc byte[4];
        foreach (var part in (ReadOnlySpan<string>)[user, hash, password])
        {
            var bytes = Encoding.UTF8.GetBytes(part);
            BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
            sha.AppendData(length);
            sha.AppendData(bytes);
        }
        return Convert.ToHexString(sha.GetHashAndReset());
    }
}
