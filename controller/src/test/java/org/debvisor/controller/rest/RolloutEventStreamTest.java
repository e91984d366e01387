package org.debvisor.controller.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Duration;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.debvisor.common.digest.Sha256;
import org.debvisor.controller.server.ControllerSettings;
import org.debvisor.controller.server.RunningController;
import org.debvisor.controller.server.TestNode;
import org.debvisor.proto.ConfigBundle;
import org.debvisor.proto.ConfigFile;
import org.debvisor.proto.CreateBootstrapTokenRequest;
import org.debvisor.proto.CreateRolloutRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/v1/rollouts/events} over real HTTPS against a real controller whose streams are
 * bounded to 2 per user and 3 in all, with a heartbeat every 300 ms: a rollout's state changes
 * arrive as events, the bounds answer 429 problems, heartbeats come as comments, and logging out
 * ends the session's stream. The rollout's one node answers TCP on loopback but never TLS, so the
 * rollout stays RUNNING (waiting on it) until the test pauses and aborts it.
 */
class RolloutEventStreamTest {

  private static final String VIEWER_PASSWORD = "viewer-password-123";
  private static final String OPERATOR_PASSWORD = "operator-password-123";
  private static final java.time.Duration PATIENCE = java.time.Duration.ofSeconds(30);

  @TempDir static Path state;
  @TempDir static Path files;
  @TempDir static Path managed;

  private static RunningController ctl;
  private static HttpsApi api;
  private static ServerSocket silentAgent;

  @BeforeAll
  static void start() throws Exception {
    silentAgent = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
    ctl =
        RunningController.start(
            state,
            s ->
                s.withBundleRoots(List.of(managed))
                    .withRest(
                        new ControllerSettings.RestListen(
                            "127.0.0.1",
                            0,
                            new EventStreamLimits(
                                2,
                                3,
                                java.time.Duration.ofMillis(300),
                                java.time.Duration.ofMillis(100)))));
    api = new HttpsApi(ctl.caFile(), ctl.controller.restAddress().orElseThrow().getPort());
    addUser("viewer", "viewer", VIEWER_PASSWORD);
    addUser("oper", "operator", OPERATOR_PASSWORD);
    enrolSilentNode();
  }

  @AfterAll
  static void stop() throws IOException {
    if (ctl != null) {
      ctl.close();
    }
    silentAgent.close();
  }

  private static void addUser(String name, String role, String password) throws IOException {
    RestApiTest.addUser(state, files, name, role, password);
  }

  private static void enrolSilentNode() throws Exception {
    String token =
        ctl.operator()
            .createBootstrapToken(
                CreateBootstrapTokenRequest.newBuilder()
                    .setTtl(Duration.newBuilder().setSeconds(600))
                    .build())
            .getToken();
    TestNode node = new TestNode("node-silent", "silent");
    try (var anon = ctl.anonymous()) {
      anon.controller(120)
          .registerNode(
              node.request(token)
                  .setAgentAddress("127.0.0.1:" + silentAgent.getLocalPort())
                  .build());
    }
  }

