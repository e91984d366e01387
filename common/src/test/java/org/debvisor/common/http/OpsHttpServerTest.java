package org.debvisor.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OpsHttpServerTest {

  private final AtomicReference<String> notReady = new AtomicReference<>("");
  private final List<Socket> sockets = new ArrayList<>();
  private OpsHttpServer server;

  private OpsHttpServer start(OpsLimits limits) throws IOException {
    server =
        OpsHttpServer.start(
            new InetSocketAddress("127.0.0.1", 0),
            OpsRoutes.standard(() -> "debvisor_up 1.0\n", notReady::get),
            limits);
    return server;
  }

  @AfterEach
  void stop() throws IOException {
    for (Socket s : sockets) {
      s.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private HttpResponse<String> send(String method, String path) throws Exception {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.address().getPort() + path))
            .timeout(Duration.ofSeconds(10))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private Socket halfSentRequest() throws IOException {
    Socket socket = new Socket("127.0.0.1", server.address().getPort());
    sockets.add(socket);
    OutputStream out = socket.getOutputStream();
    out.write(
        "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Partial: ".getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return socket;
  }

  @Test
  void servesMetricsHealthAndReadiness() throws Exception {
    start(OpsLimits.DEFAULT);

    HttpResponse<String> metrics = send("GET", "/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).isEqualTo("debvisor_up 1.0\n");
    assertThat(metrics.headers().firstValue("Content-Type"))
        .contains("text/plain; version=0.0.4; charset=utf-8");
    assertThat(send("GET", "/healthz").body()).isEqualTo("ok\n");
    assertThat(send("GET", "/readyz?verbose").body()).isEqualTo("ready\n");

    notReady.set("waiting for ceph");
    HttpResponse<String> readyz = send("GET", "/readyz");
    assertThat(readyz.statusCode()).isEqualTo(503);
    assertThat(readyz.body()).isEqualTo("not ready: waiting for ceph\n");
    assertThat(send("GET", "/nothing").statusCode()).isEqualTo(404);
  }

  @Test
  void headHasTheHeadersOfGetAndNoBody() throws Exception {
    start(OpsLimits.DEFAULT);

    HttpResponse<String> head = send("HEAD", "/healthz");

    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.headers().firstValue("Content-Length")).contains("3");
    assertThat(head.body()).isEmpty();
  }

  @Test
  void otherMethodsGet405WithAllow() throws Exception {
    start(OpsLimits.DEFAULT);

    HttpResponse<String> post = send("POST", "/metrics");

    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).contains("GET, HEAD");
  }

  /**
   * A scraper keeps its connection open between requests (Prometheus and the JDK's client do). The
   * exchange timeout is far above the client's, so only a prompt answer on the kept-alive
   * connection passes, not one on a new connection after the server dropped the old one.
   */
  @Test
  void keptAliveConnectionsServeRequestAfterRequest() throws Exception {
    start(new OpsLimits(8, Duration.ofSeconds(60)));
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    for (String path : List.of("/metrics", "/healthz", "/readyz", "/metrics")) {
      HttpResponse<String> answer =
          client.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + server.address().getPort() + path))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).as(path).isEqualTo(200);
    }
    HttpClient upgrading = HttpClient.newHttpClient();
    for (String path : List.of("/metrics", "/healthz", "/readyz")) {
      HttpResponse<String> answer =
          upgrading.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + server.address().getPort() + path))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).as("h2c-offering client, " + path).isEqualTo(200);
    }
  }

  /** Issue 22 item 1: two stalled clients made every probe time out. */
  @Test
  void halfSentRequestsDoNotBlockHealthz() throws Exception {
    start(OpsLimits.DEFAULT);
    send("GET", "/healthz"); // warm up: class loading is not what is measured
    halfSentRequest();
    halfSentRequest();

    long started = System.nanoTime();
    HttpResponse<String> health = send("GET", "/healthz");

    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
  }

  /** Issue 22 item 1, second case: clients that pipeline requests and never read the answers. */
  @Test
  void pipeliningClientsThatNeverReadDoNotBlockHealthz() throws Exception {
    start(OpsLimits.DEFAULT);
    send("GET", "/healthz");
    byte[] requests =
        "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n".repeat(200).getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < 50; i++) {
      Socket socket = new Socket("127.0.0.1", server.address().getPort());
      sockets.add(socket);
      socket.getOutputStream().write(requests);
      socket.getOutputStream().flush();
    }

    HttpResponse<String> health = send("GET", "/healthz");

    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).isEqualTo("ok\n");
  }

  @Test
  void aStalledClientIsDisconnectedAfterTheExchangeTimeout() throws Exception {
    start(new OpsLimits(8, Duration.ofMillis(300)));
    Socket stalled = halfSentRequest();
    stalled.setSoTimeout(5_000);

    long started = System.nanoTime();
    InputStream in = stalled.getInputStream();

    assertThat(in.read()).as("closed by the server").isEqualTo(-1);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void connectionsBeyondTheCapAreClosedAndFreedSlotsServeAgain() throws Exception {
    start(new OpsLimits(2, Duration.ofSeconds(30)));
    Socket first = halfSentRequest();
    halfSentRequest();
    Socket third = new Socket("127.0.0.1", server.address().getPort());
    sockets.add(third);
    third.setSoTimeout(5_000);

    assertThat(third.getInputStream().read()).as("refused by closing").isEqualTo(-1);

    first.close();
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    int status = 0;
    while (status != 200 && System.nanoTime() < deadline) {
      try {
        status = send("GET", "/healthz").statusCode();
      } catch (IOException e) {
        // the freed slot is counted when the server sees the close
      }
    }
    assertThat(status).isEqualTo(200);
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrder() throws Exception {
    start(OpsLimits.DEFAULT);
    try (Socket socket = new Socket("127.0.0.1", server.address().getPort())) {
      socket.setSoTimeout(5_000);
      socket
          .getOutputStream()
          .write(
              ("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                      + "GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      String answers = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

      assertThat(answers.indexOf("ok\n")).isPositive().isLessThan(answers.indexOf("ready\n"));
    }
  }

  @Test
  void aTakenPortIsAnIoException() throws Exception {
    start(OpsLimits.DEFAULT);

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> OpsHttpServer.start(server.address(), OpsRoutes.standard(() -> "", () -> "")))
        .isInstanceOf(IOException.class);
  }
}
