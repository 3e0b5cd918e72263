namespace NetfilterExporter.TestSupport.Cri;

/// <summary>What a <see cref="FakeCriRuntime"/> does, chosen when it is started.</summary>
public sealed class FakeCriBehaviour
{
    private FakeCriBehaviour(FakeCriMode mode, IReadOnlyList<PodSandbox> sandboxes)
    {
        Mode = mode;
        InitialSandboxes = sandboxes;
    }

    public FakeCriMode Mode { get; }

    /// <summary>What ListPodSandbox answers until the test changes it (Sandboxes only).</summary>
    public IReadOnlyList<PodSandbox> InitialSandboxes { get; }

    /// <summary>ListPodSandbox answers these (copies: changing the arguments later changes nothing).</summary>
    public static FakeCriBehaviour Sandboxes(params PodSandbox[] sandboxes) =>
        new(FakeCriMode.Sandboxes, sandboxes.Select(sandbox => sandbox.Clone()).ToArray());

    public static FakeCriBehaviour Hang { get; } = new(FakeCriMode.Hang, []);

    public static FakeCriBehaviour Garbage { get; } = new(FakeCriMode.Garbage, []);

    public static FakeCriBehaviour NotCri { get; } = new(FakeCriMode.NotCri, []);

    public static FakeCriBehaviour Http1 { get; } = new(FakeCriMode.Http1, []);

    public override string ToString() => Mode.ToString();
}
