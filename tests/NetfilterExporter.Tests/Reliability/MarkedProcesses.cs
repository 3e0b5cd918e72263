using System.Globalization;
using System.Text;
using NetfilterExporter.Tests.Processes;

namespace NetfilterExporter.Tests.Reliability;

/// <summary>Finds live processes by an environment variable they inherited, wherever they were re-parented to.</summary>
public static class MarkedProcesses
{
    public static IReadOnlyList<int> Running(string variable, string value)
    {
        var wanted = Encoding.UTF8.GetBytes($"{variable}={value}");
        var found = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                continue;
            }
            try
            {
                var environment = File.ReadAllBytes(Path.Combine(directory, "environ"));
                if (environment.AsSpan().IndexOf(wanted) >= 0 && ProcessLiveness.IsRunning(id))
                {
                    found.Add(id);
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // Exited while we looked.
            }
        }
        return found;
    }

    /// <summary>
    /// Waits until no marked process runs, polling with a generous limit, and returns those still running:
    /// a killed process can take a moment to be reaped on a busy machine, a leaked one never goes away.
    /// </summary>
    public static async Task<IReadOnlyList<int>> WaitUntilNoneRunAsync(string variable, string value)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        IReadOnlyList<int> running;
        while ((running = Running(variable, value)).Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
        return running;
    }
}
