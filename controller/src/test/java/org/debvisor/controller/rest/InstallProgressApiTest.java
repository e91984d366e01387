package org.debvisor.controller.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Duration;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.debvisor.controller.audit.AuditLog;
import org.debvisor.controller.audit.AuditRecord;
import org.debvisor.controller.cli.DebvisorCli;
import org.debvisor.controller.inventory.Database;
import org.debvisor.controller.preseed.InstallReporter;
import org.debvisor.controller.server.ControllerSettings;
import org.debvisor.controller.server.RunningController;
import org.debvisor.controller.server.TestNode;
import org.debvisor.proto.CreateBootstrapTokenRequest;
import org.debvisor.proto.InstallingNode;
import org.debvisor.proto.ListNodesRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Install progress over real HTTPS against a real controller (one for the class, its clock frozen
 * so the rate limit is exact): reports with a good token are stored and shown by `debvisor nodes
 * list`; every refused report answers with problem details and stores and audits nothing.
 */
class InstallProgressApiTest {

  private static final String PATH = "/api/v1/install/progress";

  @TempDir static Path state;
  @TempDir static Path files;

  private static RunningController ctl;
  private static HttpsApi api;

  @BeforeAll
  static void start() throws Exception {
    ctl =
        RunningController.start(
            state, s -> s.withRest(new ControllerSettings.RestListen("127.0.0.1", 0)));
    api = new HttpsApi(ctl.caFile(), ctl.controller.restAddress().orElseThrow().getPort());
  }

  @AfterAll
  static void stop() {
    ctl.close();
  }

  private static String token(String hostname, long ttlSeconds) {
    return ctl.operator()
        .createBootstrapToken(
            CreateBootstrapTokenRequest.newBuilder()
                .setTtl(Duration.newBuilder().setSeconds(ttlSeconds))
                .setHostname(hostname)
                .setProfile("ceph")
                .build())
        .getToken();
  }

  private static String idOf(String token) {
    return token.split("_")[1];
  }

  private static HttpResponse<String> report(String token, String json) throws Exception {
    return api.post(PATH, json, "authorization", "Bearer " + token);
  }

  private static List<InstallingNode> installing() {
    return ctl.operator().listNodes(ListNodesRequest.getDefaultInstance()).getInstallingList();
  }

  private static List<AuditRecord> audit() throws Exception {
    try (Connection c = Database.readOnlyConnection(state.resolve("controller.db"))) {
      return AuditLog.page(c, 0, 10_000).stream()
          .filter(r -> r.entry().action().startsWith("install."))
          .toList();
    }
  }

