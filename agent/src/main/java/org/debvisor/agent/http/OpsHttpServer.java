package org.debvisor.agent.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.debvisor.agent.settings.ListenAddress;

/**
 * The operations endpoint for Prometheus and probes: {@code /metrics}, {@code /healthz} (the
 * process is alive) and {@code /readyz} (the agent serves and has read every subsystem once).
 */
public final class OpsHttpServer implements AutoCloseable {

  /** Why the agent is not ready, or empty when it is. */
  public interface Readiness {
    String notReadyReason();
  }

  private final HttpServer server;
  private final ExecutorService executor;

  public OpsHttpServer(ListenAddress listen, Supplier<String> metrics, Readiness readiness)
      throws IOException {
    try {
      server = HttpServer.create(listen.resolve(), 64);
    } catch (IOException e) {
      throw new IOException("cannot listen on http.listen " + listen + ": " + e.getMessage(), e);
    }
    executor =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "ops-http");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext(
        "/metrics",
        exchange ->
            respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.get()));
    server.createContext("/healthz", exchange -> respond(exchange, 200, "text/plain", "ok\n"));
    server.createContext(
        "/readyz",
        exchange -> {
          String reason = readiness.notReadyReason();
          if (reason.isEmpty()) {
            respond(exchange, 200, "text/plain", "ready\n");
          } else {
            respond(exchange, 503, "text/plain", "not ready: " + reason + "\n");
          }
        });
  }

  public void start() {
    server.start();
  }

  /** The bound address (port resolved when 0 was configured). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  private static void respond(HttpExchange exchange, int code, String type, String body)
      throws IOException {
    try (exchange) {
      if (!exchange.getRequestMethod().equals("GET")
          && !exchange.getRequestMethod().equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", type);
      boolean head = exchange.getRequestMethod().equals("HEAD");
      exchange.sendResponseHeaders(code, head ? -1 : bytes.length);
      if (!head) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
