package org.debvisor.agent.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.debvisor.agent.report.StatusBoard;
import org.debvisor.proto.HealthState;
import org.debvisor.proto.NodeGrpc;
import org.debvisor.proto.NodeIdentity;
import org.debvisor.proto.NodeStatus;
import org.debvisor.proto.Subsystem;
import org.debvisor.proto.SubsystemStatus;
import org.debvisor.proto.WatchStatusRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * WatchStatus streams fed by {@link WatchFanout}, over gRPC's in-process transport, whose server
 * stream is ready exactly while its client has requested messages: a client that requests none is a
 * stalled stream.
 */
class WatchFanoutTest {

  private static final long WAIT_SECONDS = 30;

  private final StatusBoard board =
      new StatusBoard(
          NodeIdentity.newBuilder().setNodeId("fanout-node").build(),
          List.of(Subsystem.SUBSYSTEM_SYSTEM),
          Clock.systemUTC());
  private final WatchFanout fanout = WatchFanout.onOwnThread(board);
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final String name = InProcessServerBuilder.generateName();
  private Server server;
  private ManagedChannel channel;
  private int readings;

  @BeforeEach
  void start() throws Exception {
    server =
        InProcessServerBuilder.forName(name)
            .directExecutor()
            .addService(watchOnly())
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    timer.shutdownNow();
  }

  @Test
  void everyStreamReceivesEveryRevisionInOrder() throws Exception {
    List<Stream> streams = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      streams.add(Stream.open(channel, 1_000));
    }
    long first = board.current().getRevision();
    for (Stream s : streams) {
      assertThat(s.next().getRevision()).isEqualTo(first);
    }

    // Batches smaller than the backlog limit, each received by all before the next is published:
    // the fan-out cannot have fallen behind, so nothing may be missing.
    long expected = first;
    for (int batch = 0; batch < 3; batch++) {
      for (int i = 0; i < WatchFanout.MAX_BACKLOG - 4; i++) {
        publishChange();
      }
      long last = board.current().getRevision();
      for (Stream s : streams) {
        for (long r = expected + 1; r <= last; r++) {
          assertThat(s.next().getRevision()).as("revision after %d", r - 1).isEqualTo(r);
        }
      }
      expected = last;
    }
    assertThat(expected).isEqualTo(first + 3 * (WatchFanout.MAX_BACKLOG - 4));
    assertThat(fanout.dropped()).isZero();
    streams.forEach(Stream::cancel);
  }

  @Test
  void aStalledStreamKeepsOnlyTheNewestReportAndGetsItWhenItResumes() throws Exception {
    Stream stalled = Stream.open(channel, 1);
    assertThat(stalled.next().getRevision()).isEqualTo(board.current().getRevision());
    // A watch subscribed after the stream's: it hears each report after the stream did.
    BlockingQueue<Long> heard = new LinkedBlockingQueue<>();
    Runnable unsubscribe = fanout.subscribe(r -> heard.add(r.getRevision()));

    for (int i = 0; i < 501; i++) {
      publishChange();
    }
    long newest = board.current().getRevision();
    Long last;
    do {
      last = heard.poll(WAIT_SECONDS, TimeUnit.SECONDS);
      assertThat(last).as("the fan-out reached revision %d", newest).isNotNull();
    } while (last < newest);
    stalled.request(2);

    // The 501 reports it could not take left one behind, the newest; the next is the next change.
    assertThat(stalled.next().getRevision()).isEqualTo(newest);
    publishChange();
    assertThat(stalled.next().getRevision()).isEqualTo(newest + 1);
    unsubscribe.run();
    stalled.cancel();
  }

  @Test
  void thePublisherOnlyQueuesTheReportAndTheFanoutThreadDeliversIt() throws Exception {
    Stream stream = Stream.open(channel, 10);
    stream.next();
    AtomicReference<Thread> deliveredOn = new AtomicReference<>();
    CountDownLatch delivered = new CountDownLatch(1);
    Runnable unsubscribe =
        fanout.subscribe(
            r -> {
              deliveredOn.set(Thread.currentThread());
              delivered.countDown();
            });

    publishChange();

    assertThat(delivered.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(deliveredOn.get()).isNotSameAs(Thread.currentThread());
    assertThat(deliveredOn.get().getName()).startsWith("agent-watch");
    assertThat(stream.next().getRevision()).isEqualTo(board.current().getRevision());
    unsubscribe.run();
    stream.cancel();
  }

  @Test
  void aFanoutThatFallsBehindDropsTheOldestWaitingReportsNotTheNewest() {
    ArrayDeque<Runnable> pendingTasks = new ArrayDeque<>();
    WatchFanout held = new WatchFanout(board, pendingTasks::add);
    List<Long> received = new ArrayList<>();
    held.subscribe(r -> received.add(r.getRevision()));

    for (int i = 0; i < 100; i++) {
      publishChange();
    }
    long newest = board.current().getRevision();
    assertThat(received).as("nothing delivered on the publishing thread").isEmpty();
    assertThat(pendingTasks).hasSize(1);
    pendingTasks.poll().run();

    assertThat(received).hasSize(WatchFanout.MAX_BACKLOG);
    assertThat(received.getLast()).isEqualTo(newest);
    assertThat(received.getFirst()).isEqualTo(newest - WatchFanout.MAX_BACKLOG + 1);
    assertThat(held.dropped()).isEqualTo(100 - WatchFanout.MAX_BACKLOG);
  }

  /** A reading whose content differs from the last one, so the board moves its revision. */
  private void publishChange() {
    readings++;
    board.publish(
        SubsystemStatus.newBuilder()
            .setSubsystem(Subsystem.SUBSYSTEM_SYSTEM)
            .setState(HealthState.HEALTH_OK)
            .setMessage("reading " + readings)
            .build());
  }

  private ServerServiceDefinition watchOnly() {
    return ServerServiceDefinition.builder(NodeGrpc.SERVICE_NAME)
        .addMethod(
            NodeGrpc.getWatchStatusMethod(),
            ServerCalls.asyncServerStreamingCall(
                (WatchStatusRequest request, io.grpc.stub.StreamObserver<NodeStatus> out) ->
                    new StatusWatch(
                            board,
                            fanout,
                            (ServerCallStreamObserver<NodeStatus>) out,
                            timer,
                            Duration.ofHours(1))
                        .start()))
        .build();
  }

  /** One client stream asking for a given number of messages; what arrives is queued. */
  private static final class Stream extends ClientCall.Listener<NodeStatus> {
    private final BlockingQueue<NodeStatus> received = new LinkedBlockingQueue<>();
    private ClientCall<WatchStatusRequest, NodeStatus> call;

    static Stream open(ManagedChannel channel, int requested) {
      Stream s = new Stream();
      s.call = channel.newCall(NodeGrpc.getWatchStatusMethod(), CallOptions.DEFAULT);
      s.call.start(s, new Metadata());
      s.call.sendMessage(WatchStatusRequest.getDefaultInstance());
      s.call.halfClose();
      s.call.request(requested);
      return s;
    }

    @Override
    public void onMessage(NodeStatus message) {
      received.add(message);
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
      received.add(NodeStatus.newBuilder().setSummary("closed: " + status).setRevision(-1).build());
    }

    NodeStatus next() throws InterruptedException {
      NodeStatus s = received.poll(WAIT_SECONDS, TimeUnit.SECONDS);
      assertThat(s).as("a report within %d s", WAIT_SECONDS).isNotNull();
      return s;
    }

    void request(int n) {
      call.request(n);
    }

    void cancel() {
      call.cancel("test done", null);
    }
  }
}
