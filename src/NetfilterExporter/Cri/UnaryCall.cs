using Google.Protobuf;
using Grpc.Core;

namespace NetfilterExporter.Cri;

/// <summary>
/// A unary gRPC method declared by hand from generated messages, as the runtime's calls are: no client is generated, so
/// each call the exporter can make is one of these, and the answer's parser may drop the fields it does not read.
/// </summary>
internal static class UnaryCall
{
    public static Method<TRequest, TAnswer> Of<TRequest, TAnswer>(string service, string name, MessageParser<TRequest> requests, MessageParser<TAnswer> answers)
        where TRequest : IMessage<TRequest>
        where TAnswer : IMessage<TAnswer> => new(
        MethodType.Unary,
        service,
        name,
        Marshallers.Create<TRequest>(static (request, context) => context.Complete(request.ToByteArray()), context => requests.ParseFrom(context.PayloadAsReadOnlySequence())),
        Marshallers.Create<TAnswer>(static (answer, context) => context.Complete(answer.ToByteArray()), context => answers.ParseFrom(context.PayloadAsReadOnlySequence())));
}
