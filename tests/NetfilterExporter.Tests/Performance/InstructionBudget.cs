using System.Text.Json;

namespace NetfilterExporter.Tests.Performance;

/// <summary>
/// bench/instruction-budget.json: what one fresh collection of the generated table may cost in instructions, and the
/// table it is measured on. The file also says how and when the figure was measured and why it is what it is;
/// changing the figure is a commit that says why.
/// </summary>
public sealed record InstructionBudget(long Instructions, double Tolerance, BudgetTable Table)
{
    public static string FilePath => TestSupport.RepositoryPaths.Combine("bench", "instruction-budget.json");

    public static InstructionBudget Read()
    {
        var budget = JsonSerializer.Deserialize<InstructionBudget>(File.ReadAllText(FilePath), new JsonSerializerOptions { PropertyNameCaseInsensitive = true })
            ?? throw new InvalidDataException($"{FilePath} is empty");
        if (budget.Instructions <= 0 || budget.Tolerance is <= 0 or >= 1 || budget.Table is null || string.IsNullOrEmpty(budget.Table.Sha256))
        {
            throw new InvalidDataException($"{FilePath} needs instructions > 0, 0 < tolerance < 1 and a table with its sha256");
        }
        return budget;
    }
}

/// <summary>The generated table's shape, and its size and SHA-256 so that a changed generator cannot pass unnoticed.</summary>
public sealed record BudgetTable(int Rules, int HostPortPods, int StalePods, long Bytes, string Sha256);
