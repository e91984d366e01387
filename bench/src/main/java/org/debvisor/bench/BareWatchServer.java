package org.debvisor.bench;

import com.google.protobuf.Timestamp;
import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.debvisor.proto.NodeGrpc;
import org.debvisor.proto.NodeStatus;
import org.debvisor.proto.StatusRequest;
import org.debvisor.proto.WatchStatusRequest;

/**
 * The limit of the WatchStatus fan-out rows: a bare grpc-java server-streaming server with {@code
 * directExecutor()}, like the agent, that every interval stamps the agent's report with a new
 * revision and the time, serialises it once and pushes those bytes to every open stream from one
 * timer thread. No interceptors, metrics, flow-control handling or heartbeats. Status answers the
 * report too, so the benchmark can wait for it the same way as for the agent. Usage: {@code
 * BareWatchServer PORT REPORT_FILE INTERVAL_MS}.
 */
public final class BareWatchServer {

  private final byte[] template;
  private final List<ServerCallStreamObserver<byte[]>> streams = new CopyOnWriteArrayList<>();
  private long revision;

  private BareWatchServer(byte[] template) {
    this.template = template;
  }

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    byte[] report = Files.readAllBytes(Path.of(args[1]));
    long intervalMillis = Long.parseLong(args[2]);
    BareWatchServer watch = new BareWatchServer(report);
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
            .directExecutor()
            .addService(watch.service())
            .build()
            .start();
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    timer.scheduleAtFixedRate(
        watch::publish, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    System.out.println("bare watch server listening on " + server.getListenSockets());
    server.awaitTermination();
  }

  /** One publication: a new revision stamped now, its bytes sent to every stream. */
  private void publish() {
    Instant now = Instant.now();
    byte[] bytes;
    try {
      bytes =
          NodeStatus.parseFrom(template).toBuilder()
              .setRevision(++revision)
              .setGeneratedAt(
                  Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
              .build()
              .toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (ServerCallStreamObserver<byte[]> stream : streams) {
      if (stream.isCancelled()) {
        streams.remove(stream);
      } else {
        stream.onNext(bytes);
      }
    }
  }

  private ServerServiceDefinition service() {
    MethodDescriptor<WatchStatusRequest, byte[]> watch =
        MethodDescriptor.<WatchStatusRequest, byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.SERVER_STREAMING)
            .setFullMethodName(NodeGrpc.getWatchStatusMethod().getFullMethodName())
            .setRequestMarshaller(ProtoUtils.marshaller(WatchStatusRequest.getDefaultInstance()))
            .setResponseMarshaller(new Bytes())
            .build();
    MethodDescriptor<StatusRequest, byte[]> status =
        MethodDescriptor.<StatusRequest, byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(NodeGrpc.getStatusMethod().getFullMethodName())
            .setRequestMarshaller(ProtoUtils.marshaller(StatusRequest.getDefaultInstance()))
            .setResponseMarshaller(new Bytes())
            .build();
    return ServerServiceDefinition.builder(NodeGrpc.SERVICE_NAME)
        .addMethod(
            watch,
            ServerCalls.asyncServerStreamingCall(
                // Only the timer thread sends, so no stream is written from two threads at once.
                (request, out) -> streams.add((ServerCallStreamObserver<byte[]>) out)))
        .addMethod(
            status,
            ServerCalls.asyncUnaryCall(
                (request, out) -> {
                  out.onNext(template);
                  out.onCompleted();
                }))
        .build();
  }

  /** Bytes the transport copies straight into its frame, as the agent's replies are. */
  private static final class Reply extends ByteArrayInputStream implements KnownLength, Drainable {
    Reply(byte[] bytes) {
      super(bytes);
    }

    @Override
    public int drainTo(OutputStream target) throws IOException {
      return (int) transferTo(target);
    }
  }

  /** Already serialised replies, handed to the transport as they are. */
  private static final class Bytes implements MethodDescriptor.Marshaller<byte[]> {
    @Override
    public InputStream stream(byte[] value) {
      return new Reply(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
