package org.debvisor.controller.upgrade;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.debvisor.controller.server.TestNode;

/**
 * The state the previous release's own controller and agent left on disk, checked in under {@code
 * upgrade/<tag>/} of the test resources by {@code
 * controller/src/test/scripts/make-upgrade-fixtures.sh}, and copied into a test's directory with
 * the modes the daemons gave it (Git keeps no modes but the executable bit).
 *
 * @param controllerState the controller's state directory (controller.db, operator-token, pki/)
 * @param agentDir the agent's directory: pki/, config/, managed/, agent.yaml
 */
record PreviousRelease(Properties facts, Path controllerState, Path agentDir) {

  static final String TAG = "v0.1.0";

  /** The node the previous release enrolled. */
  static final String NODE_ID = "upgrade-fixture-node";

  /** Copies the fixture of {@link #TAG} into {@code dir}. */
  static PreviousRelease copyTo(Path dir) throws IOException {
    Path source = fixtureRoot();
    Properties facts = new Properties();
    try (InputStream in = Files.newInputStream(source.resolve("fixture.properties"))) {
      facts.load(in);
    }
    Path target = dir.resolve("previous-release");
    copyTree(source, target);
    return new PreviousRelease(facts, target.resolve("controller"), target.resolve("agent"));
  }

  /** The original fixture directory on the test class path (never written to). */
  static Path fixtureRoot() {
    URL url = PreviousRelease.class.getClassLoader().getResource("upgrade/" + TAG);
    if (url == null) {
      throw new IllegalStateException(
          "no upgrade/"
              + TAG
              + " fixture on the test class path; run"
              + " controller/src/test/scripts/make-upgrade-fixtures.sh "
              + TAG);
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  String fact(String key) {
    String value = facts.getProperty(key);
    if (value == null) {
      throw new IllegalStateException("fixture.properties has no " + key);
    }
    return value;
  }

  List<String> configVersions() {
    return List.of(fact("config.versions").split(","));
  }

  X509Certificate nodeCertificate() throws IOException {
    return TestNode.certificate(
        Files.readString(agentDir.resolve("pki/node.pem"), StandardCharsets.US_ASCII));
  }

  /**
   * True while the node certificate the previous release issued is still valid: a controller
   * refuses it afterwards, as it should, and the fixture needs regenerating for those checks.
   */
  boolean nodeCertificateValid() throws IOException {
    return nodeCertificate().getNotAfter().toInstant().isAfter(Instant.now().plusSeconds(600));
  }

  static String regenerateHint() {
    return "the fixture's node certificate has expired; regenerate the fixture with"
        + " controller/src/test/scripts/make-upgrade-fixtures.sh "
        + TAG;
  }

  private static void copyTree(Path source, Path target) throws IOException {
    try (Stream<Path> all = Files.walk(source)) {
      for (Path from : all.toList()) {
        Path to = target.resolve(source.relativize(from).toString());
        if (Files.isDirectory(from)) {
          Files.createDirectories(to);
          Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rwx------"));
        } else {
          Files.copy(from, to);
          Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rw-------"));
        }
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
