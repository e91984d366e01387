package org.debvisor.common.http;

import java.util.Map;
import java.util.function.Supplier;

/** The endpoints every DebVisor process serves to Prometheus and to probes. */
public final class OpsRoutes {

  private OpsRoutes() {}

  /**
   * {@code /metrics} (Prometheus text), {@code /healthz} (the process is alive) and {@code /readyz}
   * (200 when ready, else 503 with the reason).
   *
   * @param scrape renders the Prometheus text on each request
   */
  public static Map<String, Supplier<OpsResponse>> standard(
      Supplier<String> scrape, Readiness readiness) {
    return Map.of(
        "/metrics",
        () -> OpsResponse.metrics(scrape.get()),
        "/healthz",
        () -> OpsResponse.text(200, "ok\n"),
        "/readyz",
        () -> {
          String reason = readiness.notReadyReason();
          return reason.isEmpty()
              ? OpsResponse.text(200, "ready\n")
              : OpsResponse.text(503, "not ready: " + reason + "\n");
        });
  }
}
