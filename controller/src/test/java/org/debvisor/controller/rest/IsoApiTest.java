package org.debvisor.controller.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.debvisor.common.digest.Sha256;
import org.debvisor.controller.audit.AuditLog;
import org.debvisor.controller.audit.AuditRecord;
import org.debvisor.controller.cli.DebvisorCli;
import org.debvisor.controller.inventory.Database;
import org.debvisor.controller.iso.IsoBuildRequest;
import org.debvisor.controller.isolibrary.IsoLibrary;
import org.debvisor.controller.isolibrary.TestIsoLibraries;
import org.debvisor.controller.server.ControllerSettings;
import org.debvisor.controller.server.RunningController;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /api/v1/isos} against a real controller over HTTPS: real xorriso and the Debian mirror's
 * installer (cached in ~/.cache/debvisor like the other ISO tests). A build answers the ISO's
 * SHA-256, is byte for byte the CLI's build of the same node, is listed, downloads whole and is
 * audited; refusals answer problem details and leave the library as it was.
 */
class IsoApiTest {

  private static final String ADMIN_PASSWORD = "iso-admin-password-1";
  private static final String OPERATOR_PASSWORD = "iso-operator-password-1";

  @TempDir static Path state;
  @TempDir static Path files;
  @TempDir static Path library;

  private static RunningController ctl;
  private static HttpsApi api;

  @BeforeAll
  static void start() throws Exception {
    IsoLibrary.Settings isos =
        TestIsoLibraries.fromDebian(library, state.resolve("pki/ca.pem"), true);
    ctl =
        RunningController.start(
            state,
            s -> s.withRest(new ControllerSettings.RestListen("127.0.0.1", 0).withIsos(isos)));
    api = new HttpsApi(ctl.caFile(), ctl.controller.restAddress().orElseThrow().getPort());
    RestApiTest.addUser(state, files, "isoadmin", "admin", ADMIN_PASSWORD);
    RestApiTest.addUser(state, files, "isooper", "operator", OPERATOR_PASSWORD);
  }

  @AfterAll
  static void stop() {
    ctl.close();
  }

  @Test
  void aBuiltIsoIsTheClisBytesListedDownloadableAndAudited() throws Exception {
    Path node = node("api-node", "");

    HttpResponse<String> r = build(node, "?arch=amd64", ADMIN_PASSWORD, "isoadmin");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    JsonNode built = HttpsApi.json(r);
    Path iso = library.resolve("debvisor-api-node-amd64.iso");
    assertThat(built.path("name").asText()).isEqualTo("debvisor-api-node-amd64.iso");
    assertThat(built.path("sha256").asText()).isEqualTo(Sha256.hex(iso));
    assertThat(built.path("size").asLong()).isEqualTo(Files.size(iso));
    assertThat(built.path("hostname").asText()).isEqualTo("api-node");
    // The mirror as reached from here lacks installer components (MirrorPreflightTest): the
    // build goes on and says so.
    List<String> warnings = new java.util.ArrayList<>();
    built.path("warnings").forEach(w -> warnings.add(w.asText()));
    assertThat(warnings.get(0))
        .startsWith("preflight: the mirror http://deb.debian.org/debian/ fails ");
    assertThat(warnings)
        .anySatisfy(w -> assertThat(w).startsWith("preflight: e2fsprogs-udeb: HTTP 404 ("));
    assertThat(r.headers().firstValue("location"))
        .hasValue("/api/v1/isos/debvisor-api-node-amd64.iso");
    assertThat(Files.readString(library.resolve("SHA256SUMS")))
        .contains(built.path("sha256").asText() + "  debvisor-api-node-amd64.iso\n");

    Path cliOut = files.resolve("cli");
    assertThat(cli(node, cliOut)).isZero();
    assertThat(Files.mismatch(iso, cliOut.resolve("debvisor-api-node-amd64.iso")))
        .as("the controller's build is the CLI's, byte for byte")
        .isEqualTo(-1);

    JsonNode listed = HttpsApi.json(api.get("/api/v1/isos", auth("isoadmin", ADMIN_PASSWORD)));
    assertThat(listed.path("isos").findValuesAsText("name"))
        .contains("debvisor-api-node-amd64.iso");

    HttpResponse<InputStream> download =
        api.client.send(
            api.request("/api/v1/isos/debvisor-api-node-amd64.iso")
                .header("authorization", HttpsApi.basic("isoadmin", ADMIN_PASSWORD))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertThat(download.statusCode()).isEqualTo(200);
    assertThat(download.headers().firstValue("content-type")).hasValue("application/octet-stream");
    java.security.MessageDigest sha = Sha256.digest();
    try (InputStream in = download.body()) {
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        sha.update(buffer, 0, n);
      }
    }
    assertThat(java.util.HexFormat.of().formatHex(sha.digest()))
        .isEqualTo(built.path("sha256").asText());

    assertThat(
            ctl.registry
                .get("debvisor.build.status")
                .tags("arch", "amd64", "os", "debian13")
                .gauge()
                .value())
        .isEqualTo(1.0);
    assertThat(ctl.registry.get("debvisor.build.duration").tags("arch", "amd64").gauge().value())
        .isPositive();
    assertThat(ctl.registry.get("debvisor.build.status").tags("arch", "arm64").gauge().value())
        .as("no arm64 build yet")
        .isNaN();

    assertThat(isoAudit())
        .anySatisfy(
            a -> {
              assertThat(a.entry().actor()).isEqualTo("user:isoadmin");
              assertThat(a.entry().target()).isEqualTo("debvisor-api-node-amd64.iso");
              assertThat(a.entry().result()).isEqualTo("ok");
              assertThat(a.entry().detail()).contains(built.path("sha256").asText());
            });
  }