  private static String cli(String... args) {
    StringWriter out = new StringWriter();
    var cmd = DebvisorCli.create(null, Map.of());
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(out));
    List<String> all = new java.util.ArrayList<>(List.of(args));
    all.addAll(List.of("--controller", ctl.target(), "--state-dir", state.toString()));
    assertThat(cmd.execute(all.toArray(String[]::new))).as(out.toString()).isZero();
    return out.toString();
  }

  private static void assertProblem(HttpResponse<String> r, int status, String field)
      throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
    JsonNode p = HttpsApi.json(r);
    assertThat(p.path("status").asInt()).isEqualTo(status);
    assertThat(p.path("detail").asText()).isNotBlank();
    if (field != null) {
      assertThat(p.path("violations").findValuesAsText("field")).contains(field);
    }
  }

  @Test
  void phasesAreStoredShownByNodesListAndTheFailureIsAudited() throws Exception {
    String token = token("ceph-7", 3600);
    assertThat(
            report(token, "{\"phase\":\"started\",\"hostname\":\"ceph-7\",\"arch\":\"amd64\"}")
                .statusCode())
        .isEqualTo(200);
    HttpResponse<String> r =
        report(token, "{\"phase\":\"failed\",\"message\":\"partman: no disk /dev/sdz\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(HttpsApi.json(r).path("phase").asText()).isEqualTo("failed");

    InstallingNode install =
        installing().stream().filter(i -> i.getTokenId().equals(idOf(token))).findFirst().get();
    assertThat(install.getHostname()).isEqualTo("ceph-7");
    assertThat(install.getArch()).isEqualTo("amd64");
    assertThat(install.getPhase()).isEqualTo("failed");
    assertThat(install.getMessage()).isEqualTo("partman: no disk /dev/sdz");
    assertThat(install.getProfile()).isEqualTo("ceph");

    String table = cli("nodes", "list");
    assertThat(table.lines().filter(l -> l.startsWith(idOf(token))))
        .singleElement()
        .asString()
        .contains("ceph-7", "installing", "failed", "partman: no disk /dev/sdz");
    JsonNode json =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(cli("nodes", "list", "-o", "json"));
    assertThat(json.path("installing").findValuesAsText("phase")).contains("failed");

    assertThat(audit())
        .filteredOn(a -> a.entry().actor().equals("install:" + idOf(token)))
        .extracting(a -> a.entry().action())
        .containsExactly("install.started", "install.failed");
  }

  @Test
  void aNodeThatEnrolsWithTheTokenIsNoLongerInstallingAndItsTokenReportsNoMore() throws Exception {
    String token = token("ceph-8", 3600);
    assertThat(report(token, "{\"phase\":\"finished\"}").statusCode()).isEqualTo(200);
    assertThat(installing()).extracting(InstallingNode::getTokenId).contains(idOf(token));
    try (TestNode node = new TestNode("id-ceph-8", "ceph-8");
        var anon = ctl.anonymous()) {
      anon.controller(120).registerNode(node.request(token).build());
    }
    assertThat(installing()).extracting(InstallingNode::getTokenId).doesNotContain(idOf(token));
    List<AuditRecord> before = audit();

    // The token was consumed by the enrolment: refused, nothing stored.
    assertProblem(report(token, "{\"phase\":\"failed\",\"message\":\"late\"}"), 401, null);
    assertThat(installing()).extracting(InstallingNode::getTokenId).doesNotContain(idOf(token));
    assertThat(audit()).isEqualTo(before);
  }

  @Test
  void badTokensAreRefusedAndNothingIsStored() throws Exception {
    String good = token("", 3600);
    String forged = good.substring(0, good.length() - 4) + "AAAA";
    List<AuditRecord> before = audit();
    String body = "{\"phase\":\"started\"}";

    assertProblem(report(forged, body), 401, null);
    assertProblem(report("not-a-token", body), 401, null);
    assertProblem(api.post(PATH, body), 401, "authorization");
    assertProblem(api.post(PATH, body, "authorization", "Basic Zm9vOmJhcg=="), 401, null);
    // A token bound to another hostname.
    assertProblem(
        report(token("ceph-9", 3600), "{\"phase\":\"started\",\"hostname\":\"evil\"}"), 403, null);

    String expiring = token("", 60);
    ctl.clock.advance(java.time.Duration.ofMinutes(2));
    assertProblem(report(expiring, body), 401, null);

    assertThat(installing())
        .extracting(InstallingNode::getTokenId)
        .doesNotContain(idOf(good), idOf(expiring));
    assertThat(audit()).isEqualTo(before);
  }

  @Test
  void badBodiesAreRefusedAndNothingIsStored() throws Exception {
    String token = token("", 3600);
    List<AuditRecord> before = audit();

    assertProblem(report(token, "{\"phase\":\"rebooting\"}"), 400, "phase");
    assertProblem(report(token, "{\"message\":\"no phase\"}"), 400, "phase");
    assertProblem(
        report(token, "{\"phase\":\"failed\",\"message\":\"ok\\r\\nSet-Cookie: x=1\"}"),
        400,
        "message");
    assertProblem(
        report(token, "{\"phase\":\"failed\",\"message\":\"\\u001b[2Jcleared\"}"), 400, "message");
    assertProblem(
        report(token, "{\"phase\":\"failed\",\"message\":\"" + "m".repeat(513) + "\"}"),
        400,
        "message");
    assertProblem(
        report(token, "{\"phase\":\"started\",\"hostname\":\"bad_host..x\"}"), 400, "hostname");
    assertProblem(report(token, "{\"phase\":\"started\",\"extra\":1}"), 400, "extra");
    HttpResponse<String> large =
        report(token, "{\"phase\":\"failed\",\"message\":\"" + "m".repeat(5000) + "\"}");
    assertProblem(large, 413, null);
    assertThat(HttpsApi.json(large).path("detail").asText()).contains("4096 bytes");

    assertThat(installing()).extracting(InstallingNode::getTokenId).doesNotContain(idOf(token));
    assertThat(audit()).isEqualTo(before);
  }

  @Test
  void reportsAreRateLimitedPerToken() throws Exception {
    String token = token("", 3600);
    String other = token("", 3600);
    // Reports with the token's id but a wrong secret are refused without using up its budget.
    String forged = token.substring(0, token.length() - 4) + "AAAA";
    for (int i = 0; i < 12; i++) {
      assertProblem(report(forged, "{\"phase\":\"started\"}"), 401, null);
    }
    // The test controller's clock stands still: the burst is all there is.
    for (int i = 0; i < 10; i++) {
      assertThat(report(token, "{\"phase\":\"installing-packages\"}").statusCode())
          .as("report " + i)
          .isEqualTo(200);
    }
    assertProblem(report(token, "{\"phase\":\"configuring\"}"), 429, null);
    assertThat(installing())
        .filteredOn(i -> i.getTokenId().equals(idOf(token)))
        .singleElement()
        .extracting(InstallingNode::getPhase)
        .isEqualTo("installing-packages");
    // Another token has its own budget.
    assertThat(report(other, "{\"phase\":\"started\"}").statusCode()).isEqualTo(200);
  }

  @Test
  void theImageInstallerScriptAndThePreseedCommandReportForReal() throws Exception {
    String url = "https://127.0.0.1:" + ctl.controller.restAddress().orElseThrow().getPort() + PATH;
    String imageToken = token("img-1", 3600);
    Path media = Files.createDirectories(files.resolve("media/debvisor"));
    Path overlay = Files.createDirectories(files.resolve("overlay/etc/debvisor"));
    Files.copy(ctl.caFile(), overlay.resolve("ca.pem"));
    Files.writeString(overlay.resolve("bootstrap-token"), imageToken);
    assertThat(
            new ProcessBuilder(
                    "tar",
                    "-cf",
                    media.resolve("overlay.tar").toString(),
                    "-C",
                    files.resolve("overlay").toString(),
                    "etc")
                .start()
                .waitFor())
        .isZero();
    Files.writeString(
        media.resolve("install.conf"),
        "format 1\nhostname img-1\ndomain example.org\nprofile ceph\narch amd64\n"
            + "disk /dev/disk/by-id/debvisor-no-such-disk\n"
            + "report_url "
            + url
            + "\nreport_ca etc/debvisor/ca.pem\n"
            + "report_token etc/debvisor/bootstrap-token\n");
    Path script = files.resolve("debvisor");
    try (var in =
        getClass()
            .getResourceAsStream(
                "/org/debvisor/controller/image/installer-initramfs/scripts/debvisor")) {
      Files.write(script, in.readAllBytes());
    }
    ProcessBuilder pb =
        new ProcessBuilder(
                "sh",
                script.toString(),
                files.resolve("media").toString(),
                Files.createDirectories(files.resolve("target")).toString())
            .redirectErrorStream(true);
    pb.environment().put("DEBVISOR_STANDALONE", "1");
    pb.environment()
        .put("DEBVISOR_WORK", Files.createDirectories(files.resolve("work")).toString());
    pb.environment().put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
    Process installer = pb.start();
    String output = new String(installer.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(installer.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(installer.exitValue()).as(output).isEqualTo(1);

    InstallingNode image = installFor(imageToken);
    assertThat(image.getPhase()).isEqualTo("failed");
    assertThat(image.getHostname()).isEqualTo("img-1");
    assertThat(image.getMessage())
        .startsWith("phase disk: rule disk.target: /dev/disk/by-id/debvisor-no-such-disk");
    assertThat(audit())
        .filteredOn(a -> a.entry().actor().equals("install:" + idOf(imageToken)))
        .extracting(a -> a.entry().action())
        .containsExactly("install.started", "install.failed");

    String preseedToken = token("pre-1", 3600);
    InstallReporter reporter =
        new InstallReporter(url, ctl.caFile().toString(), preseedToken, "pre-1", "arm64");
    Process early =
        new ProcessBuilder("/bin/sh", "-c", reporter.command("partitioning", "partman"))
            .redirectErrorStream(true)
            .start();
    String earlyOutput = new String(early.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(early.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(early.exitValue()).isZero();
    InstallingNode preseed = installFor(preseedToken);
    assertThat(preseed.getPhase()).as(earlyOutput).isEqualTo("partitioning");
    assertThat(preseed.getArch()).isEqualTo("arm64");
    assertThat(preseed.getMessage()).isEqualTo("partman");
  }

  private static InstallingNode installFor(String token) {
    return installing().stream()
        .filter(i -> i.getTokenId().equals(idOf(token)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no install reported for " + idOf(token)));
  }
}
