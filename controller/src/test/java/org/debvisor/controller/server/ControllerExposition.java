package org.debvisor.controller.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.debvisor.controller.client.ControllerConnection;
import org.debvisor.proto.CreateBootstrapTokenRequest;

/**
 * The real /metrics of a controller process (as {@code controller serve --metrics-listen} runs it)
 * in cluster {@code lab}, after one served RPC.
 */
public final class ControllerExposition {

  private ControllerExposition() {}

  /** Starts the process with its state in {@code state}, scrapes it once and stops it. */
  public static String scrape(Path state) throws Exception {
    ControllerSettings settings =
        ControllerSettings.defaults(state).withListen("127.0.0.1", 0).withCluster("lab");
    ControllerProcess process = ControllerProcess.start(settings, Clock.systemUTC());
    Thread waiter = Thread.ofVirtual().start(process::awaitShutdown);
    try {
      process.serveMetrics(new InetSocketAddress("127.0.0.1", 0));
      try (ControllerConnection operator =
          ControllerConnection.open(
              "127.0.0.1:" + process.address().getPort(),
              state.resolve("pki/ca.pem"),
              Files.readString(state.resolve("operator-token")).trim())) {
        operator
            .controller(120)
            .createBootstrapToken(
                CreateBootstrapTokenRequest.newBuilder()
                    .setTtl(Duration.newBuilder().setSeconds(600))
                    .build());
      }
      return metrics(process.metricsAddress().orElseThrow());
    } finally {
      waiter.interrupt();
      waiter.join();
    }
  }

  private static String metrics(InetSocketAddress address) throws Exception {
    try (HttpClient client = HttpClient.newHttpClient()) {
      HttpResponse<String> response =
          client.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + address.getPort() + "/metrics"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      return response.body();
    }
  }
}
