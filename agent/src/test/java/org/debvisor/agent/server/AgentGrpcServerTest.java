package org.debvisor.agent.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.rpc.BadRequest;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.protobuf.StatusProto;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.debvisor.agent.Agent;
import org.debvisor.agent.collect.system.SystemCollector;
import org.debvisor.agent.testing.SwitchableCollector;
import org.debvisor.agent.testing.TestAgents;
import org.debvisor.agentapi.SystemSettings;
import org.debvisor.common.grpc.RequestIdInterceptor;
import org.debvisor.proto.HealthState;
import org.debvisor.proto.NodeGrpc;
import org.debvisor.proto.NodeStatus;
import org.debvisor.proto.StatusRequest;
import org.debvisor.proto.Subsystem;
import org.debvisor.proto.WatchStatusRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The agent's gRPC and HTTP endpoints over real Netty sockets on loopback. */
class AgentGrpcServerTest {

  private static final int MAX_MESSAGE = 1024;
  private static final SwitchableCollector kubernetes = new SwitchableCollector();
  private static Agent agent;
  private static ManagedChannel channel;

  @BeforeAll
  static void start() throws Exception {
    agent =
        TestAgents.start(
            TestAgents.loopbackSettings(MAX_MESSAGE),
            List.of(new SystemCollector(new SystemSettings(null, null, null, null)), kubernetes));
    channel = TestAgents.channel(agent);
    waitUntil(() -> agent.board().allCollectedOnce());
  }

  @AfterAll
  static void stop() throws Exception {
    TestAgents.close(channel);
    agent.close();
  }

