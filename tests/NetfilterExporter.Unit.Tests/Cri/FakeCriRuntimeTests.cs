using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using NetfilterExporter.TestSupport.Cri;

namespace NetfilterExporter.Unit.Tests.Cri;

/// <summary>The fake container runtimes the CRI tests start do what they promise, seen through the generated CRI client.</summary>
public sealed class FakeCriRuntimeTests
{
    private const string IngressId = "4b42590d177e8116d1fd471bbc720e9491abd9163a1509fd7252af646e803cbf";
    private const string NewIngressId = "d6437fe2be059268620ea6ecf9cbaa70fbce445e1a5358c974ceda661f4fda92";

    // Generous: only a broken fake takes this long, never a slow machine.
    private static readonly TimeSpan Ample = TimeSpan.FromSeconds(30);

    public static TheoryData<string> Modes() => new(Enum.GetNames<FakeCriMode>());

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Every_mode_listens_on_a_socket_of_its_own_and_removes_it_on_dispose(string mode)
    {
        var runtime = await FakeCriRuntime.StartAsync(Behaviour(Enum.Parse<FakeCriMode>(mode)), TestContext.Current.CancellationToken);
        var socketPath = runtime.SocketPath;
        await using (runtime)
        {
            Assert.Equal(Enum.Parse<FakeCriMode>(mode), runtime.Mode);
            Assert.True(File.Exists(socketPath), $"{socketPath} does not exist");
            Assert.Equal("unix://" + socketPath, runtime.Endpoint);
            Assert.StartsWith("/", socketPath, StringComparison.Ordinal);
            Assert.True(socketPath.Length < 100, $"{socketPath} is too long for sun_path");
        }
        Assert.False(Directory.Exists(Path.GetDirectoryName(socketPath)), $"{socketPath}'s directory is left behind");
    }

    [Fact]
    public async Task Sandboxes_lists_the_given_sandboxes_with_their_state_and_metadata()
    {
        var token = TestContext.Current.CancellationToken;
        await using var runtime = await FakeCriRuntime.StartAsync(
            FakeCriBehaviour.Sandboxes(
                PodSandboxes.NotReady(IngressId, "ingress", "nginx-ingress-microk8s-controller-old"),
                PodSandboxes.Ready(NewIngressId, "ingress", "nginx-ingress-microk8s-controller-new")),
            token);
        using var channel = runtime.CreateChannel();

        var listed = await new RuntimeService.RuntimeServiceClient(channel).ListPodSandboxAsync(new ListPodSandboxRequest(), cancellationToken: token);

        Assert.Equal(
            [(IngressId, PodSandboxState.SandboxNotready, "ingress", "nginx-ingress-microk8s-controller-old"),
             (NewIngressId, PodSandboxState.SandboxReady, "ingress", "nginx-ingress-microk8s-controller-new")],
            listed.Items.Select(sandbox => (sandbox.Id, sandbox.State, sandbox.Metadata.Namespace, sandbox.Metadata.Name)));
        Assert.Equal(1, runtime.ListPodSandboxCalls);
        Assert.Equal(1, runtime.Connections);
    }

    [Fact]
    public async Task Sandboxes_can_be_changed_between_calls_and_every_call_is_counted()
    {
        var token = TestContext.Current.CancellationToken;
        await using var runtime = await FakeCriRuntime.StartAsync(FakeCriBehaviour.Sandboxes(), token);
        using var channel = runtime.CreateChannel();
        var client = new RuntimeService.RuntimeServiceClient(channel);

        var empty = await client.ListPodSandboxAsync(new ListPodSandboxRequest(), cancellationToken: token);
        var ready = PodSandboxes.Ready(NewIngressId, "ingress", "nginx");
        runtime.SetSandboxes(ready);
        ready.State = PodSandboxState.SandboxNotready; // the runtime keeps its own copy
        var one = await client.ListPodSandboxAsync(new ListPodSandboxRequest(), cancellationToken: token);
        runtime.SetSandboxes();
        var none = await client.ListPodSandboxAsync(new ListPodSandboxRequest(), cancellationToken: token);

        Assert.Empty(empty.Items);
        Assert.Equal([(NewIngressId, PodSandboxState.SandboxReady)], one.Items.Select(sandbox => (sandbox.Id, sandbox.State)));
        Assert.Empty(none.Items);
        Assert.Equal(3, runtime.ListPodSandboxCalls);
    }

