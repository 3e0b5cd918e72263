using System.Runtime.InteropServices;

namespace NetfilterExporter.Host;

/// <summary>The C library calls .NET has no API for.</summary>
internal static partial class LibC
{
    /// <summary>fcntl(2) with an int argument (F_SETPIPE_SZ, F_SETFD); -1 on error.</summary>
    [LibraryImport("libc", EntryPoint = "fcntl")]
    public static partial int Fcntl(int descriptor, int command, int argument);
}
