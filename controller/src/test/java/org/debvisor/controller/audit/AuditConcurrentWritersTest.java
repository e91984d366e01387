package org.debvisor.controller.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.debvisor.controller.inventory.Database;
import org.debvisor.controller.inventory.PostgresExtension;
import org.debvisor.controller.inventory.PostgresServer;
import org.debvisor.controller.inventory.PostgresUrl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two controllers' worth of writers (two pools on one PostgreSQL database, as two processes have)
 * append to the audit log at once: every append commits, the log is one intact chain, and the head
 * row names its last entry.
 */
@ExtendWith(PostgresExtension.class)
class AuditConcurrentWritersTest {

  private static final int WRITERS_PER_CONTROLLER = 3;
  private static final int APPENDS_PER_WRITER = 20;

  @Test
  void appendsFromTwoControllersFormOneChain(PostgresServer server) throws Exception {
    PostgresUrl url = server.createDatabase();
    AuditLog audit = new AuditLog(Clock.systemUTC());
    try (Database first = Database.open(url);
        Database second = Database.open(url)) {
      ExecutorService pool = Executors.newFixedThreadPool(2 * WRITERS_PER_CONTROLLER);
      List<Future<?>> writers = new ArrayList<>();
      try {
        for (int w = 0; w < 2 * WRITERS_PER_CONTROLLER; w++) {
          Database db = w % 2 == 0 ? first : second;
          String actor = (w % 2 == 0 ? "ctl-a" : "ctl-b") + "-writer-" + w;
          writers.add(
              pool.submit(
                  () -> {
                    for (int i = 0; i < APPENDS_PER_WRITER; i++) {
                      int n = i;
                      db.write(
                          c ->
                              audit.append(
                                  c,
                                  new AuditEntry(
                                      actor, "test.append", "t", "test", "ok", "n=" + n)));
                    }
                    return null;
                  }));
        }
        for (Future<?> writer : writers) {
          writer.get(120, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      long expected = 2L * WRITERS_PER_CONTROLLER * APPENDS_PER_WRITER;
      try (Connection c = Database.readOnlyConnection(url)) {
        AuditVerifier.Result chain = new AuditVerifier().verify(c);
        assertThat(chain.intact()).as(chain.problem()).isTrue();
        assertThat(chain.checked()).isEqualTo(expected);
        List<AuditRecord> all = AuditLog.page(c, 0, (int) expected + 10);
        assertThat(all).hasSize((int) expected);
        assertThat(all.get(all.size() - 1).seq()).isEqualTo(expected);
        AuditRecord last = all.get(all.size() - 1);
        assertThat(AuditHeadMigrationTest.head(c)).isEqualTo(last.seq() + ":" + last.hash());
      }
    }
  }
}
