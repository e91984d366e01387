package org.debvisor.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Timestamp;
import io.grpc.Status;
import java.time.Instant;
import org.debvisor.proto.HealthState;
import org.debvisor.proto.NodeIdentity;
import org.debvisor.proto.NodeStatus;
import org.debvisor.proto.Subsystem;
import org.debvisor.proto.SubsystemStatus;
import org.junit.jupiter.api.Test;

/** The fan-out client counts each measured report once per stream and says what is missing. */
class WatchFanoutClientTest {

  private static WatchFanoutClient.Stamp report(long revision) {
    Instant now = Instant.now();
    return new WatchFanoutClient.Stamp(revision, now.getEpochSecond(), now.getNano());
  }

  @Test
  void readsTheRevisionAndPublicationTimeOfAFullReport() {
    NodeStatus full =
        NodeStatus.newBuilder()
            .setNode(NodeIdentity.newBuilder().setNodeId("n1").setHostname("n1.example"))
            .setState(HealthState.HEALTH_WARN)
            .setSummary("system WARN: disk 91 % full")
            .setGeneratedAt(Timestamp.newBuilder().setSeconds(1_700_000_000L).setNanos(123_456))
            .setRevision(4242)
            .addSubsystems(
                SubsystemStatus.newBuilder()
                    .setSubsystem(Subsystem.SUBSYSTEM_SYSTEM)
                    .setMessage("disk 91 % full")
                    .setCollectedAt(Timestamp.newBuilder().setSeconds(1)))
            .build();

    WatchFanoutClient.Stamp stamp =
        new WatchFanoutClient.StampMarshaller().parse(full.toByteString().newInput());

    assertThat(stamp).isEqualTo(new WatchFanoutClient.Stamp(4242, 1_700_000_000L, 123_456));
  }

  @Test
  void countsEachRevisionOfTheWindowOncePerStream() {
    WatchFanoutClient.Fanout fanout = new WatchFanoutClient.Fanout(2, 3);
    WatchFanoutClient.Watcher complete = fanout.watchers.get(0);
    WatchFanoutClient.Watcher gap = fanout.watchers.get(1);
    complete.onNext(report(5));
    complete.onNext(report(6)); // before the window is set, counted when it is
    gap.onNext(report(5));
    fanout.measureAfter(fanout.highestSeen.get() - 1);
    complete.onNext(report(7));
    complete.onNext(report(8));
    complete.onNext(report(8)); // a repeat
    complete.onNext(report(9)); // after the window
    gap.onNext(report(6));
    gap.onNext(report(8));

    WatchFanoutClient.Result r = fanout.result(1.0, 8, 4);

    assertThat(fanout.opened.getCount()).isZero();
    assertThat(fanout.done.getCount()).isEqualTo(1);
    assertThat(r.delivered()).isEqualTo(5);
    assertThat(r.missing()).isEqualTo(1);
    assertThat(r.duplicates()).isEqualTo(1);
    assertThat(r.failedStreams()).isZero();
    assertThat(r.received()).isEqualTo(8);
    assertThat(r.revisions()).isEqualTo(4);
    assertThat(fanout.describeIncomplete())
        .hasValueSatisfying(d -> assertThat(d).contains("1 streams incomplete").contains("{2}"));
  }

  @Test
  void aFailedStreamIsCountedOnceAndEndsItsWait() {
    WatchFanoutClient.Fanout fanout = new WatchFanoutClient.Fanout(1, 2);
    WatchFanoutClient.Watcher w = fanout.watchers.get(0);
    w.onError(Status.RESOURCE_EXHAUSTED.asRuntimeException());
    w.onError(Status.CANCELLED.asRuntimeException());

    assertThat(fanout.failed.get()).isEqualTo(1);
    assertThat(fanout.opened.getCount()).isZero();
    assertThat(fanout.done.getCount()).isZero();
    assertThat(fanout.result(1.0, 0, 0).missing()).isEqualTo(2);
  }

  @Test
  void resultLineReadsBack() {
    WatchFanoutClient.Result measured =
        new WatchFanoutClient.Result(
            100, 50, 5000, 0, 0, 5.0, 810.0, 2900.5, 4100.0, 5200.0, 7300, 73);
    String output = "READY 100 streams, 0 failed\n" + WatchFanoutClient.line(measured, 1234.5);

    WatchFanoutClient.Outcome o = WatchFanoutClient.parse(output);

    assertThat(o.result()).isEqualTo(measured);
    assertThat(o.clientCpuMicros()).isEqualTo(1234.5);
  }

  @Test
  void outputWithoutAResultIsRefusedWithTheOutput() {
    assertThatThrownBy(() -> WatchFanoutClient.parse("not every stream had its first report\n"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("printed no result")
        .hasMessageContaining("first report");
  }
}
