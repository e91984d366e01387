package org.debvisor.controller.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Plain-HTTP {@code /metrics} (Prometheus text) and {@code /healthz} for scrapers. It exposes only
 * counters and timings, no inventory data, so it can live beside the TLS gRPC port.
 */
public final class MetricsHttpServer implements AutoCloseable {

  private final HttpServer server;
  private final ExecutorService executor =
      Executors.newSingleThreadExecutor(
          Thread.ofPlatform().name("controller-metrics").daemon(true).factory());

  /** Binds now; {@code scrape} renders the Prometheus text on each request. */
  public MetricsHttpServer(InetSocketAddress address, Supplier<String> scrape) throws IOException {
    server = HttpServer.create(address, 16);
    server.createContext("/metrics", exchange -> answer(exchange, 200, scrape.get()));
    server.createContext("/healthz", exchange -> answer(exchange, 200, "ok\n"));
    server.setExecutor(executor);
    server.start();
  }

  private static void answer(HttpExchange exchange, int code, String body) throws IOException {
    try (exchange) {
      if (!exchange.getRequestMethod().equals("GET")) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      exchange.sendResponseHeaders(code, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  /** The bound address. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
