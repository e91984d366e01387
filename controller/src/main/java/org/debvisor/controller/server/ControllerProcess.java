package org.debvisor.controller.server;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.debvisor.common.http.OpsHttpServer;
import org.debvisor.common.http.OpsRoutes;
import org.debvisor.common.http.Readiness;
import org.debvisor.common.metrics.ProcessMetrics;
import org.debvisor.common.metrics.PrometheusRegistries;
import org.debvisor.common.net.ListenFailure;
import org.debvisor.controller.inventory.InventoryException;

/**
 * The controller as a long-running process: the gRPC server, an optional Prometheus endpoint, and a
 * JVM shutdown hook that stops both.
 */
public final class ControllerProcess {

  private final Controller controller;
  private final PrometheusMeterRegistry registry;
  private final ProcessMetrics processMetrics;
  private OpsHttpServer metrics;

  private ControllerProcess(
      Controller controller, PrometheusMeterRegistry registry, ProcessMetrics processMetrics) {
    this.controller = controller;
    this.registry = registry;
    this.processMetrics = processMetrics;
  }

  /** Starts the gRPC server with a Prometheus registry for its metrics. */
  public static ControllerProcess start(ControllerSettings settings, Clock clock)
      throws IOException, InventoryException {
    PrometheusMeterRegistry registry = PrometheusRegistries.create();
    ProcessMetrics processMetrics = new ProcessMetrics(registry);
    try {
      return new ControllerProcess(
          Controller.start(settings, registry, clock), registry, processMetrics);
    } catch (IOException | RuntimeException e) {
      processMetrics.close();
      throw e;
    }
  }

  /** Serves {@code /metrics} on the address; when it cannot bind, stops the controller too. */
  public void serveMetrics(InetSocketAddress address) throws IOException {
    try {
      metrics =
          OpsHttpServer.start(address, OpsRoutes.standard(registry::scrape, Readiness.ALWAYS));
    } catch (IOException e) {
      controller.close();
      throw ListenFailure.of(
          "metrics", address.getHostString() + ":" + address.getPort(), "--metrics-listen", e);
    }
  }

  public InetSocketAddress address() {
    return controller.address();
  }

  /** This controller's id among the controllers of its database. */
  public String memberId() {
    return controller.memberId();
  }

  /** Where the HTTPS API listens, if it does. */
  public Optional<InetSocketAddress> restAddress() {
    return controller.restAddress();
  }

  /** Where {@code /metrics} is served, if it is. */
  public Optional<InetSocketAddress> metricsAddress() {
    return Optional.ofNullable(metrics).map(OpsHttpServer::address);
  }

  /**
   * Blocks until the JVM shuts down (SIGTERM, Ctrl-C) and stops everything on the way out. An
   * interrupt (tests, embedding) stops it the same way.
   */
  public void awaitShutdown() {
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              stop();
              stopped.countDown();
            },
            "controller-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Runtime.getRuntime().removeShutdownHook(hook);
      stop();
      Thread.currentThread().interrupt();
    }
  }

  private void stop() {
    if (metrics != null) {
      metrics.close();
    }
    controller.close();
    processMetrics.close();
  }
}
