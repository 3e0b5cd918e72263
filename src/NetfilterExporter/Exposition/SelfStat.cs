using System.Globalization;

namespace NetfilterExporter.Exposition;

/// <summary>The fields of /proc/self/stat that the process_* families need (proc(5): fields 20, 23 and 24).</summary>
internal sealed record SelfStat(int Threads, double VirtualBytes, double ResidentBytes)
{
    /// <returns>Null where /proc/self/stat cannot be read or parsed.</returns>
    public static SelfStat? Read()
    {
        if (ProcFile.ReadText("/proc/self/stat") is not { } text)
        {
            return null;
        }
        // The command name (field 2) is in parentheses and may itself hold spaces and parentheses.
        var afterName = text.LastIndexOf(')');
        if (afterName < 0)
        {
            return null;
        }
        // Field 3 (state) is the first after the name, so field N is at index N - 3.
        var fields = text[(afterName + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length > 21
               && int.TryParse(fields[17], NumberStyles.None, CultureInfo.InvariantCulture, out var threads)
               && ulong.TryParse(fields[20], NumberStyles.None, CultureInfo.InvariantCulture, out var virtualBytes)
               && long.TryParse(fields[21], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var residentPages)
            ? new SelfStat(threads, virtualBytes, (double)residentPages * Environment.SystemPageSize)
            : null;
    }
}
