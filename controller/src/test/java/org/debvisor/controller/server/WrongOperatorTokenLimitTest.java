package org.debvisor.controller.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.debvisor.controller.client.ControllerConnection;
import org.debvisor.controller.inventory.Database;
import org.debvisor.proto.ListNodesRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A flood of wrong operator tokens from one source address: after the source's allowance the calls
 * are refused with RESOURCE_EXHAUSTED and retry information before the database is asked, while
 * another source (IPv6 loopback beside IPv4) still authenticates, and nothing in the inventory
 * changes.
 */
class WrongOperatorTokenLimitTest {

  // Well above the allowance, sent at once so the bucket's refill (1/s) cannot keep up.
  private static final int FLOOD = 40;

  @TempDir Path state;

  @Test
  void wrongTokensFromOneSourceAreLimitedAndAnotherSourceStillAuthenticates() throws Exception {
    try (RunningController ctl =
            RunningController.start(state, s -> s.withListen("::", 0)); // IPv4 and IPv6
        ControllerConnection guesser =
            ControllerConnection.open(ctl.target(), ctl.caFile(), "not-the-operator-token");
        ControllerConnection operatorV6 =
            ControllerConnection.open(
                "[::1]:" + ctl.target().substring(ctl.target().lastIndexOf(':') + 1),
                ctl.caFile(),
                ctl.operatorToken());
        ControllerConnection guesserV6 =
            ControllerConnection.open(
                "[::1]:" + ctl.target().substring(ctl.target().lastIndexOf(':') + 1),
                ctl.caFile(),
                "another-wrong-token")) {
      ctl.operator().listNodes(ListNodesRequest.getDefaultInstance());
      String before = inventory(state);

      List<StatusRuntimeException> answers = new ArrayList<>();
      try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
        List<Future<?>> calls = new ArrayList<>();
        for (int i = 0; i < FLOOD; i++) {
          calls.add(
              callers.submit(
                  () -> guesser.controller(120).listNodes(ListNodesRequest.getDefaultInstance())));
        }
        for (Future<?> call : calls) {
          try {
            call.get();
          } catch (java.util.concurrent.ExecutionException e) {
            answers.add((StatusRuntimeException) e.getCause());
          }
        }
      }
      assertThat(answers).as("every wrong token is refused").hasSize(FLOOD);
      List<StatusRuntimeException> wrong =
          answers.stream()
              .filter(e -> e.getStatus().getCode() == Status.Code.UNAUTHENTICATED)
              .toList();
      List<StatusRuntimeException> limited =
          answers.stream()
              .filter(e -> e.getStatus().getCode() == Status.Code.RESOURCE_EXHAUSTED)
              .toList();
      assertThat(wrong.size() + limited.size()).isEqualTo(FLOOD);
      assertThat(wrong)
          .as("the allowance (%s at once) is checked against the tokens", 10)
          .hasSizeGreaterThanOrEqualTo(
              (int) ControllerInterceptors.WRONG_OPERATOR_TOKENS.capacity());
      assertThat(wrong.getFirst().getStatus().getDescription())
          .startsWith("operator token is wrong; use the one in <stateDir>/operator-token");
      assertThat(limited).as("the rest are refused without a lookup").isNotEmpty();
      StatusRuntimeException refused = limited.getFirst();
      assertThat(refused.getStatus().getDescription())
          .startsWith("too many wrong operator tokens from 127.0.0.1 (limit 10 at once, 1/s)")
          .contains("retry after")
          .contains("check the token");
      Metadata trailers = refused.getTrailers();
      assertThat(trailers).isNotNull();
      assertThat(Long.parseLong(trailers.get(SourceBuckets.RETRY_PUSHBACK_MS))).isPositive();
      assertThat(Long.parseLong(trailers.get(SourceBuckets.RETRY_AFTER))).isPositive();

      // Another source: its own allowance, and the right token works.
      assertThat(
              operatorV6
                  .controller(120)
                  .listNodes(ListNodesRequest.getDefaultInstance())
                  .isInitialized())
          .isTrue();
      StatusRuntimeException otherWrong =
          org.assertj.core.api.Assertions.catchThrowableOfType(
              StatusRuntimeException.class,
              () -> guesserV6.controller(120).listNodes(ListNodesRequest.getDefaultInstance()));
      assertThat(otherWrong.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);

      assertThat(inventory(state)).as("nothing changed in the inventory").isEqualTo(before);
    }
  }

  /** Row counts of the tables an authentication could touch, and the audit head. */
  private static String inventory(Path state) throws Exception {
    try (Connection c = Database.readOnlyConnection(state.resolve("controller.db"));
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT (SELECT COUNT(*) FROM operator_tokens) || ' '"
                    + " || (SELECT COUNT(*) FROM audit_log) || ' '"
                    + " || COALESCE((SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1), '') || ' '"
                    + " || (SELECT COUNT(*) FROM bootstrap_tokens) || ' '"
                    + " || (SELECT COUNT(*) FROM nodes)")) {
      r.next();
      return r.getString(1);
    }
  }
}
