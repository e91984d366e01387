package org.debvisor.controller.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import org.debvisor.common.testing.Poll;
import org.debvisor.controller.cli.DebvisorCli;
import org.debvisor.controller.client.ControllerConnection;
import org.debvisor.controller.inventory.Database;
import org.debvisor.controller.inventory.PostgresExtension;
import org.debvisor.controller.inventory.PostgresServer;
import org.debvisor.controller.inventory.PostgresUrl;
import org.debvisor.controller.inventory.SharedCaRepository;
import org.debvisor.controller.inventory.StoredCa;
import org.debvisor.controller.pki.OperatorCredential;
import org.debvisor.controller.server.Controller;
import org.debvisor.controller.server.ControllerSettings;
import org.debvisor.proto.ListNodesRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Controllers sharing one PostgreSQL database: one CA for all (its key encrypted in the database),
 * a controller given another CA key passphrase refuses to start and changes nothing, one
 * controller's operator token is accepted by the others (the database keeps its hash), exactly one
 * leads, `debvisor controllers list` shows them, and the other takes the lead when the leader
 * stops.
 */
@ExtendWith(PostgresExtension.class)
class SeveralControllersTest {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;

  private Path passphrase(String name, String text) throws IOException {
    return SharedCaSeed.passphraseFile(dir.resolve(name), text);
  }

  private ControllerSettings settings(String name, PostgresUrl url, Path passphrase) {
    return ControllerSettings.defaults(dir.resolve(name))
        .withListen("127.0.0.1", 0)
        .withPostgres(url)
        .withCaKeyPassphraseFile(passphrase)
        .withLeasePeriod(Duration.ofSeconds(2));
  }

  @Test
  void controllersShareTheCaOneLeadsAndAnotherPassphraseIsRefused(PostgresServer server)
      throws Exception {
    PostgresUrl url = server.createDatabase();
    Path right = passphrase("ca-passphrase", "correct horse battery staple");
    Path wrong = passphrase("other-passphrase", "another long passphrase");
    SharedCaSeed.seed(url, right, dir);
    SimpleMeterRegistry registryA = new SimpleMeterRegistry();
    SimpleMeterRegistry registryC = new SimpleMeterRegistry();
    Controller a = Controller.start(settings("a", url, right), registryA, Clock.systemUTC());
    boolean aClosed = false;
    try {
      await("a leads", a::isLeader);
      Optional<StoredCa> stored = storedCa(url);
      assertThat(stored).isPresent();
      assertThat(stored.get().encryptedKeyPem())
          .startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
      assertThat(dir.resolve("a/pki/ca.key"))
          .as("the key lives in the database only")
          .doesNotExist();

      assertThatThrownBy(
              () ->
                  Controller.start(
                      settings("b", url, wrong), new SimpleMeterRegistry(), Clock.systemUTC()))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("does not open with this controller's CA key passphrase")
          .hasMessageContaining("--ca-key-passphrase-file")
          .hasMessageContaining(url.redacted())
          .hasMessageNotContaining("correct horse");
      assertThat(storedCa(url)).as("the stored CA is unchanged").isEqualTo(stored);
      assertThat(dir.resolve("b/pki/ca.pem")).doesNotExist();

      try (Controller c =
          Controller.start(settings("c", url, right), registryC, Clock.systemUTC())) {
        assertThat(c.certificateAuthority().certificate())
            .isEqualTo(a.certificateAuthority().certificate());
        assertThat(Files.readString(dir.resolve("c/pki/ca.pem")))
            .isEqualTo(Files.readString(dir.resolve("a/pki/ca.pem")));
        assertThat(c.isLeader()).isFalse();
        assertThat(a.isLeader()).isTrue();
        assertThat(leaderGauge(registryA, a)).isEqualTo(1.0);
        assertThat(leaderGauge(registryC, c)).isEqualTo(0.0);

        // The operator token in a's state directory works against c, which never saw the file;
        // the database keeps only its hash, and a made-up token stays refused.
        String tokenOfA = Files.readString(dir.resolve("a/operator-token")).strip();
        assertThat(Files.readString(dir.resolve("c/operator-token")).strip())
            .isNotEqualTo(tokenOfA);
        try (ControllerConnection withTokenOfA =
            ControllerConnection.open(
                "127.0.0.1:" + c.address().getPort(), dir.resolve("c/pki/ca.pem"), tokenOfA)) {
          assertThat(
                  withTokenOfA
                      .controller(60)
                      .listNodes(ListNodesRequest.getDefaultInstance())
                      .getNodesList())
              .isEmpty();
        }
        try (ControllerConnection madeUp =
            ControllerConnection.open(
                "127.0.0.1:" + c.address().getPort(),
                dir.resolve("c/pki/ca.pem"),
                "dvo_" + "x".repeat(43))) {
          assertThatThrownBy(
                  () -> madeUp.controller(60).listNodes(ListNodesRequest.getDefaultInstance()))
              .isInstanceOf(StatusRuntimeException.class)
              .hasMessageContaining("UNAUTHENTICATED")
              .hasMessageContaining("operator token is wrong");
        }
        assertThat(storedTokenHashes(url))
            .containsExactlyInAnyOrder(
                OperatorCredential.sha256Of(tokenOfA),
                OperatorCredential.sha256Of(
                    Files.readString(dir.resolve("c/operator-token")).strip()))
            .noneMatch(h -> h.contains(tokenOfA));

        await("both listed", () -> list(url).contains(c.memberId()));
        String listing = list(url);
        assertThat(listing)
            .containsPattern(
                Pattern.quote(a.memberId()) + "\\s+127\\.0\\.0\\.1:\\d+\\s+yes\\s+.*token 1")
            .containsPattern(Pattern.quote(c.memberId()) + "\\s+127\\.0\\.0\\.1:\\d+\\s+no")
            .contains("2 controller(s) in " + url.redacted());

        a.close();
        aClosed = true;
        await("c leads after a stopped", c::isLeader);
        assertThat(leaderGauge(registryC, c)).isEqualTo(1.0);
        assertThat(list(url))
            .containsPattern(Pattern.quote(c.memberId()) + "\\s+\\S+\\s+yes\\s+.*token 2");
      }
    } finally {
      if (!aClosed) {
        a.close();
      }
    }
  }

  private static double leaderGauge(SimpleMeterRegistry registry, Controller controller) {
    return registry
        .get("debvisor.controller.leader")
        .tag("controller", controller.memberId())
        .gauge()
        .value();
  }

  private static java.util.List<String> storedTokenHashes(PostgresUrl url) throws Exception {
    java.util.List<String> hashes = new java.util.ArrayList<>();
    try (java.sql.Connection c = Database.readOnlyConnection(url);
        java.sql.Statement s = c.createStatement();
        java.sql.ResultSet rs = s.executeQuery("SELECT token_sha256 FROM operator_tokens")) {
      while (rs.next()) {
        hashes.add(rs.getString(1));
      }
    }
    return hashes;
  }

  private static Optional<StoredCa> storedCa(PostgresUrl url) {
    try (Database db = Database.open(url)) {
      return db.read(new SharedCaRepository()::find);
    }
  }

  private String list(PostgresUrl url) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cli = DebvisorCli.create(null, Map.of());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute("controllers", "list", "--database-url", url.toString());
    assertThat(code).as(err.toString()).isZero();
    return out.toString();
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    Poll.until(what, WAIT, Duration.ofMillis(50), condition);
  }
}
