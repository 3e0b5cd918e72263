using System.Globalization;

namespace NetfilterExporter.TestSupport;

/// <summary>
/// Waits for a condition by asking again and again until a generous deadline. Servers start, scrapes run, logs
/// flush and processes are reaped on their own clocks, so a test waits for what it needs and never for a fixed
/// time. Every wait names what it waited for, so a timeout says which step of the test got stuck.
/// </summary>
public static class Poll
{
    private static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Returns the first non-null answer of <paramref name="probe"/>. On timeout fails with a <see cref="TimeoutException"/>
    /// naming <paramref name="reason"/> and <paramref name="describe"/>'s account. An exception from the probe (other
    /// than the deadline cancelling it) ends the wait at once: it means waiting longer cannot help.
    /// </summary>
    public static async Task<T> UntilAsync<T>(
        string reason, TimeSpan limit, Func<CancellationToken, Task<T?>> probe, Func<string>? describe = null, TimeSpan? interval = null,
        CancellationToken cancellationToken = default)
        where T : class
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limit);
        try
        {
            while (true)
            {
                if (await probe(deadline.Token) is { } answer)
                {
                    return answer;
                }
                await Task.Delay(interval ?? DefaultInterval, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"waited {limit.TotalSeconds}s for {reason}\n{describe?.Invoke()}"));
        }
    }

    /// <summary><see cref="UntilAsync{T}"/> for a probe that answers yes or no.</summary>
    public static Task UntilAsync(
        string reason, TimeSpan limit, Func<CancellationToken, Task<bool>> probe, Func<string>? describe = null, TimeSpan? interval = null,
        CancellationToken cancellationToken = default) =>
        UntilAsync(reason, limit, async token => await probe(token) ? reason : null, describe, interval, cancellationToken);

    /// <summary><see cref="UntilAsync{T}"/> for a condition that is cheap to check, e.g. a file or a log line.</summary>
    public static Task UntilAsync(
        string reason, TimeSpan limit, Func<bool> condition, Func<string>? describe = null, TimeSpan? interval = null,
        CancellationToken cancellationToken = default) =>
        UntilAsync(reason, limit, _ => Task.FromResult(condition()), describe, interval, cancellationToken);

    /// <summary>
    /// Whether <paramref name="probe"/> said yes within <paramref name="limit"/>, for a caller that asserts the
    /// answer itself (with its own message) or reports what is left rather than failing.
    /// </summary>
    public static async Task<bool> WhetherAsync(
        TimeSpan limit, Func<CancellationToken, Task<bool>> probe, TimeSpan? interval = null, CancellationToken cancellationToken = default)
    {
        try
        {
            await UntilAsync("the condition", limit, probe, interval: interval, cancellationToken: cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary><see cref="WhetherAsync(TimeSpan, Func{CancellationToken, Task{bool}}, TimeSpan?, CancellationToken)"/> for a cheap condition, checked once more at the deadline.</summary>
    public static async Task<bool> WhetherAsync(TimeSpan limit, Func<bool> condition, TimeSpan? interval = null, CancellationToken cancellationToken = default) =>
        await WhetherAsync(limit, _ => Task.FromResult(condition()), interval, cancellationToken) || condition();
}
