using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace NetfilterExporter.WebConfig;

/// <summary>
/// Checks HTTP basic credentials against basic_auth_users as exporter-toolkit does (web/handler.go), so a scrape
/// does not pay a bcrypt hash:
/// <list type="bullet">
/// <item>Each verdict is remembered under SHA-256 of user, stored hash and password. A changed file (another
/// hash) or another password is another key, so nothing stale is ever reused; unlike the toolkit, no password is
/// kept in memory, only the digest.</item>
/// <item>Accepted and refused verdicts are kept apart, each bounded: only someone who knows a password can add an
/// accepted one, so a flood of guesses never pushes the scrapers' verdicts out (the toolkit's one shared cache of
/// 100 lets it).</item>
/// <item>A user who is not configured is checked against a dummy hash of the highest configured cost, so an
/// unknown name costs what a wrong password costs and names cannot be told apart by timing.</item>
/// <item>One bcrypt at a time, awaited rather than blocking a thread, and at most a few waiting: beyond them,
/// credentials that are not remembered are turned away as busy at once, so a flood of guesses holds neither
/// threads nor --web.max-requests slots while remembered scrapes and /healthz pass.</item>
/// </list>
/// BCrypt.Net compares the computed and stored hashes in constant time.
/// </summary>
internal sealed class BasicAuthenticator(int cacheSize = 100, int maxWaiting = 8)
{
    private readonly SemaphoreSlim bcryptTurn = new(1, 1);
    private readonly Lock cacheGate = new();
    private readonly HashSet<string> accepted = new(StringComparer.Ordinal);
    private readonly HashSet<string> refused = new(StringComparer.Ordinal);
    private readonly Lock dummyGate = new();
    private readonly Dictionary<int, string> dummyHashes = [];
    private long bcryptVerifications;
    private int waiting;

    /// <summary>How many bcrypt comparisons ran; the cost a scrape would pay without the cache.</summary>
    public long BcryptVerifications => Interlocked.Read(ref bcryptVerifications);

    /// <summary>How many verdicts are remembered now, accepted and refused.</summary>
    public int CachedVerdicts
    {
        get
        {
            lock (cacheGate)
            {
                return accepted.Count + refused.Count;
            }
        }
    }

    public async ValueTask<BasicAuthVerdict> CheckAsync(IReadOnlyDictionary<string, string> users, string user, string password, CancellationToken cancellationToken)
    {
        var known = users.TryGetValue(user, out var hash);
        hash ??= DummyHashFor(users);
        var key = CacheKey(user, hash, password);
        lock (cacheGate)
        {
            if (accepted.Contains(key) || refused.Contains(key))
            {
                return known && accepted.Contains(key) ? BasicAuthVerdict.Accepted : BasicAuthVerdict.Refused;
            }
        }
        if (Interlocked.Increment(ref waiting) > maxWaiting)
        {
            Interlocked.Decrement(ref waiting);
            return BasicAuthVerdict.Busy;
        }
        bool verdict;
        try
        {
            await bcryptTurn.WaitAsync(cancellationToken);
            try
            {
                Interlocked.Increment(ref bcryptVerifications);
                verdict = BCrypt.Net.BCrypt.Verify(password, hash);
            }
            finally
            {
                bcryptTurn.Release();
            }
        }
        finally
        {
            Interlocked.Decrement(ref waiting);
        }
        lock (cacheGate)
        {
            var verdicts = verdict ? accepted : refused;
            // Forgetting all of one kind at once keeps the bound without an LRU.
            if (verdicts.Count >= cacheSize)
            {
                verdicts.Clear();
            }
            verdicts.Add(key);
        }
        return known && verdict ? BasicAuthVerdict.Accepted : BasicAuthVerdict.Refused;
    }

    /// <summary>The hash an unknown user's password is checked against: as costly as the costliest configured one.</summary>
    internal string DummyHashFor(IReadOnlyDictionary<string, string> users)
    {
        var cost = users.Values.Max(hash => BcryptHash.Cost(hash, out _) ?? BcryptHash.MinimumCost);
        lock (dummyGate)
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
