package org.debvisor.agent.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Drainable;
import io.grpc.KnownLength;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.time.Clock;
import java.util.List;
import org.debvisor.agent.report.StatusBoard;
import org.debvisor.agent.testing.SwitchableCollector;
import org.debvisor.proto.HealthState;
import org.debvisor.proto.NodeIdentity;
import org.debvisor.proto.NodeStatus;
import org.debvisor.proto.Subsystem;
import org.junit.jupiter.api.Test;

/** Reports serialised once per report object, and never after the board moved on. */
class LastReportBytesTest {

  private final StatusBoard board =
      new StatusBoard(
          NodeIdentity.newBuilder().setNodeId("n1").build(),
          List.of(Subsystem.SUBSYSTEM_KUBERNETES),
          Clock.systemUTC());
  private final LastReportBytes replies = new LastReportBytes();

  @Test
  void repliesCarryTheBoardsCurrentReportBeforeAndAfterAnUpdate() throws Exception {
    NodeStatus first = board.current();
    assertThat(drained(replies.stream(first))).isEqualTo(first.toByteArray());
    assertThat(drained(replies.stream(first))).isEqualTo(first.toByteArray());

    board.publish(
        SwitchableCollector.state(HealthState.HEALTH_ERROR, "node n1 NotReady").toBuilder()
            .setSubsystem(Subsystem.SUBSYSTEM_KUBERNETES)
            .build());
    NodeStatus second = board.current();

    byte[] sent = drained(replies.stream(second));
    assertThat(sent).isEqualTo(second.toByteArray()).isNotEqualTo(first.toByteArray());
    assertThat(replies.parse(new java.io.ByteArrayInputStream(sent)).getState())
        .isEqualTo(HealthState.HEALTH_ERROR);
    // An older report still in flight gets its own bytes, not the newest ones.
    assertThat(drained(replies.stream(first))).isEqualTo(first.toByteArray());
  }

  @Test
  void theReplyStreamTellsItsLengthAndDrainsWhole() throws Exception {
    NodeStatus report = board.current();
    InputStream stream = replies.stream(report);

    assertThat(stream).isInstanceOf(KnownLength.class).isInstanceOf(Drainable.class);
    assertThat(stream.available()).isEqualTo(report.getSerializedSize());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(((Drainable) stream).drainTo(out)).isEqualTo(report.getSerializedSize());
    assertThat(out.toByteArray()).isEqualTo(report.toByteArray());
    assertThat(stream.available()).isZero();
  }

  private static byte[] drained(InputStream stream) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ((Drainable) stream).drainTo(out);
    return out.toByteArray();
  }
}
