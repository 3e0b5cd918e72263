using NetfilterExporter.WebConfig;

namespace NetfilterExporter.Unit.Tests.WebConfig;

public sealed class BasicAuthenticatorTests
{
    // Cost 4, bcrypt's minimum, so the tests run quickly; the cache does not depend on the cost.
    private static readonly string PrometheusHash = BCrypt.Net.BCrypt.HashPassword("s3cret", 4);

    private static Dictionary<string, string> Users(string hash) => new() { ["prometheus"] = hash };

    private static async ValueTask<bool> Accepts(BasicAuthenticator authenticator, IReadOnlyDictionary<string, string> users, string user, string password) =>
        await authenticator.CheckAsync(users, user, password, TestContext.Current.CancellationToken) == BasicAuthVerdict.Accepted;

    [Fact]
    public async Task A_thousand_accepted_scrapes_cost_one_bcrypt()
    {
        var authenticator = new BasicAuthenticator();
        var users = Users(PrometheusHash);

        var accepted = 0;
        for (var scrape = 0; scrape < 1000; scrape++)
        {
            accepted += await Accepts(authenticator, users, "prometheus", "s3cret") ? 1 : 0;
        }

        Assert.Equal(1000, accepted);
        Assert.Equal(1, authenticator.BcryptVerifications);
    }

    [Fact]
    public async Task Wrong_passwords_and_unknown_users_are_refused_and_each_costs_one_bcrypt_like_a_new_password()
    {
        var authenticator = new BasicAuthenticator();
        var users = Users(PrometheusHash);

        Assert.False(await Accepts(authenticator, users, "prometheus", "guess"));
        Assert.False(await Accepts(authenticator, users, "prometheus", "S3cret"));
        Assert.False(await Accepts(authenticator, users, "grafana", "s3cret"));
        Assert.False(await Accepts(authenticator, users, "", ""));
        Assert.Equal(4, authenticator.BcryptVerifications);
        Assert.False(await Accepts(authenticator, users, "grafana", "s3cret"));
        Assert.Equal(4, authenticator.BcryptVerifications);
    }

    [Fact]
    public void An_unknown_user_is_checked_against_a_hash_of_the_highest_configured_cost()
    {
        var authenticator = new BasicAuthenticator();
        var users = new Dictionary<string, string> { ["a"] = PrometheusHash, ["b"] = BCrypt.Net.BCrypt.HashPassword("x", 6) };

        var dummy = authenticator.DummyHashFor(users);

        Assert.Equal(6, BcryptHash.Cost(dummy, out _));
        Assert.Same(dummy, authenticator.DummyHashFor(users));
    }

    [Fact]
    public async Task A_changed_hash_is_verified_again_and_the_old_password_stops_working()
    {
        var authenticator = new BasicAuthenticator();
        Assert.True(await Accepts(authenticator, Users(PrometheusHash), "prometheus", "s3cret"));

        var rotated = Users(BCrypt.Net.BCrypt.HashPassword("n3w", 4));

        Assert.False(await Accepts(authenticator, rotated, "prometheus", "s3cret"));
        Assert.True(await Accepts(authenticator, rotated, "prometheus", "n3w"));
        Assert.Equal(3, authenticator.BcryptVerifications);
    }

    [Fact]
    public async Task A_flood_of_guesses_stays_bounded_and_never_costs_the_scraper_another_bcrypt()
    {
        var authenticator = new BasicAuthenticator(cacheSize: 10);
        var users = Users(PrometheusHash);
        Assert.True(await Accepts(authenticator, users, "prometheus", "s3cret"));

        for (var guess = 0; guess < 25; guess++)
        {
            Assert.False(await Accepts(authenticator, users, "prometheus", $"guess-{guess}"));
        }
        var afterFlood = authenticator.BcryptVerifications;

        Assert.True(await Accepts(authenticator, users, "prometheus", "s3cret"));
        Assert.Equal(afterFlood, authenticator.BcryptVerifications);
        Assert.True(authenticator.CachedVerdicts <= 11, $"{authenticator.CachedVerdicts} verdicts cached");
    }

    [Fact]
    public async Task Beyond_the_waiting_limit_new_credentials_are_busy_while_remembered_ones_pass()
    {
        var authenticator = new BasicAuthenticator(maxWaiting: 2);
        var slow = Users(BCrypt.Net.BCrypt.HashPassword("s3cret", 12));
        Assert.True(await Accepts(authenticator, slow, "prometheus", "s3cret"));

        var guesses = Enumerable.Range(0, 6)
            // Each on its own thread: a check runs synchronously up to its first wait.
            .Select(guess => Task.Run(() => authenticator.CheckAsync(slow, "prometheus", $"guess-{guess}", TestContext.Current.CancellationToken).AsTask()))
            .ToList();
        var remembered = await authenticator.CheckAsync(slow, "prometheus", "s3cret", TestContext.Current.CancellationToken);
        var verdicts = await Task.WhenAll(guesses);

        Assert.Equal(BasicAuthVerdict.Accepted, remembered);
        Assert.Contains(BasicAuthVerdict.Busy, verdicts);
        Assert.DoesNotContain(BasicAuthVerdict.Accepted, verdicts);
        Assert.True(verdicts.Count(verdict => verdict == BasicAuthVerdict.Refused) >= 2, string.Join(", ", verdicts));
    }
}