  @Test
  void aRebuildReplacesTheIsoAndItsWorkDirectoryGoesAfterTheAnswer() throws Exception {
    Path node = node("api-rebuilt", "");
    assertThat(build(node, "?arch=amd64", ADMIN_PASSWORD, "isoadmin").statusCode()).isEqualTo(201);
    Path iso = library.resolve("debvisor-api-rebuilt-amd64.iso");
    Object first = Files.readAttributes(iso, BasicFileAttributes.class).fileKey();

    HttpResponse<String> again = build(node, "?arch=amd64", ADMIN_PASSWORD, "isoadmin");

    assertThat(again.statusCode()).as(again.body()).isEqualTo(201);
    assertThat(Files.readAttributes(iso, BasicFileAttributes.class).fileKey())
        .as("a new file, renamed over the old one")
        .isNotEqualTo(first);
    assertThat(HttpsApi.json(again).path("sha256").asText()).isEqualTo(Sha256.hex(iso));
    // The replaced ISO goes with the build's work directory, removed after the answer.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (hasWorkDirectories() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(hasWorkDirectories()).isFalse();
  }

  private static boolean hasWorkDirectories() throws Exception {
    try (var list = Files.list(library)) {
      return list.anyMatch(p -> p.getFileName().toString().startsWith(".build"));
    }
  }

