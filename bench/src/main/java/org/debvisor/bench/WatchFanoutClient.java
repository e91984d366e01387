package org.debvisor.bench;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.ExtensionRegistryLite;
import com.google.protobuf.Timestamp;
import com.google.protobuf.WireFormat;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.debvisor.proto.NodeGrpc;
import org.debvisor.proto.NodeStatus;
import org.debvisor.proto.WatchStatusRequest;

/**
 * The client of the WatchStatus fan-out rows, in its own JVM so the benchmark can pin it to a CPU
 * of its own: grpc-java over Netty with one event-loop thread and {@code directExecutor()}, reading
 * only each report's revision and publication time ({@link StampMarshaller}). Opens {@code streams}
 * WatchStatus streams over {@code connections} plaintext connections (heartbeat 1 h, so only
 * published reports arrive), waits until each has its first report, prints {@link #READY} and waits
 * for a line on stdin. Then, {@link #SETTLE_REVISIONS} revisions on, it measures the next {@code
 * publications}: every stream must receive each of them once (a stream is done once it has a later
 * revision, as revisions only grow); the latency of a delivery is its receipt time minus the
 * report's {@code generated_at} (stamped by the server when it published the report, same machine
 * clock). Prints one {@link #RESULT} line and cancels the streams. Usage: {@code WatchFanoutClient
 * HOST PORT TOKEN STREAMS CONNECTIONS PUBLICATIONS MAX_SECONDS}.
 */
public final class WatchFanoutClient {

  static final String READY = "READY";
  static final String RESULT = "RESULT";

  /**
   * Revisions between the go and the measured window: opening a thousand streams leaves a backlog
   * on some connections (their first reports), which the servers drain before the window starts.
   */
  static final int SETTLE_REVISIONS = 20;

  private WatchFanoutClient() {}

