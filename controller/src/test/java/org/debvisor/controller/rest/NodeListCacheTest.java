package org.debvisor.controller.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The shared node-list answers: when they are reused, rebuilt, shared and dropped. */
class NodeListCacheTest {

  private final AtomicLong generation = new AtomicLong();
  private final AtomicLong nanos = new AtomicLong();
  private final AtomicInteger builds = new AtomicInteger();
  private final NodeListCache cache =
      new NodeListCache(generation::get, nanos::get, Duration.ofSeconds(1), 2);

  private static NodeListCache.Query query(String selector) {
    return new NodeListCache.Query(selector, "hostname", "100", "");
  }

  /** A build whose body says which build it was. */
  private final Function<NodeListCache.Query, NodeListCache.Body> build =
      q -> {
        int n = builds.incrementAndGet();
        return new NodeListCache.Body(
            (q.selector() + "#" + n).getBytes(StandardCharsets.UTF_8), "\"" + n + "\"");
      };

  private String get(String selector) {
    return new String(cache.get(query(selector), build).json(), StandardCharsets.UTF_8);
  }

  @Test
  void anAnswerIsReusedUntilADurableWrite() {
    assertThat(get("")).isEqualTo("#1");
    assertThat(get("")).isEqualTo("#1");
    assertThat(get("cluster=a")).as("another query, its own answer").isEqualTo("cluster=a#2");

    generation.incrementAndGet();
    assertThat(get("")).as("the write shows in the next list").isEqualTo("#3");
    assertThat(get("")).isEqualTo("#3");
    assertThat(builds).hasValue(3);
  }

  @Test
  void anAnswerOlderThanItsMaxAgeIsRebuiltWithoutAWrite() {
    assertThat(get("")).isEqualTo("#1");
    nanos.addAndGet(Duration.ofMillis(999).toNanos());
    assertThat(get("")).isEqualTo("#1");
    nanos.addAndGet(Duration.ofMillis(1).toNanos());
    assertThat(get("")).as("heartbeats' changes show after a second").isEqualTo("#2");
  }

  @Test
  void atMostCapacityAnswersAreKept() {
    get("a");
    get("b");
    get("a");
    get("c");
    assertThat(cache.size()).isEqualTo(2);
    assertThat(get("a")).as("recently used, kept").isEqualTo("a#1");
    assertThat(get("b")).as("least recently used, dropped").isEqualTo("b#4");
  }

  @Test
  void aFailedBuildIsNotKeptAndFailsItsCaller() {
    assertThatThrownBy(
            () ->
                cache.get(
                    query(""),
                    q -> {
                      throw ApiProblem.badRequest("cursor", "is not a cursor this API returned");
                    }))
        .isInstanceOf(ApiProblem.class)
        .hasMessage("cursor: is not a cursor this API returned");
    assertThat(cache.size()).isZero();
    assertThat(get("")).isEqualTo("#1");
  }

  @Test
  void concurrentCallersOfOneQueryShareOneBuild() throws Exception {
    CountDownLatch building = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Function<NodeListCache.Query, NodeListCache.Body> slow =
        q -> {
          building.countDown();
          try {
            release.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return build.apply(q);
        };
    try (ExecutorService callers = Executors.newFixedThreadPool(4)) {
      Future<NodeListCache.Body> first = callers.submit(() -> cache.get(query(""), slow));
      assertThat(building.await(10, TimeUnit.SECONDS)).isTrue();
      Future<NodeListCache.Body> second = callers.submit(() -> cache.get(query(""), slow));
      Future<NodeListCache.Body> third = callers.submit(() -> cache.get(query(""), slow));
      release.countDown();
      assertThat(second.get(10, TimeUnit.SECONDS)).isSameAs(first.get(10, TimeUnit.SECONDS));
      assertThat(third.get(10, TimeUnit.SECONDS)).isSameAs(first.get());
    }
    assertThat(builds).hasValue(1);
  }
}