  private static void waitUntil(java.util.function.BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition met within 10 s").isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  @Test
  void statusReturnsTheAssembledReport() {
    NodeStatus status =
        NodeGrpc.newBlockingStub(channel).status(StatusRequest.getDefaultInstance());

    assertThat(status.getNode().getNodeId()).isEqualTo("test-node");
    assertThat(status.getSubsystemsList())
        .extracting(s -> s.getSubsystem())
        .containsExactly(Subsystem.SUBSYSTEM_KUBERNETES, Subsystem.SUBSYSTEM_SYSTEM);
    assertThat(status.getSubsystems(1).getSystem().getMemoryTotalBytes()).isPositive();
    assertThat(status.hasGeneratedAt()).isTrue();
  }

  @Test
  void statusAnswersTheNewReportOnceACollectionChangedIt() throws Exception {
    var stub = NodeGrpc.newBlockingStub(channel);
    NodeStatus before = stub.status(StatusRequest.getDefaultInstance());
    assertThat(before.getState()).isNotEqualTo(HealthState.HEALTH_ERROR);
    try {
      kubernetes.set(HealthState.HEALTH_ERROR, "node n1 NotReady: KubeletNotReady");
      waitUntil(
          () ->
              stub.status(StatusRequest.getDefaultInstance()).getState()
                  == HealthState.HEALTH_ERROR);

      NodeStatus after = stub.status(StatusRequest.getDefaultInstance());
      assertThat(after.getRevision()).isGreaterThan(before.getRevision());
      assertThat(after.getSummary()).contains("kubernetes ERROR: node n1 NotReady");
    } finally {
      kubernetes.set(HealthState.HEALTH_OK, "ready");
    }
    waitUntil(
        () ->
            stub.status(StatusRequest.getDefaultInstance()).getState() != HealthState.HEALTH_ERROR);
  }

  @Test
  void callsOnManyConnectionsRunOnAtMostTwoNamedEventLoops() throws Exception {
    List<ManagedChannel> channels = new java.util.ArrayList<>();
    try {
      for (int i = 0; i < 8; i++) {
        ManagedChannel c =
            io.grpc.netty.NettyChannelBuilder.forAddress(agent.grpcAddresses().get(0))
                .usePlaintext()
                .build();
        channels.add(c);
        NodeGrpc.newBlockingStub(c).status(StatusRequest.getDefaultInstance());
      }
    } finally {
      for (ManagedChannel c : channels) {
        TestAgents.close(c);
      }
    }

    // Netty names them agent-grpc-POOL-N; other agents of this JVM have their own POOL.
    java.util.Map<String, Long> loopsPerPool =
        Thread.getAllStackTraces().keySet().stream()
            .map(Thread::getName)
            .filter(n -> n.matches("agent-grpc-\\d+-\\d+"))
            .collect(
                java.util.stream.Collectors.groupingBy(
                    n -> n.substring(0, n.lastIndexOf('-')),
                    java.util.stream.Collectors.counting()));
    assertThat(loopsPerPool).isNotEmpty();
    assertThat(loopsPerPool.values())
        .allSatisfy(
            n ->
                assertThat(n)
                    .isBetween(1L, (long) Math.min(2, Runtime.getRuntime().availableProcessors())));
  }

  @Test
  void watchSendsCurrentReportThenChanges() throws Exception {
    BlockingQueue<NodeStatus> received = new LinkedBlockingQueue<>();
    var call = channel.newCall(NodeGrpc.getWatchStatusMethod(), CallOptions.DEFAULT);
    ClientCalls.asyncServerStreamingCall(
        call, WatchStatusRequest.getDefaultInstance(), collectInto(received));
    try {
      NodeStatus first = received.poll(10, TimeUnit.SECONDS);
      assertThat(first).isNotNull();

      kubernetes.set(HealthState.HEALTH_ERROR, "node n1 NotReady: KubeletNotReady");
      NodeStatus changed = awaitReport(received, HealthState.HEALTH_ERROR);

      assertThat(changed.getRevision()).isGreaterThan(first.getRevision());
      assertThat(changed.getSummary()).contains("kubernetes ERROR: node n1 NotReady");
    } finally {
      call.cancel("test done", null);
      kubernetes.set(HealthState.HEALTH_OK, "ready");
    }
  }

  @Test
  void watchRepeatsTheReportAfterTheHeartbeatInterval() throws Exception {
    BlockingQueue<NodeStatus> received = new LinkedBlockingQueue<>();
    var call = channel.newCall(NodeGrpc.getWatchStatusMethod(), CallOptions.DEFAULT);
    WatchStatusRequest request =
        WatchStatusRequest.newBuilder()
            .setHeartbeatInterval(com.google.protobuf.Duration.newBuilder().setSeconds(1))
            .build();
    ClientCalls.asyncServerStreamingCall(call, request, collectInto(received));
    try {
      List<NodeStatus> got = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        NodeStatus s = received.poll(10, TimeUnit.SECONDS);
        assertThat(s).as("report %d arrived", i).isNotNull();
        got.add(s);
      }
      // With nothing changing in the Kubernetes slot, the system collector's load figures may
      // still move; either way three reports arrived within a few heartbeat intervals.
      assertThat(got).hasSize(3);
    } finally {
      call.cancel("test done", null);
    }
  }

