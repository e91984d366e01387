package org.debvisor.controller.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import org.debvisor.controller.inventory.Database;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The audit log's hash chain on a real SQLite file, and what tampering with the file shows. */
class AuditChainTest {

  @TempDir Path dir;

  private Path file;

  @BeforeEach
  void writeFiveEntries() {
    file = dir.resolve("controller.db");
    AuditLog log = new AuditLog(Clock.systemUTC());
    try (Database db = Database.open(file)) {
      for (int i = 1; i <= 5; i++) {
        int n = i;
        db.write(
            c ->
                log.append(
                    c,
                    new AuditEntry(
                        "operator", "token.create", "tok" + n, "127.0.0.1", "ok", "ttl=PT1H")));
      }
    }
  }

  private AuditVerifier.Result verify() throws SQLException {
    try (Connection c = Database.readOnlyConnection(file)) {
      return new AuditVerifier().verify(c);
    }
  }

  private void tamper(String... sql) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement()) {
      for (String statement : sql) {
        s.executeUpdate(statement);
      }
    }
  }

  @Test
  void intactChainVerifies() throws Exception {
    AuditVerifier.Result result = verify();
    assertThat(result.intact()).isTrue();
    assertThat(result.checked()).isEqualTo(5);
  }

  @Test
  void databaseRefusesUpdateAndDelete() {
    assertThatThrownBy(() -> tamper("UPDATE audit_log SET result = 'refused' WHERE seq = 2"))
        .hasMessageContaining("append-only");
    assertThatThrownBy(() -> tamper("DELETE FROM audit_log WHERE seq = 2"))
        .hasMessageContaining("append-only");
  }

  @Test
  void changedEntryIsFoundEvenWhenTheTriggersAreDropped() throws Exception {
    tamper(
        "DROP TRIGGER audit_log_no_update",
        "UPDATE audit_log SET actor = 'someone-else' WHERE seq = 3");

    AuditVerifier.Result result = verify();

    assertThat(result.intact()).isFalse();
    assertThat(result.brokenSeq()).isEqualTo(3);
    assertThat(result.checked()).isEqualTo(2);
    assertThat(result.problem()).contains("entry 3").contains("changed");
  }

  @Test
  void rehashedEntryBreaksTheLinkOfTheNextOne() throws Exception {
    // A careful forger recomputes entry 3's own hash; entry 4 still points to the old one.
    AuditEntry forged =
        new AuditEntry("operator", "token.create", "tok3", "10.9.9.9", "ok", "ttl=PT1H");
    long at;
    try (Connection c = Database.readOnlyConnection(file)) {
      at = AuditLog.page(c, 2, 1).get(0).at().toEpochMilli();
    }
    String prev;
    try (Connection c = Database.readOnlyConnection(file)) {
      prev = AuditLog.page(c, 1, 1).get(0).hash();
    }
    String hash = AuditChain.hash(prev, 3, java.time.Instant.ofEpochMilli(at), forged);
    tamper(
        "DROP TRIGGER audit_log_no_update",
        "UPDATE audit_log SET source = '10.9.9.9', hash = '" + hash + "' WHERE seq = 3");

    AuditVerifier.Result result = verify();

    assertThat(result.brokenSeq()).isEqualTo(4);
    assertThat(result.problem()).contains("does not link");
  }

  @Test
  void deletedEntryIsFound() throws Exception {
    tamper("DROP TRIGGER audit_log_no_delete", "DELETE FROM audit_log WHERE seq = 2");

    AuditVerifier.Result result = verify();

    assertThat(result.brokenSeq()).isEqualTo(2);
    assertThat(result.problem()).contains("missing");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "at = at + 1",
        "actor = 'OPERATOR'",
        "action = 'token.creat3'",
        "target = 'tok9'",
        "source = '127.0.0.9'",
        "result = 'no'",
        "detail = 'ttl=PT9H'"
      })
  void aSameLengthChangeToAnyColumnIsFound(String assignment) throws Exception {
    tamper(
        "DROP TRIGGER audit_log_no_update",
        "UPDATE audit_log SET " + assignment + " WHERE seq = 3");

    AuditVerifier.Result result = verify();

    assertThat(result.brokenSeq()).isEqualTo(3);
    assertThat(result.problem()).contains("changed");
  }

  @Test
  void aSameLengthPreviousHashIsFound() throws Exception {
    tamper(
        "DROP TRIGGER audit_log_no_update",
        "UPDATE audit_log SET prev_hash = '" + "f".repeat(64) + "' WHERE seq = 3");

    AuditVerifier.Result result = verify();

    assertThat(result.brokenSeq()).isEqualTo(3);
    assertThat(result.problem()).contains("does not link");
  }
}
