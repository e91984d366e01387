package org.debvisor.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.debvisor.proto.NodeGrpc;
import org.debvisor.proto.NodeStatus;
import org.debvisor.proto.StatusRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The load generator counts what it sends and what fails, against a real server on loopback. */
class StatusLoadTest {

  private Server server;
  private ManagedChannel channel;
  private final AtomicInteger served = new AtomicInteger();

  private StatusLoad start(boolean failEveryOther) throws Exception {
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .directExecutor()
            .addService(
                new NodeGrpc.NodeImplBase() {
                  @Override
                  public void status(StatusRequest request, StreamObserver<NodeStatus> out) {
                    if (served.incrementAndGet() % 2 == 0 && failEveryOther) {
                      out.onError(Status.UNAVAILABLE.asRuntimeException());
                      return;
                    }
                    out.onNext(NodeStatus.getDefaultInstance());
                    out.onCompleted();
                  }
                })
            .build()
            .start();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
    return new StatusLoad(List.of(channel), "test");
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void openLoopSendsExactlyRateTimesDuration() throws Exception {
    LoadResult r = start(false).openLoop(200, Duration.ofSeconds(1));

    assertThat(r.requests()).isEqualTo(200);
    assertThat(r.errors()).isZero();
    assertThat(r.p50Micros()).isPositive();
    assertThat(r.p99Micros()).isGreaterThanOrEqualTo(r.p50Micros());
    assertThat(r.maxMicros()).isGreaterThanOrEqualTo(r.p999Micros());
  }

  @Test
  void closedLoopStopsAtTheDeadlineAndCountsFailures() throws Exception {
    LoadResult r = start(true).closedLoop(4, Duration.ofMillis(500));

    assertThat(r.requests()).isPositive();
    assertThat(r.errors()).isPositive();
    assertThat(r.seconds()).isLessThan(30);
    assertThat(r.scenario()).isEqualTo("closed loop, 4 in flight");
  }

  @Test
  void countedClosedLoopSendsExactlyTheCountWithFailuresAmongThem() throws Exception {
    LoadResult r = start(true).closedLoop(8, 200, Duration.ofSeconds(60));

    assertThat(r.requests() + r.errors()).isEqualTo(200);
    assertThat(served.get()).isEqualTo(200);
    assertThat(r.errors()).isEqualTo(100);
  }
}
