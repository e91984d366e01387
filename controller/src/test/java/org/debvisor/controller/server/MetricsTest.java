package org.debvisor.controller.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import org.debvisor.common.http.OpsHttpServer;
import org.debvisor.common.http.OpsRoutes;
import org.debvisor.common.http.Readiness;
import org.debvisor.controller.client.ControllerConnection;
import org.debvisor.proto.CreateBootstrapTokenRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The metric names operators scrape, over the real /metrics endpoint. */
class MetricsTest {

  @TempDir Path state;

  @Test
  void rpcDurationsAndNodeCountAreExposed() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ControllerSettings settings =
        ControllerSettings.defaults(state).withListen("127.0.0.1", 0).withCluster("lab");
    try (Controller controller = Controller.start(settings, registry, Clock.systemUTC());
        OpsHttpServer http =
            OpsHttpServer.start(
                new InetSocketAddress("127.0.0.1", 0),
                OpsRoutes.standard(registry::scrape, Readiness.ALWAYS));
        ControllerConnection operator =
            ControllerConnection.open(
                "127.0.0.1:" + controller.address().getPort(),
                state.resolve("pki/ca.pem"),
                java.nio.file.Files.readString(state.resolve("operator-token")).trim())) {
      operator
          .controller(120)
          .createBootstrapToken(
              CreateBootstrapTokenRequest.newBuilder()
                  .setTtl(Duration.newBuilder().setSeconds(600))
                  .build());

      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + http.address().getPort() + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body())
          .contains("debvisor_node_count{cluster=\"lab\"} 0.0")
          .contains(
              "debvisor_rpc_request_duration_seconds_count{code=\"OK\","
                  + "method=\"debvisor.Controller/CreateBootstrapToken\"} 1")
          // The deployment metrics exist before any rollout, labelled with the cluster.
          .contains("debvisor_deployment_rollback_total{environment=\"lab\"} 0.0")
          .contains("debvisor_deployment_status{environment=\"lab\",state=\"RUNNING\"} 0.0");
    }
  }
}
