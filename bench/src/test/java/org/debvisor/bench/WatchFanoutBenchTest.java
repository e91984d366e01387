package org.debvisor.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A refused fan-out row stays on the page as REFUSED with its reason; the others keep figures. */
class WatchFanoutBenchTest {

  private final WatchFanoutBench bench =
      new WatchFanoutBench(
          null,
          null,
          null,
          "127.0.0.1",
          new WatchFanoutBench.Settings(List.of(100, 1000), 8, 100, Duration.ofMillis(100), 60));

  private static WatchFanoutBench.Row row(String server, int streams, long delivered, String why) {
    return new WatchFanoutBench.Row(
        server,
        streams,
        new WatchFanoutClient.Result(
            streams, 100, delivered, 0, 0, 10.0, 5000, 50000, 90000, 99000, delivered, 100),
        delivered * 20.0,
        delivered * 30.0,
        why);
  }

  private static WatchFanoutBench.Outcome outcome(List<WatchFanoutBench.Row> rows) {
    return new WatchFanoutBench.Outcome(rows, 1000, 500, 1542, "1.00, 1.00, 1.00", "2.00, 1, 1");
  }

  @Test
  void aRefusedRowIsShownWithItsReasonAndTheOthersKeepTheirFigures() {
    WatchFanoutBench.Outcome o =
        outcome(
            List.of(
                row("bare", 100, 10_000, null),
                row("agent", 100, 10_000, null),
                row("bare", 1000, 100_000, null),
                row("agent", 1000, 93_869, "6131 of 100000 deliveries missing | 0 duplicated")));

    String summary = bench.summary(o, CpuPinning.forThisMachine());
    List<LoadResult> results = bench.results(o);

    assertThat(o.refusals())
        .containsExactly(
            "WatchStatus fan-out, agent with 1000 streams: 6131 of 100000 deliveries missing |"
                + " 0 duplicated");
    String refusedLine =
        summary.lines().filter(l -> l.startsWith("| 1000 streams")).findFirst().orElseThrow();
    assertThat(refusedLine)
        .contains("REFUSED** (agent): 6131 of 100000 deliveries missing / 0 duplicated")
        .doesNotContain("missing |");
    String acceptedLine =
        summary.lines().filter(l -> l.startsWith("| 100 streams")).findFirst().orElseThrow();
    assertThat(acceptedLine).doesNotContain("REFUSED").contains("| 1.00 |");
    assertThat(summary).contains("1 row(s) refused");
    assertThat(results).hasSize(4);
    assertThat(results.get(3).scenario()).contains("REFUSED: 6131 of 100000 deliveries missing");
    assertThat(results.get(1).scenario()).doesNotContain("REFUSED");
  }

  @Test
  void aRowWhoseClientPrintedNoResultIsRefusedWithoutFigures() {
    WatchFanoutBench.Outcome o =
        outcome(
            List.of(
                row("bare", 100, 10_000, null),
                new WatchFanoutBench.Row(
                    "agent", 100, null, 0, 0, "the streams did not open: null")));

    String summary = bench.summary(o, CpuPinning.forThisMachine());

    assertThat(summary).contains("REFUSED** (agent): the streams did not open");
    assertThat(bench.results(o).get(1).requests()).isZero();
    assertThat(o.refusals()).hasSize(1);
  }

  @Test
  void everyRowAcceptedMeansNoRefusals() {
    WatchFanoutBench.Outcome o =
        outcome(List.of(row("bare", 100, 10_000, null), row("agent", 100, 10_000, null)));

    assertThat(o.refusals()).isEmpty();
    assertThat(bench.summary(o, CpuPinning.forThisMachine()))
        .contains("every row passed")
        .doesNotContain("REFUSED");
  }
}
