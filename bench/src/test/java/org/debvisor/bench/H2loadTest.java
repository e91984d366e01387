package org.debvisor.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class H2loadTest {

  private static final String SUMMARY =
      """
      finished in 2.50s, 2.00 req/s, 10KB/s
      requests: 6 total, 6 started, 6 done, 4 succeeded, 2 failed, 1 errored, 0 timeout
      status codes: 4 2xx, 0 3xx, 1 4xx, 0 5xx
      traffic: 7.81KiB (8000) total, 600B (600) headers (space savings 90.00%), 7.23KiB (7400) data
      """;

  @Test
  void countsEveryLoggedStatusAndWhatH2loadNeverLogged() {
    List<String> log =
        List.of(
            "1764650000000000\t200\t1000",
            "1764650000000100\t200\t3000",
            "1764650000000200\t429\t500",
            "1764650000000300\t200\t2000",
            "1764650000000400\t200\t4000",
            "");

    H2load.Outcome o = H2load.parse(log, SUMMARY);

    assertThat(o.statuses()).containsExactlyInAnyOrderEntriesOf(java.util.Map.of(200, 4L, 429, 1L));
    assertThat(o.failed()).isEqualTo(1);
    assertThat(o.errors(200)).isEqualTo(2);
    assertThat(o.seconds()).isEqualTo(2.5);
    assertThat(o.dataBytes()).isEqualTo(7400);
    LoadResult r = o.result("list", "controller", 200);
    assertThat(r.requests()).isEqualTo(4);
    assertThat(r.errors()).isEqualTo(2);
    assertThat(r.maxMicros()).isBetween(3990.0, 4010.0);
  }

  @Test
  void readsMillisecondRuns() {
    H2load.Outcome o =
        H2load.parse(
            List.of("1\t200\t10"), SUMMARY.replace("finished in 2.50s", "finished in 250.5ms"));

    assertThat(o.seconds()).isEqualTo(0.2505);
  }

  @Test
  void refusesALogLineItCannotRead() {
    assertThatThrownBy(() -> H2load.parse(List.of("1764650000000000 200"), SUMMARY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not an h2load log line");
  }

  @Test
  void refusesOutputWithoutItsSummary() {
    assertThatThrownBy(() -> H2load.parse(List.of("1\t200\t10"), "connection refused"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no h2load summary");
  }

  @Test
  void commandBoundsTheCountAndPostsTheBodyWithItsHeaders() {
    H2load h2load = new H2load(Path.of("/usr/bin/h2load"), 1, Duration.ofSeconds(60));

    List<String> cmd =
        h2load.command(
            new H2load.Load(
                "https://127.0.0.1:8443/api/v1/session",
                100,
                1,
                500,
                List.of("content-type: application/json"),
                Path.of("/tmp/login.json")),
            Path.of("/tmp/log"));

    assertThat(cmd)
        .containsExactly(
            "/usr/bin/h2load",
            "-n500",
            "-c100",
            "-m1",
            "-t1",
            "--log-file=/tmp/log",
            "-H",
            "content-type: application/json",
            "-d",
            "/tmp/login.json",
            "https://127.0.0.1:8443/api/v1/session");
  }
}
