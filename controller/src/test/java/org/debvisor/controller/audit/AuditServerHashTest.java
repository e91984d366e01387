package org.debvisor.controller.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.debvisor.controller.inventory.Database;
import org.debvisor.controller.inventory.InventoryException;
import org.debvisor.controller.inventory.PostgresExtension;
import org.debvisor.controller.inventory.PostgresServer;
import org.debvisor.controller.inventory.PostgresUrl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * On PostgreSQL an append is one statement and the server hashes the entry behind the chain's end
 * it read: that hash must be the one {@link AuditChain#hash} computes, for any text (multi-byte
 * UTF-8, empty fields), and what the append returns must be what is stored.
 */
@ExtendWith(PostgresExtension.class)
class AuditServerHashTest {

  private static final Instant AT = Instant.parse("2026-12-03T15:30:00.456Z");

  private final AuditLog audit = new AuditLog(Clock.fixed(AT, ZoneOffset.UTC));

  @Test
  void theServersHashIsTheChainsAndTheReturnedRecordIsTheStoredOne(PostgresServer server)
      throws Exception {
    PostgresUrl url = server.createDatabase();
    List<AuditEntry> entries =
        List.of(
            new AuditEntry("node:n1", "node.register", "n1", "192.0.2.1", "ok", "hostname=n1"),
            new AuditEntry("opérateur", "token.create", "tök-ü€𝄞", "::1", "ok", ""),
            new AuditEntry("", "", "", "", "", "x".repeat(5000)));
    try (Database db = Database.open(url)) {
      List<AuditRecord> expected = new ArrayList<>();
      String prev = AuditChain.GENESIS;
      for (AuditEntry entry : entries) {
        AuditRecord appended = db.write(c -> audit.append(c, entry));
        long seq = expected.size() + 1;
        AuditRecord computed =
            new AuditRecord(seq, AT, entry, prev, AuditChain.hash(prev, seq, AT, entry));
        assertThat(appended).isEqualTo(computed);
        expected.add(computed);
        prev = computed.hash();
      }
      List<AuditRecord> stored = db.read(c -> AuditLog.page(c, 0, 10));
      assertThat(stored.stream().sorted(Comparator.comparingLong(AuditRecord::seq)).toList())
          .isEqualTo(expected);
      AuditVerifier.Result chain = db.read(c -> new AuditVerifier().verify(c));
      assertThat(chain.intact()).as(chain.problem()).isTrue();
      assertThat(chain.checked()).isEqualTo(3);
    }
  }

  @Test
  void withoutTheHeadRowNothingIsAppendedAndTheErrorSaysWhy(PostgresServer server)
      throws Exception {
    PostgresUrl url = server.createDatabase();
    try (Database db = Database.open(url)) {
      db.write(
          c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM audit_head")) {
              return s.executeUpdate();
            }
          });
      AuditEntry entry = new AuditEntry("a", "b", "c", "d", "ok", "");
      assertThatThrownBy(() -> db.write(c -> audit.append(c, entry)))
          .isInstanceOf(InventoryException.class)
          .hasMessageContaining("the audit_head row is missing");
      try (Connection c = Database.readOnlyConnection(url)) {
        assertThat(AuditLog.page(c, 0, 10)).isEmpty();
      }
    }
  }
}