  @Test
  void watchRejectsAnOutOfRangeHeartbeatNamingTheField() {
    WatchStatusRequest request =
        WatchStatusRequest.newBuilder()
            .setHeartbeatInterval(com.google.protobuf.Duration.newBuilder().setNanos(500_000_000))
            .build();
    Iterator<NodeStatus> stream = NodeGrpc.newBlockingStub(channel).watchStatus(request);

    assertThatThrownBy(stream::next)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              com.google.rpc.Status details = StatusProto.fromThrowable(e);
              assertThat(details).isNotNull();
              BadRequest bad = unpack(details);
              assertThat(bad.getFieldViolations(0).getField()).isEqualTo("heartbeat_interval");
              assertThat(bad.getFieldViolations(0).getDescription()).contains("between 1s and 1h");
            });
  }

  private static BadRequest unpack(com.google.rpc.Status details) {
    try {
      return details.getDetails(0).unpack(BadRequest.class);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void watchEndsWithDeadlineExceededWhenTheCallersDeadlinePasses() {
    Iterator<NodeStatus> stream =
        NodeGrpc.newBlockingStub(channel)
            .withDeadlineAfter(1500, TimeUnit.MILLISECONDS)
            .watchStatus(WatchStatusRequest.getDefaultInstance());

    assertThatThrownBy(
            () -> {
              for (int i = 0; i < 1000 && stream.hasNext(); i++) {
                stream.next();
              }
            })
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
  }

  @Test
  void oversizedRequestIsRefusedWithResourceExhausted() {
    io.grpc.MethodDescriptor<byte[], byte[]> raw =
        io.grpc.MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodType.UNARY)
            .setFullMethodName(NodeGrpc.getStatusMethod().getFullMethodName())
            .setRequestMarshaller(new BytesMarshaller())
            .setResponseMarshaller(new BytesMarshaller())
            .build();
    // Field 15 as an unknown length-delimited field: a well-formed message, just too big.
    byte[] big = new byte[MAX_MESSAGE * 4];
    big[0] = (byte) 0x7a;
    big[1] = (byte) 0xfc;
    big[2] = (byte) 0x1f;

    assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, raw, CallOptions.DEFAULT, big))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
    // and the server still answers normally afterwards
    assertThat(NodeGrpc.newBlockingStub(channel).status(StatusRequest.getDefaultInstance()))
        .isNotNull();
  }

  @Test
  void healthServiceReportsServing() {
    var health = HealthGrpc.newBlockingStub(channel);

    assertThat(
            health
                .check(HealthCheckRequest.newBuilder().setService("debvisor.Node").build())
                .getStatus())
        .isEqualTo(ServingStatus.SERVING);
    assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus())
        .isEqualTo(ServingStatus.SERVING);
  }

  @Test
  void requestIdIsEchoed() {
    Metadata headers = new Metadata();
    headers.put(RequestIdInterceptor.REQUEST_ID, "req-42");
    AtomicReference<Metadata> responseHeaders = new AtomicReference<>();
    AtomicReference<Metadata> trailers = new AtomicReference<>();
    NodeGrpc.newBlockingStub(channel)
        .withInterceptors(
            MetadataUtils.newAttachHeadersInterceptor(headers),
            MetadataUtils.newCaptureMetadataInterceptor(responseHeaders, trailers))
        .status(StatusRequest.getDefaultInstance());

    assertThat(responseHeaders.get().get(RequestIdInterceptor.REQUEST_ID)).isEqualTo("req-42");
  }

  /** What grpcurl does with no proto files: discover through reflection, then call dynamically. */
  @Test
  void reflectionAloneIsEnoughToListAndCallStatus() throws Exception {
    List<String> services =
        reflect(ServerReflectionRequest.newBuilder().setListServices("*").build())
            .getListServicesResponse()
            .getServiceList()
            .stream()
            .map(s -> s.getName())
            .toList();
    assertThat(services)
        .contains(
            "debvisor.Node",
            "grpc.health.v1.Health",
            "grpc.reflection.v1.ServerReflection",
            "grpc.reflection.v1alpha.ServerReflection");

    Map<String, FileDescriptorProto> protos = new HashMap<>();
    for (ByteString bytes :
        reflect(
                ServerReflectionRequest.newBuilder()
                    .setFileContainingSymbol("debvisor.Node")
                    .build())
            .getFileDescriptorResponse()
            .getFileDescriptorProtoList()) {
      FileDescriptorProto proto = FileDescriptorProto.parseFrom(bytes);
      protos.put(proto.getName(), proto);
    }
    FileDescriptor node = build("debvisor/node.proto", protos, new HashMap<>());
    MethodDescriptor status = node.findServiceByName("Node").findMethodByName("Status");

    io.grpc.MethodDescriptor<DynamicMessage, DynamicMessage> dynamic =
        io.grpc.MethodDescriptor.<DynamicMessage, DynamicMessage>newBuilder()
            .setType(MethodType.UNARY)
            .setFullMethodName("debvisor.Node/Status")
            .setRequestMarshaller(new DynamicMarshaller(status.getInputType()))
            .setResponseMarshaller(new DynamicMarshaller(status.getOutputType()))
            .build();
    DynamicMessage reply =
        ClientCalls.blockingUnaryCall(
            channel,
            dynamic,
            CallOptions.DEFAULT,
            DynamicMessage.getDefaultInstance(status.getInputType()));

    var subsystems = status.getOutputType().findFieldByName("subsystems");
    assertThat(reply.getRepeatedFieldCount(subsystems)).isEqualTo(2);
    var nodeField = status.getOutputType().findFieldByName("node");
    DynamicMessage identity = (DynamicMessage) reply.getField(nodeField);
    assertThat(identity.getField(identity.getDescriptorForType().findFieldByName("node_id")))
        .isEqualTo("test-node");
  }

  @Test
  void reflectionV1AlphaAnswersToo() throws Exception {
    var stub = io.grpc.reflection.v1alpha.ServerReflectionGrpc.newStub(channel);
    CompletableFuture<io.grpc.reflection.v1alpha.ServerReflectionResponse> answer =
        new CompletableFuture<>();
    StreamObserver<io.grpc.reflection.v1alpha.ServerReflectionRequest> requests =
        stub.serverReflectionInfo(completeWith(answer));
    requests.onNext(
        io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder()
            .setListServices("*")
            .build());
    requests.onCompleted();

    assertThat(answer.get(10, TimeUnit.SECONDS).getListServicesResponse().getServiceList())
        .anyMatch(s -> s.getName().equals("debvisor.Node"));
  }

  @Test
  void aMalformedStatusRequestIsInvalidArgumentInTheAnswerTheMetricAndOneLogLine()
      throws Exception {
    // Garbage where a StatusRequest belongs, sent unauthenticated over real HTTP/2.
    byte[] garbage = {0x0a, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f, 0x01};
    io.grpc.MethodDescriptor<byte[], byte[]> rawStatus =
        io.grpc.MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodType.UNARY)
            .setFullMethodName(NodeGrpc.getStatusMethod().getFullMethodName())
            .setRequestMarshaller(RawBytes.MARSHALLER)
            .setResponseMarshaller(RawBytes.MARSHALLER)
            .build();
    ch.qos.logback.classic.Logger rpcLog =
        (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("debvisor.rpc");
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs =
        new ch.qos.logback.core.read.ListAppender<>();
    logs.start();
    rpcLog.addAppender(logs);
    int requests = 3;
    try {
      for (int i = 0; i < requests; i++) {
        assertThatThrownBy(
                () ->
                    ClientCalls.blockingUnaryCall(channel, rawStatus, CallOptions.DEFAULT, garbage))
            .isInstanceOf(StatusRuntimeException.class)
            .satisfies(
                e ->
                    assertThat(((StatusRuntimeException) e).getStatus().getCode())
                        .isEqualTo(Status.Code.INVALID_ARGUMENT));
      }
    } finally {
      rpcLog.detachAppender(logs);
    }
    HttpClient http = HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + agent.httpAddress().orElseThrow().getPort();
    String metrics = get(http, base + "/metrics").body();

    assertThat(metrics)
        .contains(
            "debvisor_rpc_request_duration_seconds_count{code=\"INVALID_ARGUMENT\",method=\"debvisor.Node/Status\"} "
                + requests)
        .doesNotContain("code=\"INTERNAL\",method=\"debvisor.Node/Status\"")
        .doesNotContain("code=\"UNKNOWN\",method=\"debvisor.Node/Status\"");
    // Rate-limited: the first line, the others counted into the next one (the limiter's own
    // arithmetic is MalformedRequestGuardTest's).
    assertThat(logs.list)
        .isNotEmpty()
        .hasSizeLessThanOrEqualTo(requests)
        .allSatisfy(
            event -> {
              assertThat(event.getThrowableProxy()).as("no stack trace").isNull();
              assertThat(event.getFormattedMessage())
                  .contains("malformed request")
                  .contains("debvisor.Node/Status");
            });
  }

  /** Bytes on the wire as given, for requests no stub would send. */
  private static final class RawBytes {
    static final io.grpc.MethodDescriptor.Marshaller<byte[]> MARSHALLER =
        new io.grpc.MethodDescriptor.Marshaller<>() {
          @Override
          public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
          }

          @Override
          public byte[] parse(InputStream stream) {
            try {
              return stream.readAllBytes();
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          }
        };
  }

  @Test
  void metricsHealthzAndReadyzOverHttp() throws Exception {
    NodeGrpc.newBlockingStub(channel).status(StatusRequest.getDefaultInstance());
    HttpClient http = HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + agent.httpAddress().orElseThrow().getPort();

    HttpResponse<String> metrics = get(http, base + "/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body())
        .contains(
            "debvisor_rpc_request_duration_seconds_bucket{code=\"OK\",method=\"debvisor.Node/Status\"")
        .contains("debvisor_cluster_health{subsystem=\"kubernetes\"}")
        .contains("debvisor_cluster_health{subsystem=\"node\"}")
        .contains("debvisor_collector_duration_seconds");
    assertThat(get(http, base + "/healthz").statusCode()).isEqualTo(200);
    HttpResponse<String> ready = get(http, base + "/readyz");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).isEqualTo("ready\n");
  }

  private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static NodeStatus awaitReport(BlockingQueue<NodeStatus> received, HealthState state)
      throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      NodeStatus s = received.poll(10, TimeUnit.SECONDS);
      assertThat(s).as("a report arrived").isNotNull();
      if (s.getState() == state) {
        return s;
      }
    }
    throw new AssertionError("no report with state " + state);
  }

  private static StreamObserver<NodeStatus> collectInto(BlockingQueue<NodeStatus> queue) {
    return new StreamObserver<>() {
      @Override
      public void onNext(NodeStatus value) {
        queue.add(value);
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {}
    };
  }

  private static <T> StreamObserver<T> completeWith(CompletableFuture<T> future) {
    return new StreamObserver<>() {
      @Override
      public void onNext(T value) {
        future.complete(value);
      }

      @Override
      public void onError(Throwable t) {
        future.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {}
    };
  }

  private static ServerReflectionResponse reflect(ServerReflectionRequest request)
      throws Exception {
    CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> requests =
        ServerReflectionGrpc.newStub(channel).serverReflectionInfo(completeWith(answer));
    requests.onNext(request);
    requests.onCompleted();
    return answer.get(10, TimeUnit.SECONDS);
  }

  private static FileDescriptor build(
      String name, Map<String, FileDescriptorProto> protos, Map<String, FileDescriptor> built)
      throws Exception {
    if (built.containsKey(name)) {
      return built.get(name);
    }
    FileDescriptorProto proto = protos.get(name);
    assertThat(proto).as("reflection returned %s", name).isNotNull();
    List<FileDescriptor> deps = new ArrayList<>();
    for (String dep : proto.getDependencyList()) {
      deps.add(build(dep, protos, built));
    }
    FileDescriptor file = FileDescriptor.buildFrom(proto, deps.toArray(new FileDescriptor[0]));
    built.put(name, file);
    return file;
  }

  private static final class BytesMarshaller
      implements io.grpc.MethodDescriptor.Marshaller<byte[]> {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private record DynamicMarshaller(com.google.protobuf.Descriptors.Descriptor type)
      implements io.grpc.MethodDescriptor.Marshaller<DynamicMessage> {
    @Override
    public InputStream stream(DynamicMessage value) {
      return value.toByteString().newInput();
    }

    @Override
    public DynamicMessage parse(InputStream stream) {
      try {
        return DynamicMessage.parseFrom(type, stream);
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
