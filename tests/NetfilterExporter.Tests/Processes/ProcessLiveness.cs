using System.Globalization;

namespace NetfilterExporter.Tests.Processes;

public static class ProcessLiveness
{
    /// <summary>
    /// True while the process exists and is not a zombie. A killed orphan becomes a zombie until whatever
    /// adopted it reaps it; it no longer runs or holds any file.
    /// </summary>
    public static bool IsRunning(int processId)
    {
        string stat;
        try
        {
            stat = File.ReadAllText("/proc/" + processId.ToString(CultureInfo.InvariantCulture) + "/stat");
        }
        catch (IOException)
        {
            return false;
        }
        var state = stat[(stat.LastIndexOf(')') + 2)..][0];
        return state is not ('Z' or 'X' or 'x');
    }
}
