using System.Globalization;

namespace NetfilterExporter.Monitoring.Tests.EndToEnd;

/// <summary>
/// Waits for a condition of the running stack by asking again and again until a generous deadline: scrapes,
/// rule evaluations and notification groups run on their own clocks, so the test never asserts on timing.
/// </summary>
public static class Poll
{
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(250);

    /// <summary>Returns the first non-null answer of <paramref name="probe"/>; on timeout fails with <paramref name="describe"/>'s account.</summary>
    public static async Task<T> UntilAsync<T>(
        string what, TimeSpan timeout, Func<CancellationToken, Task<T?>> probe, Func<string> describe, CancellationToken cancellationToken)
        where T : class
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            while (true)
            {
                if (await probe(deadline.Token) is { } answer)
                {
                    return answer;
                }
                await Task.Delay(Pause, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"waited {timeout} for {what}\n{describe()}"));
        }
    }
}
