namespace NetfilterExporter.TestSupport.Cri;

/// <summary>
/// What a <see cref="FakeCriRuntime"/> answers and what it has been asked, shared between the test's thread and
/// the server's request threads. Sandboxes are stored and answered as copies, so nobody shares a message.
/// </summary>
internal sealed class FakeCriState(FakeCriMode mode, IEnumerable<PodSandbox> sandboxes, CancellationToken stopping)
{
    private readonly Lock gate = new();
    private readonly Queue<PodSandbox[]> queuedAnswers = new();
    private PodSandbox[] standingAnswer = Copy(sandboxes);
    private int listPodSandboxCalls;
    private int connections;

    public FakeCriMode Mode { get; } = mode;

    /// <summary>Cancelled when the fake runtime is disposed, so a hanging call ends with it.</summary>
    public CancellationToken Stopping { get; } = stopping;

    public int ListPodSandboxCalls => Volatile.Read(ref listPodSandboxCalls);

    public int Connections => Volatile.Read(ref connections);

    public void CountConnection() => Interlocked.Increment(ref connections);

    public void CountListPodSandboxCall() => Interlocked.Increment(ref listPodSandboxCalls);

    public void SetSandboxes(IEnumerable<PodSandbox> sandboxes)
    {
        var copy = Copy(sandboxes);
        lock (gate)
        {
            standingAnswer = copy;
        }
    }

    public void QueueAnswer(IEnumerable<PodSandbox> sandboxes)
    {
        var copy = Copy(sandboxes);
        lock (gate)
        {
            queuedAnswers.Enqueue(copy);
        }
    }

    public IReadOnlyList<PodSandbox> CurrentSandboxes()
    {
        lock (gate)
        {
            return Copy(queuedAnswers.TryPeek(out var queued) ? queued : standingAnswer);
        }
    }

    /// <summary>Counts the call and takes the next queued answer, or the standing one when none is queued.</summary>
    public ListPodSandboxResponse AnswerListPodSandbox()
    {
        CountListPodSandboxCall();
        PodSandbox[] answer;
        lock (gate)
        {
            answer = queuedAnswers.TryDequeue(out var queued) ? queued : standingAnswer;
        }
        return new ListPodSandboxResponse { Items = { Copy(answer) } };
    }

    private static PodSandbox[] Copy(IEnumerable<PodSandbox> sandboxes) => sandboxes.Select(sandbox => sandbox.Clone()).ToArray();
}