  /** Logs in; returns [cookie header value, csrf token]. */
  private static String[] login(String user, String password) throws Exception {
    HttpResponse<String> r =
        api.post(
            "/api/v1/session", "{\"user\":\"" + user + "\",\"password\":\"" + password + "\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    String setCookie = r.headers().firstValue("set-cookie").orElseThrow();
    return new String[] {
      setCookie.substring(0, setCookie.indexOf(';')), HttpsApi.json(r).path("csrf_token").asText()
    };
  }

  private static HttpResponse<String> post(String[] session, String path, String json)
      throws Exception {
    return api.post(path, json, "cookie", session[0], "x-csrf-token", session[1]);
  }

  private static String rolloutJson() {
    byte[] content = "version=v2\n".getBytes(StandardCharsets.UTF_8);
    ConfigBundle bundle =
        ConfigBundle.newBuilder()
            .setVersion("v2")
            .addFiles(
                ConfigFile.newBuilder()
                    .setPath(managed.resolve("app.conf").toString())
                    .setMode(0644)
                    .setContent(ByteString.copyFrom(content))
                    .setSha256(Sha256.hex(content)))
            .build();
    return JsonBodies.proto(
        CreateRolloutRequest.newBuilder()
            .setName("streamed")
            .setSelector("hostname=silent")
            .setBundle(bundle)
            .addWavePercents(100)
            .setMaxUnavailable(1)
            .setGateWindow(Duration.getDefaultInstance())
            .build());
  }

  @Test
  void aRolloutsStateChangesArriveAsEvents() throws Exception {
    String[] oper = login("oper", OPERATOR_PASSWORD);
    try (EventStreamClient stream =
        EventStreamClient.open(api, RolloutEventRoutes.PATH, "cookie", oper[0])) {
      assertThat(stream.status()).isEqualTo(200);
      assertThat(stream.contentType()).startsWith("text/event-stream");
      stream.await("snapshot", "\"rollouts\"", PATIENCE);

      HttpResponse<String> created = post(oper, "/api/v1/rollouts", rolloutJson());
      assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
      String id = HttpsApi.json(created).path("id").asText();
      JsonNode running = JsonBodies.MAPPER.readTree(stream.await("rollout", id, PATIENCE).data());
      assertThat(running.path("state").asText()).isEqualTo("RUNNING");
      assertThat(running.path("name").asText()).isEqualTo("streamed");

      HttpResponse<String> paused = post(oper, "/api/v1/rollouts/" + id + "/pause", "");
      assertThat(paused.statusCode()).as(paused.body()).isEqualTo(200);
      stream.await("rollout", "\"state\":\"PAUSED\"", PATIENCE);

      HttpResponse<String> aborted = post(oper, "/api/v1/rollouts/" + id + "/abort", "");
      assertThat(aborted.statusCode()).as(aborted.body()).isEqualTo(200);
      JsonNode last =
          JsonBodies.MAPPER.readTree(
              stream.await("rollout", "\"state\":\"ABORTED\"", PATIENCE).data());
      assertThat(last.path("id").asText()).isEqualTo(id);
      assertThat(last.path("reason").asText()).contains("aborted by user:oper");
    }
  }

  @Test
  void streamsAreBoundedPerUserAndInTotal() throws Exception {
    String viewer = HttpsApi.basic("viewer", VIEWER_PASSWORD);
    String oper = HttpsApi.basic("oper", OPERATOR_PASSWORD);
    // Streams of the other tests may still be counted for a moment after they closed.
    try (EventStreamClient first = openWhenFree(viewer);
        EventStreamClient second = openWhenFree(viewer)) {
      assertThat(first.status()).isEqualTo(200);
      assertThat(second.status()).isEqualTo(200);
      HttpResponse<String> third = api.get(RolloutEventRoutes.PATH, "authorization", viewer);
      assertProblem(third, 429, "already has 2 event streams open");

      try (EventStreamClient others = openWhenFree(oper)) {
        assertThat(others.status()).isEqualTo(200);
        assertProblem(
            api.get(RolloutEventRoutes.PATH, "authorization", oper),
            429,
            "already serves 3 event streams");
        // The open streams are unharmed by the refusals.
        first.await(":", "keep-alive", PATIENCE);
        others.await(":", "keep-alive", PATIENCE);
      }
    }
    // Closed streams give their places back (the server learns it asynchronously).
    try (EventStreamClient again = openWhenFree(oper)) {
      again.await("snapshot", "\"rollouts\"", PATIENCE);
    }
  }

  /** Opens a stream, retrying while the server has not yet counted closed ones as gone. */
  private static EventStreamClient openWhenFree(String auth) throws Exception {
    for (int i = 0; i < 100; i++) {
      EventStreamClient s =
          EventStreamClient.open(api, RolloutEventRoutes.PATH, "authorization", auth);
      if (s.status() == 200) {
        return s;
      }
      s.close();
      Thread.sleep(100);
    }
    throw new AssertionError("the closed streams were never released");
  }

  @Test
  void heartbeatsKeepAStreamAndLoggingOutEndsIt() throws Exception {
    String[] viewer = login("viewer", VIEWER_PASSWORD);
    try (EventStreamClient stream =
        EventStreamClient.open(api, RolloutEventRoutes.PATH, "cookie", viewer[0])) {
      assertThat(stream.status()).isEqualTo(200);
      stream.await("snapshot", "\"rollouts\"", PATIENCE);
      stream.await(":", "keep-alive", PATIENCE);
      stream.await(":", "keep-alive", PATIENCE);

      HttpResponse<String> out =
          api.send(
              api.request("/api/v1/session")
                  .header("cookie", viewer[0])
                  .header("x-csrf-token", viewer[1])
                  .DELETE());
      assertThat(out.statusCode()).isEqualTo(204);
      stream.awaitEnd(PATIENCE);
    }
    // And the ended session cannot open a new one.
    HttpResponse<String> refused = api.get(RolloutEventRoutes.PATH, "cookie", viewer[0]);
    assertProblem(refused, 401, "session has ended");
  }

  private static void assertProblem(HttpResponse<String> r, int status, String detail)
      throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
    assertThat(HttpsApi.json(r).path("detail").asText()).contains(detail);
  }
}
