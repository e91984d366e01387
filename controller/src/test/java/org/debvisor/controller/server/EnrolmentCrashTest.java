package org.debvisor.controller.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.protobuf.Duration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.debvisor.controller.client.ControllerConnection;
import org.debvisor.controller.inventory.Database;
import org.debvisor.proto.CreateBootstrapTokenRequest;
import org.debvisor.proto.RegisterNodeRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A controller process on SQLite is SIGKILLed while agents enrol concurrently (their enrolments
 * grouped into shared commits), right after a number of acknowledgements: reopened, the database
 * holds every acknowledged enrolment, each whole and audited once, and an intact audit chain. A
 * second controller JVM costs several seconds and the default suite is at its limit, so this runs
 * in the slow suite ({@code -Ddebvisor.slow=true}); by default GroupCommitTest pins that a caller
 * returns only after the commit holding its work, and ConcurrentEnrolmentTest the RPC path.
 */
class EnrolmentCrashTest {

  private static final int NODES = 48;
  private static final int KILL_AFTER_ACKS = 16;

  @TempDir Path dir;

  @Test
  void everyAcknowledgedEnrolmentSurvivesAKill9() throws Exception {
    assumeTrue(Boolean.getBoolean("debvisor.slow"), "SIGKILL test: -Ddebvisor.slow=true");
    Path stateDir = dir.resolve("controller");
    Map<String, String> acked;
    int failures;
    try (KillableController controller =
        KillableController.start(
            stateDir,
            KillableController.freePort(),
            List.of("--register-burst", "1000", "--register-rate", "1000"))) {
      List<RegisterNodeRequest> requests = new ArrayList<>();
      try (ControllerConnection operator = controller.operator()) {
        for (int i = 0; i < NODES; i++) {
          TestNode node = new TestNode(String.format("%032x", 0xfeed00L + i), "crash-" + i);
          String token =
              operator
                  .controller(120)
                  .createBootstrapToken(
                      CreateBootstrapTokenRequest.newBuilder()
                          .setTtl(Duration.newBuilder().setSeconds(3600))
                          .build())
                  .getToken();
          requests.add(node.request(token).build());
        }
      }
      try (ControllerConnection anonymous = controller.anonymous()) {
        EnrolmentLoad load = EnrolmentLoad.start(anonymous, requests, 8);
        try {
          load.awaitAcks(KILL_AFTER_ACKS, java.time.Duration.ofSeconds(180));
          controller.kill();
        } finally {
          load.close();
        }
        acked = load.acked();
        failures = load.failures();
      }
    }
    assertThat(acked.size()).isGreaterThanOrEqualTo(KILL_AFTER_ACKS);
    assertThat(acked.size() + failures)
        .as("every call was answered or failed")
        .isLessThanOrEqualTo(NODES);

    // Reopened as the restarted controller would: recovery of the WAL, then the check.
    try (Database db = Database.open(stateDir.resolve("controller.db"))) {
      db.read(
          c -> {
            EnrolmentLoad.assertDurable(c, acked);
            return null;
          });
    }
  }
}
