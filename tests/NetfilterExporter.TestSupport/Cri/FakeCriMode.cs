namespace NetfilterExporter.TestSupport.Cri;

/// <summary>How a <see cref="FakeCriRuntime"/> answers on its socket.</summary>
public enum FakeCriMode
{
    /// <summary>A CRI runtime over HTTP/2 that lists the sandboxes it was given.</summary>
    Sandboxes,

    /// <summary>A CRI runtime over HTTP/2 whose ListPodSandbox never answers until the caller gives up.</summary>
    Hang,

    /// <summary>No HTTP at all: every connection gets bytes that are not HTTP/2, then is closed.</summary>
    Garbage,

    /// <summary>A gRPC server (containerd's version API) without runtime.v1.RuntimeService: calls get UNIMPLEMENTED.</summary>
    NotCri,

    /// <summary>A plain HTTP/1.1 server, which cannot speak the HTTP/2 that gRPC needs.</summary>
    Http1,
}
