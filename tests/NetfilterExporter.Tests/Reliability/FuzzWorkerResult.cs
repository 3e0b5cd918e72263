using System.Globalization;

namespace NetfilterExporter.Tests.Reliability;

/// <summary>What one fuzzing worker saw; <see cref="Failure"/> says how to reproduce the first bad input.</summary>
public sealed record FuzzWorkerResult(int Accepted, int Rejected, long Claims, string? Failure)
{
    /// <summary>Keeps the input that failed in a file, so it can become a regular test.</summary>
    public static FuzzWorkerResult Failed(int seed, int input, byte[] bytes, string problem)
    {
        var kept = Path.Combine(Path.GetTempPath(), string.Create(CultureInfo.InvariantCulture, $"nfx-fuzz-seed{seed}-input{input}.txt"));
        File.WriteAllBytes(kept, bytes);
        return new FuzzWorkerResult(0, 0, 0, string.Create(CultureInfo.InvariantCulture, $"seed {seed}, input {input} (kept in {kept}): {problem}"));
    }
}
