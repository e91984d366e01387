package org.debvisor.agent.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.debvisor.agent.Agent;
import org.debvisor.agent.testing.TestAgents;
import org.debvisor.agentapi.RateLimitSettings;
import org.debvisor.agentapi.RateLimitSettings.Bucket;
import org.debvisor.proto.NodeGrpc;
import org.debvisor.proto.StatusRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RateLimitInterceptorTest {

  private Agent agent;
  private ManagedChannel channel;

  @AfterEach
  void stop() throws Exception {
    TestAgents.close(channel);
    agent.close();
  }

  private void start(RateLimitSettings limits) throws Exception {
    agent = TestAgents.start(TestAgents.loopbackSettings(null, limits, null), List.of());
    channel = TestAgents.channel(agent);
  }

  /** Calls Status {@code n} times back to back; returns the failures (null for successes). */
  private List<StatusRuntimeException> burst(int n) {
    List<StatusRuntimeException> outcomes = new ArrayList<>();
    var stub = NodeGrpc.newBlockingStub(channel);
    for (int i = 0; i < n; i++) {
      try {
        stub.status(StatusRequest.getDefaultInstance());
        outcomes.add(null);
      } catch (StatusRuntimeException e) {
        outcomes.add(e);
      }
    }
    return outcomes;
  }

  @Test
  void burstBeyondCapacityIsRefusedWithRetryAfterAndExactlyCapacityPasses() throws Exception {
    // Capacity 5 refilling 1/s: exactly 5 pass, plus one per whole second the burst took.
    start(new RateLimitSettings(new Bucket(5, 1), null, null, null));
    long started = System.nanoTime();
    List<StatusRuntimeException> outcomes = burst(12);
    long refilled = (System.nanoTime() - started) / 1_000_000_000L;

    long passed = outcomes.stream().filter(o -> o == null).count();
    assertThat(passed).isEqualTo(Math.min(12, 5 + refilled));
    StatusRuntimeException refused =
        outcomes.stream().filter(o -> o != null).findFirst().orElseThrow();
    assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(refused.getStatus().getDescription()).contains("rate limit for status calls");
    Metadata trailers = refused.getTrailers();
    assertThat(Long.parseLong(trailers.get(RateLimitInterceptor.RETRY_AFTER))).isBetween(1L, 2L);
    assertThat(Long.parseLong(trailers.get(RateLimitInterceptor.RETRY_PUSHBACK_MS)))
        .isBetween(1L, 1000L);
  }

  @Test
  void globalBucketBindsAllCallersTogether() throws Exception {
    start(new RateLimitSettings(new Bucket(100, 100), new Bucket(3, 1), null, null));

    long passed = burst(10).stream().filter(o -> o == null).count();

    assertThat(passed).isBetween(3L, 4L);
  }

  @Test
  void configCallsHaveTheirOwnBucketsSoStatusFloodsDoNotStarveThem() throws Exception {
    start(new RateLimitSettings(new Bucket(2, 1), null, new Bucket(5, 1), null));
    burst(10); // status bucket now empty

    StatusRuntimeException config = null;
    try {
      NodeGrpc.newBlockingStub(channel)
          .getConfig(org.debvisor.proto.GetConfigRequest.getDefaultInstance());
    } catch (StatusRuntimeException e) {
      config = e;
    }
    // GetConfig is a read: it shares the status class and is refused too...
    assertThat(config).isNotNull();
    assertThat(config.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    // ...while UpdateConfig gets past the rate limit (and stops at authentication).
    try {
      NodeGrpc.newBlockingStub(channel)
          .updateConfig(org.debvisor.proto.UpdateConfigRequest.getDefaultInstance());
    } catch (StatusRuntimeException e) {
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    }
  }

  @Test
  void refusalsAreCountedInMetrics() throws Exception {
    start(new RateLimitSettings(new Bucket(1, 1), null, null, null));
    burst(4);

    String metrics =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:"
                                + agent.httpAddress().orElseThrow().getPort()
                                + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();

    assertThat(metrics)
        .containsPattern("debvisor_rate_limited_total\\{class=\"status\"\\} [23]\\.0");
  }
}
