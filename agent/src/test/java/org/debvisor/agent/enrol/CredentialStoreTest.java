package org.debvisor.agent.enrol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.debvisor.agent.testing.TestPki;
import org.debvisor.common.pem.Pem;
import org.debvisor.common.tls.NodeCredentials;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialStoreTest {

  @TempDir Path dir;
  private final TestPki.Issued ca = TestPki.selfSignedCa("ca");

  private NodeCredentials issue() {
    TestPki.Issued node = TestPki.issue(ca, "node-1", TestPki.ec(), null);
    return new NodeCredentials(
        node.keys().getPrivate(), List.of(node.certificate()), List.of(ca.certificate()));
  }

  @Test
  void savedCredentialsLoadBackWithAPrivateKeyFileAndPrivateDirectory() throws Exception {
    CredentialStore store = new CredentialStore(dir.resolve("pki"));
    NodeCredentials saved = issue();

    store.save(saved);
    NodeCredentials loaded = store.load().orElseThrow();

    assertThat(loaded.serialHex()).isEqualTo(saved.serialHex());
    assertThat(loaded.keyMatchesCertificate()).isTrue();
    assertThat(Files.getPosixFilePermissions(store.keyFile()))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.getPosixFilePermissions(dir.resolve("pki")))
        .isEqualTo(PosixFilePermissions.fromString("rwx------"));
    try (var files = Files.list(dir.resolve("pki"))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("node.key", "node.pem", "ca.pem");
    }
  }

  @Test
  void nothingStoredIsEmpty() throws Exception {
    assertThat(new CredentialStore(dir.resolve("pki")).load()).isEmpty();
  }

  @Test
  void renewalInterruptedAfterTheCertificateIsCompletedOnLoad() throws Exception {
    CredentialStore store = new CredentialStore(dir.resolve("pki"));
    store.save(issue());
    NodeCredentials renewed = issue();
    // The state a crash leaves between "certificate stored" and "key renamed into place".
    Files.writeString(dir.resolve("pki/node.key.next"), Pem.encode(renewed.key()));
    Files.writeString(store.certificateFile(), Pem.encode(List.of(renewed.leaf())));

    NodeCredentials loaded = store.load().orElseThrow();

    assertThat(loaded.serialHex()).isEqualTo(renewed.serialHex());
    assertThat(dir.resolve("pki/node.key.next")).doesNotExist();
    assertThat(Pem.privateKey(Files.readString(store.keyFile()))).isEqualTo(renewed.key());
  }

  @Test
  void keyOfAnotherCertificateMeansNotEnrolled() throws Exception {
    CredentialStore store = new CredentialStore(dir.resolve("pki"));
    store.save(issue());
    Files.writeString(store.keyFile(), Pem.encode(TestPki.ec().getPrivate()));

    assertThat(store.load()).isEmpty();
  }
}
