using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

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

    // GetContainerRequest and StoreGetRequest are both `string id = 1;` on the wire, as StringValue is; only the call's
    // status is read, so the answer is parsed as an empty message whose fields are all dropped.
    private static readonly MessageParser<Empty> AnswerParser = Empty.Parser.WithDiscardUnknownFields(true);

    private static readonly Method<StringValue, Empty> GetContainer = Get("containerd.services.containers.v1.Containers");

    private static readonly Method<StringValue, Empty> GetSandbox = Get("containerd.services.sandbox.v1.Store");

    /// <summary>
    /// The ids of <paramref name="sandboxIds"/> that containerd's sandbox or container store holds; null when the socket
    /// serves neither store (a runtime that is not containerd), so nothing can be said.
    /// </summary>
    /// <exception cref="CriException">A store failed to answer with anything but found or not found.</exception>
    public static async Task<IReadOnlySet<string>?> HoldingAsync(string socketPath, IReadOnlyCollection<string> sandboxIds, CancellationToken cancellationToken)
    {
        using var channel = CriClient.OpenChannel(socketPath);
        var invoker = channel.CreateCallInvoker();
        var options = new CallOptions(new Metadata { { "containerd-namespace", CriNamespace } }, cancellationToken: cancellationToken);
        var held = new HashSet<string>(StringComparer.Ordinal);
        var served = new HashSet<Method<StringValue, Empty>>();
        foreach (var id in sandboxIds)
        {
            foreach (var store in new[] { GetSandbox, GetContainer })
            {
                try
                {
                    await invoker.AsyncUnaryCall(store, host: null, options, new StringValue { Value = id });
                    served.Add(store);
                    held.Add(id);
                    break;
                }
                catch (RpcException notFound) when (notFound.StatusCode == StatusCode.NotFound)
                {
                    served.Add(store);
                }
                catch (RpcException absent) when (absent.StatusCode == StatusCode.Unimplemented)
                {
                    // containerd 1.6 has no sandbox store; another runtime has neither.
                }
                catch (RpcException failed)
                {
                    throw new CriException(socketPath, failed, "containerd " + store.FullName);
                }
            }
        }
        return served.Count == 0 ? null : held;
    }

    private static Method<StringValue, Empty> Get(string service) => new(
        MethodType.Unary,
        service,
        "Get",
        Marshallers.Create<StringValue>(
            static (request, context) => context.Complete(request.ToByteArray()),
            static context => StringValue.Parser.ParseFrom(context.PayloadAsReadOnlySequence())),
        Marshallers.Create<Empty>(
            static (response, context) => context.Complete(response.ToByteArray()),
            static context => AnswerParser.ParseFrom(context.PayloadAsReadOnlySequence())));
}