    [Fact]
    public async Task A_queued_answer_is_given_to_the_next_call_only()
    {
        var token = TestContext.Current.CancellationToken;
        await using var runtime = await FakeCriRuntime.StartAsync(FakeCriBehaviour.Sandboxes(), token);
        using var channel = runtime.CreateChannel();
        var client = new RuntimeService.RuntimeServiceClient(channel);

        runtime.QueueAnswer(PodSandboxes.Ready(NewIngressId, "ingress", "nginx"));
        var peeked = runtime.Sandboxes;
        var first = await client.ListPodSandboxAsync(new ListPodSandboxRequest(), cancellationToken: token);
        var second = await client.ListPodSandboxAsync(new ListPodSandboxRequest(), cancellationToken: token);

        Assert.Equal([NewIngressId], peeked.Select(sandbox => sandbox.Id));
        Assert.Equal([NewIngressId], first.Items.Select(sandbox => sandbox.Id));
        Assert.Empty(second.Items);
        Assert.Empty(runtime.Sandboxes);
    }

    [Fact]
    public async Task Concurrent_calls_each_get_one_whole_list_while_the_test_changes_it()
    {
        var token = TestContext.Current.CancellationToken;
        PodSandbox[] before = [PodSandboxes.Ready(IngressId, "ingress", "old")];
        PodSandbox[] after = [PodSandboxes.NotReady(IngressId, "ingress", "old"), PodSandboxes.Ready(NewIngressId, "ingress", "new")];
        await using var runtime = await FakeCriRuntime.StartAsync(FakeCriBehaviour.Sandboxes(before), token);
        using var channel = runtime.CreateChannel();
        var client = new RuntimeService.RuntimeServiceClient(channel);

        var calls = Enumerable.Range(0, 64).Select(async index =>
        {
            if (index % 8 == 0)
            {
                runtime.SetSandboxes(index % 16 == 0 ? after : before);
            }
            return await client.ListPodSandboxAsync(new ListPodSandboxRequest(), cancellationToken: token);
        }).ToArray();
        var answers = await Task.WhenAll(calls);

        Assert.All(answers, answer => Assert.True(
            answer.Items.SequenceEqual(before) || answer.Items.SequenceEqual(after),
            $"a call got a list that was never set: {answer}"));
        Assert.Equal(64, runtime.ListPodSandboxCalls);
    }

    [Fact]
    public async Task Hang_never_answers_until_the_caller_cancels()
    {
        var token = TestContext.Current.CancellationToken;
        await using var runtime = await FakeCriRuntime.StartAsync(FakeCriBehaviour.Hang, token);
        using var channel = runtime.CreateChannel();
        using var giveUp = CancellationTokenSource.CreateLinkedTokenSource(token);

        var call = new RuntimeService.RuntimeServiceClient(channel).ListPodSandboxAsync(new ListPodSandboxRequest(), cancellationToken: giveUp.Token).ResponseAsync;
        await Poll.UntilAsync("the call to reach the runtime", Ample, () => runtime.ListPodSandboxCalls == 1, interval: TimeSpan.FromMilliseconds(20), cancellationToken: token);
        // A hang shows only as no answer for a while: a second of real time, since the gRPC call runs on no clock a test can advance.
        var finished = await Task.WhenAny(call, Task.Delay(TimeSpan.FromSeconds(1), token));
        Assert.NotSame(call, finished);
        await giveUp.CancelAsync();
        var error = await Assert.ThrowsAsync<RpcException>(() => call);

        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
    }

    [Fact]
    public async Task Hang_runs_into_the_callers_deadline()
    {
        var token = TestContext.Current.CancellationToken;
        await using var runtime = await FakeCriRuntime.StartAsync(FakeCriBehaviour.Hang, token);
        using var channel = runtime.CreateChannel();

        var error = await Assert.ThrowsAsync<RpcException>(async () => await new RuntimeService.RuntimeServiceClient(channel)
            .ListPodSandboxAsync(new ListPodSandboxRequest(), deadline: DateTime.UtcNow.AddSeconds(1), cancellationToken: token));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.Equal(1, runtime.ListPodSandboxCalls);
    }

    [Fact]
    public async Task Disposing_a_hanging_runtime_ends_the_call_at_once()
    {
        var token = TestContext.Current.CancellationToken;
        var runtime = await FakeCriRuntime.StartAsync(FakeCriBehaviour.Hang, token);
        using var channel = runtime.CreateChannel();
        var call = new RuntimeService.RuntimeServiceClient(channel).ListPodSandboxAsync(new ListPodSandboxRequest(), cancellationToken: token).ResponseAsync;
        await Poll.UntilAsync("the call to reach the runtime", Ample, () => runtime.ListPodSandboxCalls == 1, interval: TimeSpan.FromMilliseconds(20), cancellationToken: token);

        var stopwatch = Stopwatch.StartNew();
        await runtime.DisposeAsync();
        var error = await Assert.ThrowsAsync<RpcException>(() => call);

        Assert.True(stopwatch.Elapsed < Ample, $"dispose took {stopwatch.Elapsed}");
        Assert.NotEqual(StatusCode.OK, error.StatusCode);
    }