  public static void main(String[] args) throws Exception {
    String host = args[0];
    int port = Integer.parseInt(args[1]);
    String token = args[2];
    int streams = Integer.parseInt(args[3]);
    int connections = Integer.parseInt(args[4]);
    int publications = Integer.parseInt(args[5]);
    long maxSeconds = Long.parseLong(args[6]);
    NioEventLoopGroup loop = new NioEventLoopGroup(1);
    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
    List<ManagedChannel> channels = new ArrayList<>();
    try {
      for (int i = 0; i < connections; i++) {
        channels.add(
            NettyChannelBuilder.forAddress(host, port)
                .usePlaintext()
                .eventLoopGroup(loop)
                .channelType(NioSocketChannel.class)
                .directExecutor()
                .build());
      }
      WatchStatusRequest request =
          WatchStatusRequest.newBuilder()
              .setHeartbeatInterval(com.google.protobuf.Duration.newBuilder().setSeconds(3600))
              .build();
      Fanout fanout = new Fanout(streams, publications);
      MethodDescriptor<WatchStatusRequest, Stamp> watch =
          NodeGrpc.getWatchStatusMethod().toBuilder(
                  NodeGrpc.getWatchStatusMethod().getRequestMarshaller(), new StampMarshaller())
              .build();
      for (int i = 0; i < streams; i++) {
        Channel channel =
            ClientInterceptors.intercept(
                channels.get(i % connections), MetadataUtils.newAttachHeadersInterceptor(headers));
        ClientCalls.asyncServerStreamingCall(
            channel.newCall(watch, CallOptions.DEFAULT), request, fanout.watchers.get(i));
      }
      if (!fanout.opened.await(maxSeconds, TimeUnit.SECONDS)) {
        System.out.println("not every stream had its first report within " + maxSeconds + " s");
        System.exit(1);
      }
      System.out.println(READY + " " + streams + " streams, " + fanout.failed.get() + " failed");
      System.out.flush();
      if (new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine()
          == null) {
        return;
      }
      long cpu0 = ownCpuNanos();
      long t0 = System.nanoTime();
      long received0 = fanout.received.get();
      long revision0 = fanout.highestSeen.get();
      fanout.measureAfter(revision0 + SETTLE_REVISIONS);
      fanout.done.await(maxSeconds, TimeUnit.SECONDS);
      double seconds = (System.nanoTime() - t0) / 1e9;
      long cpu = ownCpuNanos() - cpu0;
      fanout.describeIncomplete().ifPresent(System.out::println);
      System.out.println(
          line(
              fanout.result(
                  seconds, fanout.received.get() - received0, fanout.highestSeen.get() - revision0),
              cpu / 1000.0));
    } finally {
      for (ManagedChannel c : channels) {
        c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
      loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
  }

  private static long ownCpuNanos() {
    return ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos();
  }

  /**
   * What one client run counted; latencies in microseconds. {@code received} counts every report
   * that arrived while measuring (revisions outside the window included), {@code revisions} how far
   * the server's revision moved meanwhile.
   */
  record Result(
      int streams,
      int publications,
      long delivered,
      long duplicates,
      long failedStreams,
      double seconds,
      double p50Micros,
      double p99Micros,
      double p999Micros,
      double maxMicros,
      long received,
      long revisions) {

    /** Deliveries that should have happened and did not. */
    long missing() {
      return (long) streams * publications - delivered;
    }
  }

  static String line(Result r, double clientCpuMicros) {
    return String.format(
        Locale.ROOT,
        "%s %d %d %d %d %d %.6f %.1f %.1f %.1f %.1f %.1f %d %d",
        RESULT,
        r.streams(),
        r.publications(),
        r.delivered(),
        r.duplicates(),
        r.failedStreams(),
        r.seconds(),
        r.p50Micros(),
        r.p99Micros(),
        r.p999Micros(),
        r.maxMicros(),
        clientCpuMicros,
        r.received(),
        r.revisions());
  }

  /** What a client run printed: its counts and its own CPU time. */
  record Outcome(Result result, double clientCpuMicros) {}

  /** Reads the {@link #RESULT} line back; fails when the output has none. */
  static Outcome parse(String output) {
    for (String l : output.lines().toList()) {
      if (l.startsWith(RESULT + " ")) {
        String[] f = l.split(" ");
        return new Outcome(
            new Result(
                Integer.parseInt(f[1]),
                Integer.parseInt(f[2]),
                Long.parseLong(f[3]),
                Long.parseLong(f[4]),
                Long.parseLong(f[5]),
                Double.parseDouble(f[6]),
                Double.parseDouble(f[7]),
                Double.parseDouble(f[8]),
                Double.parseDouble(f[9]),
                Double.parseDouble(f[10]),
                Long.parseLong(f[12]),
                Long.parseLong(f[13])),
            Double.parseDouble(f[11]));
      }
    }
    throw new IllegalStateException("the WatchStatus client printed no result:\n" + output);
  }

  /** All streams of one run and the window of revisions they are measured on. */
  static final class Fanout {
    final List<Watcher> watchers = new ArrayList<>();
    final CountDownLatch opened;
    final CountDownLatch done;
    final AtomicLong highestSeen = new AtomicLong(-1);

    /** Every report received, in or out of the measured window (a server's CPU covers all). */
    final AtomicLong received = new AtomicLong();

    final AtomicLong failed = new AtomicLong();
    private final int publications;

    Fanout(int streams, int publications) {
      this.publications = publications;
      this.opened = new CountDownLatch(streams);
      this.done = new CountDownLatch(streams);
      for (int i = 0; i < streams; i++) {
        watchers.add(new Watcher(this));
      }
    }

    /** Counts revisions {@code from + 1 … from + publications} from now on (and any already in). */
    void measureAfter(long from) {
      watchers.forEach(w -> w.measureAfter(from));
    }

    /** For a refused run: how many streams missed reports, and which the first of them missed. */
    java.util.Optional<String> describeIncomplete() {
      long incomplete = 0;
      String first = null;
      for (Watcher w : watchers) {
        synchronized (w) {
          if (w.counted < publications) {
            incomplete++;
            if (first == null) {
              BitSet missing = new BitSet();
              missing.set(1, publications + 1);
              missing.andNot(w.seen);
              first = "revisions after " + w.from + " it missed (offsets): " + missing;
            }
          }
        }
      }
      return incomplete == 0
          ? java.util.Optional.empty()
          : java.util.Optional.of(incomplete + " streams incomplete; the first one's " + first);
    }

    Result result(double seconds, long receivedInRun, long revisionsInRun) {
      Histogram latencies = new Histogram(3);
      long delivered = 0;
      long duplicates = 0;
      for (Watcher w : watchers) {
        synchronized (w) {
          delivered += w.counted;
          duplicates += w.duplicates;
          for (int i = 1; i <= publications; i++) {
            if (w.seen.get(i)) {
              latencies.recordValue(Math.max(0, w.latencyMicros[i]));
            }
          }
        }
      }
      return new Result(
          watchers.size(),
          publications,
          delivered,
          duplicates,
          failed.get(),
          seconds,
          latencies.getValueAtPercentile(50),
          latencies.getValueAtPercentile(99),
          latencies.getValueAtPercentile(99.9),
          latencies.getMaxValue(),
          receivedInRun,
          revisionsInRun);
    }
  }

  /** What the client reads of a report: its revision and publication time. */
  record Stamp(long revision, long seconds, int nanos) {}

  /**
   * Reads only {@code generated_at} (4) and {@code revision} (5) of a NodeStatus and skips the
   * rest: parsing the whole report was about half of this client's CPU, and the client's CPU is the
   * ceiling of the rows.
   */
  static final class StampMarshaller implements MethodDescriptor.Marshaller<Stamp> {
    @Override
    public InputStream stream(Stamp value) {
      throw new UnsupportedOperationException("the client only receives reports");
    }

    @Override
    public Stamp parse(InputStream stream) {
      try {
        CodedInputStream in = CodedInputStream.newInstance(stream);
        long revision = 0;
        Timestamp at = Timestamp.getDefaultInstance();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
          switch (WireFormat.getTagFieldNumber(tag)) {
            case NodeStatus.GENERATED_AT_FIELD_NUMBER ->
                at = in.readMessage(Timestamp.parser(), ExtensionRegistryLite.getEmptyRegistry());
            case NodeStatus.REVISION_FIELD_NUMBER -> revision = in.readUInt64();
            default -> in.skipField(tag);
          }
        }
        return new Stamp(revision, at.getSeconds(), at.getNanos());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** One stream: every revision it received with its latency, counted once measuring starts. */
  static final class Watcher implements StreamObserver<Stamp> {
    private final Fanout fanout;
    // Guarded by this.
    private final List<long[]> received = new ArrayList<>();
    private final BitSet seen = new BitSet();
    private final long[] latencyMicros;
    private long from = -1;
    private int counted;
    private long duplicates;
    private boolean first = true;
    private boolean finished;

    Watcher(Fanout fanout) {
      this.fanout = fanout;
      this.latencyMicros = new long[fanout.publications + 1];
    }

    @Override
    public synchronized void onNext(Stamp report) {
      Instant now = Instant.now();
      long latency =
          (now.getEpochSecond() - report.seconds()) * 1_000_000
              + (now.getNano() - report.nanos()) / 1000;
      long revision = report.revision();
      fanout.highestSeen.accumulateAndGet(revision, Math::max);
      fanout.received.incrementAndGet();
      if (first) {
        first = false;
        fanout.opened.countDown();
      }
      if (from < 0) {
        received.add(new long[] {revision, latency});
      } else {
        count(revision, latency);
      }
    }

    synchronized void measureAfter(long start) {
      from = start;
      received.forEach(r -> count(r[0], r[1]));
      received.clear();
    }

    private void count(long revision, long latency) {
      long offset = revision - from;
      if (offset > fanout.publications) {
        // Revisions only grow on a stream: what it has not had of the window it never will.
        finish();
        return;
      }
      if (offset < 1) {
        return;
      }
      if (seen.get((int) offset)) {
        duplicates++;
        return;
      }
      seen.set((int) offset);
      latencyMicros[(int) offset] = latency;
      if (++counted == fanout.publications) {
        finish();
      }
    }

    @Override
    public synchronized void onError(Throwable t) {
      if (!finished) {
        fanout.failed.incrementAndGet();
        System.out.println("a stream failed: " + t);
      }
      if (first) {
        first = false;
        fanout.opened.countDown();
      }
      finish();
    }

    @Override
    public synchronized void onCompleted() {
      onError(new IllegalStateException("the server ended the stream"));
    }

    private void finish() {
      if (!finished) {
        finished = true;
        fanout.done.countDown();
      }
    }
  }
}
