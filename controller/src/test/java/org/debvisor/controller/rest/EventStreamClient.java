package org.debvisor.controller.rest;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Server-Sent Events reader for the API tests: opens the stream over the test's HTTPS client and
 * hands out its events and comments in order, as the browser's EventSource would see them.
 */
final class EventStreamClient implements AutoCloseable {

  /** One event: its type and data, or a comment line (type ":"). */
  record Event(String type, String data) {}

  /** Placed in the queue when the server ended the stream. */
  static final Event END = new Event("end", "");

  private final HttpResponse<Stream<String>> response;
  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final Thread reader;

  private EventStreamClient(HttpResponse<Stream<String>> response) {
    this.response = response;
    this.reader =
        Thread.ofPlatform()
            .daemon()
            .name("sse-test-reader")
            .start(
                () -> {
                  String type = "message";
                  StringBuilder data = new StringBuilder();
                  try (Stream<String> lines = response.body()) {
                    for (String line : (Iterable<String>) lines::iterator) {
                      if (line.startsWith(":")) {
                        events.add(new Event(":", line.substring(1).strip()));
                      } else if (line.startsWith("event:")) {
                        type = line.substring(6).strip();
                      } else if (line.startsWith("data:")) {
                        data.append(data.isEmpty() ? "" : "\n").append(line.substring(5).strip());
                      } else if (line.isEmpty() && !data.isEmpty()) {
                        events.add(new Event(type, data.toString()));
                        type = "message";
                        data.setLength(0);
                      }
                    }
                  } catch (RuntimeException e) {
                    // Cancelled by close(), or the connection went: the stream has ended.
                  }
                  events.add(END);
                });
  }

  /** Opens {@code path} with the given header pairs; a refusal is read whole as text. */
  static EventStreamClient open(HttpsApi api, String path, String... headers) throws Exception {
    HttpRequest.Builder b = api.request(path).header("accept", "text/event-stream").GET();
    if (headers.length > 0) {
      b.headers(headers);
    }
    // The whole-request timeout of HttpsApi would end a healthy stream.
    b.timeout(Duration.ofMinutes(5));
    return new EventStreamClient(api.client.send(b.build(), HttpResponse.BodyHandlers.ofLines()));
  }

  int status() {
    return response.statusCode();
  }

  String contentType() {
    return response.headers().firstValue("content-type").orElse("");
  }

  /** The next event or comment, waiting at most {@code patience}; fails when none came. */
  Event next(Duration patience) throws InterruptedException {
    Event e = events.poll(patience.toMillis(), TimeUnit.MILLISECONDS);
    if (e == null) {
      throw new AssertionError("no event within " + patience);
    }
    return e;
  }

  /** The next event of {@code type} whose data contains {@code text}, skipping others. */
  Event await(String type, String text, Duration patience) throws InterruptedException {
    long end = System.nanoTime() + patience.toNanos();
    while (true) {
      long left = end - System.nanoTime();
      Event e = left > 0 ? events.poll(left, TimeUnit.NANOSECONDS) : null;
      if (e == null) {
        throw new AssertionError("no '" + type + "' event with " + text + " within " + patience);
      }
      if (e == END) {
        throw new AssertionError("the stream ended before a '" + type + "' event with " + text);
      }
      if (e.type().equals(type) && e.data().contains(text)) {
        return e;
      }
    }
  }

  /** Waits until the server ends the stream, skipping what comes before. */
  void awaitEnd(Duration patience) throws InterruptedException {
    long end = System.nanoTime() + patience.toNanos();
    while (true) {
      long left = end - System.nanoTime();
      Event e = left > 0 ? events.poll(left, TimeUnit.NANOSECONDS) : null;
      if (e == null) {
        throw new AssertionError("the stream did not end within " + patience);
      }
      if (e == END) {
        return;
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    reader.interrupt();
    // Closing the body cancels the HTTP stream, which the server sees as the client leaving.
    response.body().close();
    reader.join(Duration.ofSeconds(10).toMillis());
  }
}