  @Test
  void anAgentSectionPutsThisControllersCaOnTheMedia() throws Exception {
    Path node =
        node(
            "api-agent",
            "agent:\n  controller: controller.example.org:7443\n  caFingerprint: "
                + "3f".repeat(32)
                + "\n  token: bt-5Xq2kP9wLr7ZmN4vC8hJ\n");

    HttpResponse<String> r = build(node, "?arch=amd64", ADMIN_PASSWORD, "isoadmin");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    Path extracted = files.resolve("extracted-ca.pem");
    Process xorriso =
        new ProcessBuilder(
                "xorriso",
                "-osirrox",
                "on",
                "-indev",
                library.resolve("debvisor-api-agent-amd64.iso").toString(),
                "-extract",
                "/debvisor/controller-ca.pem",
                extracted.toString())
            .redirectErrorStream(true)
            .redirectOutput(files.resolve("xorriso.log").toFile())
            .start();
    assertThat(xorriso.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(xorriso.exitValue()).as(Files.readString(files.resolve("xorriso.log"))).isZero();
    assertThat(Files.readString(extracted)).isEqualTo(Files.readString(ctl.caFile()));
  }

  @Test
  void refusalsSayWhatIsWrongAndLeaveTheLibraryAsItWas() throws Exception {
    Path good = node("api-refused", "");
    List<String> before = libraryFiles();
    int audited = isoAudit().size();

    assertProblem(build(good, "?arch=amd64", OPERATOR_PASSWORD, "isooper"), 403, null);
    assertProblem(build(good, "", ADMIN_PASSWORD, "isoadmin"), 400, "arch");
    assertProblem(build(good, "?arch=sparc", ADMIN_PASSWORD, "isoadmin"), 400, "arch");
    HttpResponse<String> invalid =
        build(node("api node", ""), "?arch=amd64", ADMIN_PASSWORD, "isoadmin");
    assertProblem(invalid, 400, "hostname");
    assertThat(HttpsApi.json(invalid).path("detail").asText()).contains("nothing was built");
    assertProblem(build(good, "?arch=amd64&profile=nosuch", ADMIN_PASSWORD, "isoadmin"), 400, null);
    HttpResponse<String> empty =
        api.send(
            api.request("/api/v1/isos?arch=amd64")
                .header("authorization", HttpsApi.basic("isoadmin", ADMIN_PASSWORD))
                .POST(HttpRequest.BodyPublishers.ofString("")));
    assertProblem(empty, 400, "body");
    for (String name : List.of("debvisor-none-amd64.iso", "SHA256SUMS", "api-refused.yaml")) {
      assertProblem(api.get("/api/v1/isos/" + name, auth("isoadmin", ADMIN_PASSWORD)), 404, null);
    }
    // An escaped slash never reaches the route: Armeria refuses the path.
    assertProblem(
        api.get("/api/v1/isos/..%2Fcontroller.db", auth("isoadmin", ADMIN_PASSWORD)), 400, null);

    assertThat(libraryFiles()).isEqualTo(before);
    assertThat(isoAudit()).hasSize(audited);
  }

  private static HttpResponse<String> build(Path node, String query, String password, String user)
      throws Exception {
    return api.send(
        api.request("/api/v1/isos" + query)
            .timeout(Duration.ofMinutes(5))
            .header("authorization", HttpsApi.basic(user, password))
            .header("content-type", "application/yaml")
            .POST(HttpRequest.BodyPublishers.ofFile(node)));
  }

  private static String[] auth(String user, String password) {
    return new String[] {"authorization", HttpsApi.basic(user, password)};
  }

  private static int cli(Path node, Path out) {
    var cmd = DebvisorCli.create(null);
    StringWriter text = new StringWriter();
    cmd.setOut(new PrintWriter(text, true));
    cmd.setErr(new PrintWriter(text, true));
    int code =
        cmd.execute(
            "iso",
            "build",
            "--arch",
            "amd64",
            "--node",
            node.toString(),
            "--out",
            out.toString(),
            "--quiet",
            "--skip-preflight",
            "--source-date-epoch",
            Long.toString(IsoBuildRequest.DEFAULT_EPOCH));
    assertThat(code).as(text.toString()).isZero();
    return code;
  }

  private static Path node(String hostname, String extra) throws Exception {
    String example;
    try (var in = IsoApiTest.class.getResourceAsStream("/examples/qemu-node.yaml")) {
      example = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    return Files.writeString(
        files.resolve(hostname.replace(' ', '_') + ".yaml"),
        example.replace("hostname: qemu-node", "hostname: \"" + hostname + "\"") + extra);
  }

  private static List<String> libraryFiles() throws Exception {
    try (var list = Files.list(library)) {
      // Without the work directories, which an earlier build's cleanup may still be removing.
      return list.map(p -> p.getFileName().toString())
          .filter(name -> !name.startsWith(".build"))
          .sorted()
          .toList();
    }
  }

  private static List<AuditRecord> isoAudit() throws Exception {
    try (Connection c = Database.readOnlyConnection(state.resolve("controller.db"))) {
      return AuditLog.page(c, 0, 10_000).stream()
          .filter(r -> r.entry().action().equals("iso.build"))
          .toList();
    }
  }

  private static void assertProblem(HttpResponse<String> r, int status, String field)
      throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
    JsonNode p = HttpsApi.json(r);
    assertThat(p.path("detail").asText()).isNotBlank();
    if (field != null) {
      assertThat(p.path("violations").findValuesAsText("field")).contains(field);
    }
  }
}
