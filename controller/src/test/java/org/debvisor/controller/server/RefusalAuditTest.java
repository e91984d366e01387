package org.debvisor.controller.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.debvisor.common.testing.MutableClock;
import org.debvisor.controller.audit.AuditLog;
import org.debvisor.controller.audit.AuditRecord;
import org.debvisor.controller.audit.AuditVerifier;
import org.debvisor.controller.inventory.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A flood of refused enrolments adds a bounded number of audit rows whose counts add up. */
class RefusalAuditTest {

  @TempDir Path dir;

  private final MutableClock clock = new MutableClock();
  private Database db;
  private AuditLog log;

  @BeforeEach
  void open() {
    db = Database.open(dir.resolve("controller.db"));
    log = new AuditLog(clock);
  }

  @AfterEach
  void close() {
    db.close();
  }

  private List<AuditRecord> rows() {
    return db.read(c -> AuditLog.page(c, 0, 10_000));
  }

  private void refuse(RefusalAudit refusals, String source, String reason, int n) {
    db.write(
        c -> {
          refusals.refused(c, "node-" + n, source, reason, "token tok" + n + " is forged");
          return null;
        });
  }

  /** Refusals a row stands for: 1 for a first refusal, the repeat count for a summary. */
  private static long represented(AuditRecord r) {
    String detail = r.entry().detail();
    int at = detail.indexOf(" repeated=");
    if (at < 0) {
      return 1;
    }
    return Long.parseLong(detail.substring(at + 10, detail.indexOf(' ', at + 10)));
  }

  @Test
  void aThousandRefusalsFromOneSourceAddTwoRowsWithTheRightCount() throws Exception {
    RefusalAudit refusals = new RefusalAudit(log, clock, Duration.ofMinutes(1));
    for (int i = 0; i < 1_000; i++) {
      refuse(refusals, "203.0.113.9", "unknown-token", i);
    }

    List<AuditRecord> during = rows();
    assertThat(during).hasSize(1);
    assertThat(during.get(0).entry().detail())
        .startsWith("reason=unknown-token")
        .contains("tok0 is forged");
    assertThat(during.get(0).entry().source()).isEqualTo("203.0.113.9");
    assertThat(during.get(0).entry().result()).isEqualTo("refused");

    clock.advance(Duration.ofSeconds(59));
    assertThat(db.write(refusals::flushDue)).as("interval not over yet").isZero();
    clock.advance(Duration.ofSeconds(1));
    assertThat(db.write(refusals::flushDue)).isEqualTo(1);

    List<AuditRecord> after = rows();
    assertThat(after).hasSize(2);
    assertThat(after.get(1).entry().detail())
        .contains("repeated=999")
        .contains("tok999 is forged")
        .contains("reason=unknown-token");
    assertThat(after.stream().mapToLong(RefusalAuditTest::represented).sum()).isEqualTo(1_000);
    assertThat(refusals.pending()).isZero();
    assertThat(db.read(c -> new AuditVerifier().verify(c)).intact()).isTrue();

    // A new interval starts with a row of its own again.
    refuse(refusals, "203.0.113.9", "unknown-token", 1_000);
    assertThat(rows()).hasSize(3);
  }

  @Test
  void reasonsAndSourcesAreCountedApart() {
    RefusalAudit refusals = new RefusalAudit(log, clock, Duration.ofMinutes(1));
    for (int i = 0; i < 30; i++) {
      refuse(refusals, "203.0.113." + (i % 3), i % 2 == 0 ? "unknown-token" : "used-token", i);
    }
    // 3 sources x 2 reasons = 6 pairs, each with a first row now.
    assertThat(rows()).hasSize(6);

    db.write(refusals::flushAll);

    List<AuditRecord> all = rows();
    assertThat(all).hasSize(12);
    assertThat(all.stream().mapToLong(RefusalAuditTest::represented).sum()).isEqualTo(30);
  }

  @Test
  void aFloodFromManySourcesStaysWithinTheKeyBound() {
    RefusalAudit refusals = new RefusalAudit(log, clock, Duration.ofMinutes(1), 8);
    for (int i = 0; i < 1_000; i++) {
      refuse(refusals, "198.51." + (i / 250) + "." + (i % 250), "malformed-token", i);
    }

    assertThat(refusals.pending()).isEqualTo(9);
    List<AuditRecord> during = rows();
    assertThat(during).hasSize(9);
    // The first source past the bound is still named; its repeats are counted with the others.
    assertThat(during.get(8).entry().source()).isEqualTo("198.51.0.8");
    assertThat(during.get(8).entry().detail())
        .contains("counted-as=" + RefusalAudit.OVERFLOW_SOURCE);

    clock.advance(Duration.ofMinutes(1));
    db.write(refusals::flushDue);

    List<AuditRecord> after = rows();
    assertThat(after).hasSize(10);
    assertThat(after.get(9).entry().source()).isEqualTo(RefusalAudit.OVERFLOW_SOURCE);
    assertThat(after.get(9).entry().detail()).contains("repeated=991").contains("198.51.3.249");
    assertThat(after.stream().mapToLong(RefusalAuditTest::represented).sum()).isEqualTo(1_000);
    assertThat(refusals.pending()).isZero();
  }
}
