using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using NetfilterExporter.Cri.Containerd;

namespace NetfilterExporter.Cri;

/// <summary>
/// Asks containerd's own stores, on the socket that answered CRI, whether they hold a sandbox that CRI does not list.
/// containerd runs the CNI ADD chain, portmap included, before CRI lists the new sandbox: in containerd 2.x the sandbox
/// is first written to its sandbox store, in 1.6 and 1.7 its pause container to the container store, and CRI lists it
/// only once it is ready. So a claim whose sandbox CRI does not list but a store holds belongs to a pod being created,
/// not to a pod that is gone. Both calls are reads: Get by id, in the namespace where CRI keeps its sandboxes.
/// </summary>
public static class ContainerdStores
{
    /// <summary>containerd's CRI plugin keeps everything in this namespace (its constant, not a setting).</summary>
    public const string CriNamespace = "k8s.io";

    private static readonly Method<GetByIdRequest, SandboxAnswer> GetSandbox =
        UnaryCall.Of("containerd.services.sandbox.v1.Store", "Get", GetByIdRequest.Parser, SandboxAnswer.Parser.WithDiscardUnknownFields(true));

    private static readonly Method<GetByIdRequest, ContainerAnswer> GetContainer =
        UnaryCall.Of("containerd.services.containers.v1.Containers", "Get", GetByIdRequest.Parser, ContainerAnswer.Parser.WithDiscardUnknownFields(true));

    /// <summary>Every store call the exporter can make: what the read-only tests inspect.</summary>
    public static IReadOnlyList<IMethod> Calls { get; } = [GetSandbox, GetContainer];

    /// <summary>
    /// The ids of <paramref name="sandboxIds"/> that containerd's sandbox or container store holds, with when the store
    /// created them (null when it did not say); null when the socket serves neither store (a runtime that is not
    /// containerd), so nothing can be said.
    /// </summary>
    /// <exception cref="CriException">A store failed to answer with anything but found or not found.</exception>
    public static async Task<IReadOnlyDictionary<string, DateTimeOffset?>?> HoldingAsync(
        string socketPath, IReadOnlyCollection<string> sandboxIds, CancellationToken cancellationToken)
    {
        using var channel = CriClient.OpenChannel(socketPath);
        var invoker = channel.CreateCallInvoker();
        var options = new CallOptions(new Metadata { { "containerd-namespace", CriNamespace } }, cancellationToken: cancellationToken);
        var held = new Dictionary<string, DateTimeOffset?>(StringComparer.Ordinal);
        // containerd 1.6 has no sandbox store, another runtime neither store: asked once, not per id.
        var (sandboxStore, containerStore) = (true, true);
        foreach (var id in sandboxIds)
        {
            var request = new GetByIdRequest { Id = id };
            if (sandboxStore)
            {
                var (served, found, created) = await AskAsync(socketPath, GetSandbox, invoker, options, request, answer => answer.Sandbox?.CreatedAt);
                sandboxStore = served;
                if (found)
                {
                    held[id] = created;
                    continue;
                }
            }
            if (containerStore)
            {
                var (served, found, created) = await AskAsync(socketPath, GetContainer, invoker, options, request, answer => answer.Container?.CreatedAt);
                containerStore = served;
                if (found)
                {
                    held[id] = created;
                }
            }
        }
        return sandboxStore || containerStore ? held : null;
    }

    /// <summary>Whether the store is served, whether it holds the id, and when it created it (null when not given).</summary>
    private static async Task<(bool Served, bool Found, DateTimeOffset? CreatedAt)> AskAsync<TAnswer>(
        string socketPath, Method<GetByIdRequest, TAnswer> store, CallInvoker invoker, CallOptions options, GetByIdRequest request, Func<TAnswer, Timestamp?> createdAt)
        where TAnswer : class
    {
        try
        {
            var answer = await invoker.AsyncUnaryCall(store, host: null, options, request);
            return (true, true, createdAt(answer)?.ToDateTimeOffset());
        }
        catch (RpcException notFound) when (notFound.StatusCode == StatusCode.NotFound)
        {
            return (true, false, null);
        }
        catch (RpcException absent) when (absent.StatusCode == StatusCode.Unimplemented)
        {
            return (false, false, null);
        }
        catch (RpcException failed)
        {
            throw new CriException(socketPath, failed, "containerd " + store.FullName);
        }
    }
}
