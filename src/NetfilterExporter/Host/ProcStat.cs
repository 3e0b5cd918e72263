using System.Globalization;

namespace NetfilterExporter.Host;

/// <summary>
/// The fields of a /proc/PID/stat line (proc(5)). The command name (field 2) is in parentheses and may itself
/// hold spaces and parentheses, so fields are counted from the last ')'.
/// </summary>
internal sealed class ProcStat
{
    private readonly string[] fromState;

    private ProcStat(string[] fromState) => this.fromState = fromState;

    /// <summary>Field 3: R, S, D, Z (zombie), X (dead), …</summary>
    public char State => fromState[0][0];

    /// <returns>Null when the file cannot be read (the process is gone) or is not a stat line.</returns>
    public static ProcStat? Read(string path)
    {
        var text = HostFile.ReadProc(path);
        var afterName = text?.LastIndexOf(')') ?? -1;
        if (text is null || afterName < 0)
        {
            return null;
        }
        var fields = text[(afterName + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length > 0 && fields[0].Length > 0 ? new ProcStat(fields) : null;
    }

    /// <param name="number">The field's number in proc(5), counting from 1.</param>
    public long? Field(int number) =>
        number - 3 is var index && index >= 0 && index < fromState.Length
        && long.TryParse(fromState[index], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;
}