    [Fact]
    public async Task Garbage_makes_the_call_fail_as_a_transport_error()
    {
        var token = TestContext.Current.CancellationToken;
        await using var runtime = await FakeCriRuntime.StartAsync(FakeCriBehaviour.Garbage, token);
        using var channel = runtime.CreateChannel();

        var error = await Assert.ThrowsAsync<RpcException>(async () => await new RuntimeService.RuntimeServiceClient(channel)
            .ListPodSandboxAsync(new ListPodSandboxRequest(), deadline: DateTime.UtcNow.Add(Ample), cancellationToken: token));

        Assert.True(error.StatusCode is StatusCode.Unavailable or StatusCode.Internal, error.ToString());
        Assert.True(runtime.Connections >= 1);
        Assert.Equal(0, runtime.ListPodSandboxCalls);
    }

    [Fact]
    public async Task Garbage_writes_bytes_that_are_no_http2_settings_frame_then_closes()
    {
        var token = TestContext.Current.CancellationToken;
        await using var runtime = await FakeCriRuntime.StartAsync(FakeCriBehaviour.Garbage, token);
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(runtime.SocketPath), token);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
        timeout.CancelAfter(Ample);

        using var received = new MemoryStream();
        await stream.CopyToAsync(received, timeout.Token); // returns at end of stream: the runtime closed
        var bytes = received.ToArray();

        Assert.True(bytes.Length >= 9, $"only {bytes.Length} bytes");
        // An HTTP/2 server's first frame is SETTINGS: frame type 0x4 at offset 3, stream 0.
        Assert.NotEqual(0x4, bytes[3]);
        Assert.Equal(1, runtime.Connections);
    }

    [Fact]
    public async Task NotCri_is_a_grpc_server_that_answers_unimplemented()
    {
        var token = TestContext.Current.CancellationToken;
        await using var runtime = await FakeCriRuntime.StartAsync(FakeCriBehaviour.NotCri, token);
        using var channel = runtime.CreateChannel();

        var error = await Assert.ThrowsAsync<RpcException>(async () => await new RuntimeService.RuntimeServiceClient(channel)
            .ListPodSandboxAsync(new ListPodSandboxRequest(), cancellationToken: token));

        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
        Assert.Equal(0, runtime.ListPodSandboxCalls);
        Assert.Equal(1, runtime.Connections);
    }

    [Fact]
    public async Task Http1_answers_http_1_1_but_fails_the_grpc_call()
    {
        var token = TestContext.Current.CancellationToken;
        await using var runtime = await FakeCriRuntime.StartAsync(FakeCriBehaviour.Http1, token);
        using var channel = runtime.CreateChannel();
        using var http = new HttpClient(new SocketsHttpHandler { ConnectCallback = (_, cancel) => CriChannel.ConnectAsync(runtime.SocketPath, cancel) });

        var error = await Assert.ThrowsAsync<RpcException>(async () => await new RuntimeService.RuntimeServiceClient(channel)
            .ListPodSandboxAsync(new ListPodSandboxRequest(), deadline: DateTime.UtcNow.Add(Ample), cancellationToken: token));
        using var response = await http.GetAsync(new Uri("http://localhost/"), token);

        Assert.True(error.StatusCode is StatusCode.Unavailable or StatusCode.Internal or StatusCode.Unknown, error.ToString());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version11, response.Version);
        Assert.Contains("not a container runtime", await response.Content.ReadAsStringAsync(token), StringComparison.Ordinal);
        Assert.Equal(0, runtime.ListPodSandboxCalls);
    }

    [Theory]
    [InlineData(nameof(FakeCriMode.Hang))]
    [InlineData(nameof(FakeCriMode.Garbage))]
    [InlineData(nameof(FakeCriMode.NotCri))]
    [InlineData(nameof(FakeCriMode.Http1))]
    public async Task Only_the_sandboxes_mode_takes_sandboxes(string mode)
    {
        await using var runtime = await FakeCriRuntime.StartAsync(Behaviour(Enum.Parse<FakeCriMode>(mode)), TestContext.Current.CancellationToken);

        Assert.Throws<InvalidOperationException>(() => runtime.SetSandboxes(PodSandboxes.Ready(IngressId, "ingress", "nginx")));
        Assert.Throws<InvalidOperationException>(() => runtime.QueueAnswer());
    }

    private static FakeCriBehaviour Behaviour(FakeCriMode mode) => mode switch
    {
        FakeCriMode.Sandboxes => FakeCriBehaviour.Sandboxes(PodSandboxes.Ready(IngressId, "ingress", "nginx")),
        FakeCriMode.Hang => FakeCriBehaviour.Hang,
        FakeCriMode.Garbage => FakeCriBehaviour.Garbage,
        FakeCriMode.NotCri => FakeCriBehaviour.NotCri,
        FakeCriMode.Http1 => FakeCriBehaviour.Http1,
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };
}
