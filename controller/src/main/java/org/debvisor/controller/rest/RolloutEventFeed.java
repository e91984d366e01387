package org.debvisor.controller.rest;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.sse.ServerSentEvent;
import com.linecorp.armeria.common.stream.StreamMessage;
import com.linecorp.armeria.common.stream.StreamWriter;
import com.linecorp.armeria.server.streaming.ServerSentEvents;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.debvisor.common.violation.Violation;
import org.debvisor.proto.Rollout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rollout progress as Server-Sent Events. One thread reads the rollout list once per poll interval
 * while any stream is open and sends each rollout whose printed JSON changed to every stream, so
 * the database work does not grow with the number of viewers; it reads the list rather than
 * listening inside the engine because on PostgreSQL another controller may be the one running the
 * rollout. Every write to a stream happens on that thread, so a new stream's snapshot always comes
 * before its first change.
 */
final class RolloutEventFeed implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RolloutEventFeed.class);

  /** How long a browser's EventSource waits before reconnecting after the stream ended. */
  static final Duration RECONNECT = Duration.ofSeconds(3);

  /**
   * Events a stream may hold that its client has not taken yet. A client that stops reading would
   * otherwise have every later event queued for it in the controller's memory; past this it is
   * dropped (its browser reconnects if it was only slow).
   */
  static final int MAX_UNSENT = 256;

  /** One open stream: who holds it, how to tell it is still theirs, what it has not taken yet. */
  private record Subscriber(
      StreamWriter<ServerSentEvent> writer,
      String user,
      String sessionKey,
      BooleanSupplier stillAllowed,
      AtomicInteger unsent) {}

  private final RolloutApi rollouts;
  private final StreamQuota quota;
  private final ScheduledExecutorService thread;
  private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
  // The JSON of each rollout as last sent; only the feed thread touches it.
  private Map<String, String> last = Map.of();

  RolloutEventFeed(RolloutApi rollouts, EventStreamLimits limits) {
    this.rollouts = rollouts;
    this.quota = new StreamQuota(limits.perUser(), limits.total());
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("rollout-events").factory());
    long poll = limits.poll().toMillis();
    long beat = limits.heartbeat().toMillis();
    thread.scheduleWithFixedDelay(this::poll, poll, poll, TimeUnit.MILLISECONDS);
    thread.scheduleWithFixedDelay(this::heartbeat, beat, beat, TimeUnit.MILLISECONDS);
  }

  /**
   * Opens a stream for {@code user}: first a {@code snapshot} event with every rollout, then a
   * {@code rollout} event per change. {@code sessionKey} (the SHA-256 of the session cookie, or
   * null) lets a logout end it; {@code stillAllowed} is asked at each heartbeat.
   *
   * @throws ApiProblem 429 when the user or the controller holds as many streams as allowed
   */
  HttpResponse open(String user, String sessionKey, BooleanSupplier stillAllowed) {
    String refusal = quota.tryAcquire(user);
    if (refusal != null) {
      throw new ApiProblem(429, refusal, List.of(new Violation("streams", "limit reached")), null);
    }
    StreamWriter<ServerSentEvent> writer = StreamMessage.streaming();
    Subscriber s = new Subscriber(writer, user, sessionKey, stillAllowed, new AtomicInteger());
    writer
        .whenComplete()
        .handle(
            (ok, error) -> {
              subscribers.remove(s);
              quota.release(user);
              return null;
            });
    try {
      thread.execute(() -> start(s));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      writer.close();
      throw ApiProblem.of(503, "the controller is shutting down; retry shortly");
    }
    ResponseHeaders headers =
        ResponseHeaders.builder(HttpStatus.OK)
            .contentType(MediaType.EVENT_STREAM)
            .set("cache-control", "no-store")
            .set("x-content-type-options", "nosniff")
            .build();
    return ServerSentEvents.fromPublisher(headers, writer);
  }

  /** Ends the streams opened with this session (logout); their browsers see the stream close. */
  void endSession(String sessionKey) {
    for (Subscriber s : subscribers) {
      if (Objects.equals(s.sessionKey(), sessionKey)) {
        s.writer().close();
      }
    }
  }

  /** Streams open now, all users together. */
  int open() {
    return quota.open();
  }

  private void start(Subscriber s) {
    if (!s.writer().isOpen()) {
      return;
    }
    try {
      List<Rollout> now = rollouts.list().getRolloutsList();
      StringBuilder snapshot = new StringBuilder("{\"rollouts\":[");
      Map<String, String> printed = new LinkedHashMap<>();
      for (Rollout r : now) {
        String json = JsonBodies.proto(r);
        printed.put(r.getId(), json);
        snapshot.append(printed.size() > 1 ? "," : "").append(json);
      }
      snapshot.append("]}");
      if (subscribers.isEmpty()) {
        // Nobody was watching, so what was last sent is stale: start from what this one saw.
        last = printed;
      }
      send(s, ServerSentEvent.ofRetry(RECONNECT));
      send(s, ServerSentEvent.builder().event("snapshot").data(snapshot.toString()).build());
      subscribers.add(s);
      if (!s.writer().isOpen()) {
        subscribers.remove(s);
      }
    } catch (RuntimeException e) {
      log.warn("could not start a rollout event stream: {}", e.toString());
      s.writer().close();
    }
  }

  private void poll() {
    if (subscribers.isEmpty()) {
      return;
    }
    try {
      Map<String, String> printed = new LinkedHashMap<>();
      List<ServerSentEvent> changed = new ArrayList<>();
      for (Rollout r : rollouts.list().getRolloutsList()) {
        String json = JsonBodies.proto(r);
        printed.put(r.getId(), json);
        if (!json.equals(last.get(r.getId()))) {
          changed.add(ServerSentEvent.builder().event("rollout").data(json).build());
        }
      }
      last = printed;
      if (changed.isEmpty()) {
        return;
      }
      for (Subscriber s : subscribers) {
        for (ServerSentEvent e : changed) {
          if (!send(s, e)) {
            break;
          }
        }
      }
    } catch (RuntimeException e) {
      // A busy database: the next poll tries again; the streams stay open.
      log.warn("could not read the rollouts for their event streams: {}", e.toString());
    }
  }

  private void heartbeat() {
    for (Subscriber s : subscribers) {
      boolean allowed;
      try {
        allowed = s.stillAllowed().getAsBoolean();
      } catch (RuntimeException e) {
        allowed = true;
      }
      if (!allowed) {
        s.writer().close();
      } else {
        send(s, ServerSentEvent.ofComment("keep-alive"));
      }
    }
  }

  /** Queues one event for {@code s}; false (and the stream ended) when it cannot take more. */
  private boolean send(Subscriber s, ServerSentEvent event) {
    if (s.unsent().get() >= MAX_UNSENT) {
      log.info(
          "dropped {}'s rollout event stream: {} events not taken by the client",
          s.user(),
          MAX_UNSENT);
      s.writer().abort();
      subscribers.remove(s);
      return false;
    }
    if (!s.writer().tryWrite(event)) {
      subscribers.remove(s);
      return false;
    }
    s.unsent().incrementAndGet();
    // Completes once the client took everything written so far, this event included.
    s.writer().whenConsumed().thenRun(s.unsent()::decrementAndGet);
    return true;
  }

  @Override
  public void close() {
    thread.shutdownNow();
    subscribers.forEach(s -> s.writer().close());
  }
}
