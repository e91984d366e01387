package org.debvisor.controller.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpObject;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.util.SafeCloseable;
import com.linecorp.armeria.server.ServiceRequestContext;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.debvisor.proto.ChangeRolloutRequest;
import org.debvisor.proto.CreateRolloutRequest;
import org.debvisor.proto.ListRolloutsResponse;
import org.debvisor.proto.Rollout;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * A client that stops reading its event stream is dropped once {@link RolloutEventFeed#MAX_UNSENT}
 * events wait for it, while a reading client's stream stays open. Heartbeats every few milliseconds
 * stand in for a busy fleet.
 */
class RolloutEventFeedTest {

  /** No rollouts: the streams carry the snapshot and heartbeats only. */
  private static final RolloutApi NO_ROLLOUTS =
      new RolloutApi() {
        @Override
        public ListRolloutsResponse list() {
          return ListRolloutsResponse.getDefaultInstance();
        }

        @Override
        public Rollout get(String id) {
          throw new UnsupportedOperationException();
        }

        @Override
        public Rollout create(CreateRolloutRequest request, Actor actor) {
          throw new UnsupportedOperationException();
        }

        @Override
        public Rollout change(String id, ChangeRolloutRequest.Action action, Actor actor) {
          throw new UnsupportedOperationException();
        }
      };

  @Test
  void aClientThatStopsReadingIsDroppedAndAReadingOneStays() throws Exception {
    try (RolloutEventFeed feed =
        new RolloutEventFeed(
            NO_ROLLOUTS,
            new EventStreamLimits(4, 8, Duration.ofMillis(2), Duration.ofSeconds(60)))) {
      AtomicInteger received = new AtomicInteger();
      // As the server would: each stream opened within a request's context, on its event loop.
      ServiceRequestContext readerRequest =
          ServiceRequestContext.of(HttpRequest.of(HttpMethod.GET, "/"));
      try (SafeCloseable ignored = readerRequest.push()) {
        feed.open("reader", null, () -> true)
            .subscribe(reading(received), readerRequest.eventLoop());
      }
      // Never subscribed: nothing it is sent is ever taken.
      try (SafeCloseable ignored =
          ServiceRequestContext.of(HttpRequest.of(HttpMethod.GET, "/")).push()) {
        feed.open("stalled", null, () -> true);
      }
      assertThat(feed.open()).isEqualTo(2);

      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (feed.open() > 1 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }

      assertThat(feed.open()).as("the stalled stream was dropped").isEqualTo(1);
      // The reader took more than the stalled one was allowed to leave waiting, and still reads.
      int before = received.get();
      assertThat(before).isGreaterThan(RolloutEventFeed.MAX_UNSENT);
      long later = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (received.get() == before && System.nanoTime() < later) {
        Thread.sleep(20);
      }
      assertThat(received.get()).isGreaterThan(before);
    }
  }

  private static Subscriber<HttpObject> reading(AtomicInteger received) {
    return new Subscriber<>() {
      @Override
      public void onSubscribe(Subscription s) {
        s.request(Long.MAX_VALUE);
      }

      @Override
      public void onNext(HttpObject item) {
        received.incrementAndGet();
      }

      @Override
      public void onError(Throwable t) {
        t.printStackTrace();
      }

      @Override
      public void onComplete() {}
    };
  }
}
