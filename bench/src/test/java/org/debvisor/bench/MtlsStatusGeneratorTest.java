package org.debvisor.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The generator's result line is read back as the row it measured. */
class MtlsStatusGeneratorTest {

  @Test
  void resultLineReadsBackAfterOtherOutput() {
    LoadResult measured =
        new LoadResult("ignored", "ignored", 20000, 0, 1.25, 810.0, 2900.5, 4100.0, 5200.0, 0);
    String output =
        "WARMED 5000 OK, 0 failed\n"
            + "some log line\n"
            + MtlsStatusGenerator.line(measured, 900000.0)
            + "\n";

    MtlsStatusGenerator.Outcome o = MtlsStatusGenerator.parse(output, "mTLS row", "agent");

    assertThat(o.result())
        .isEqualTo(new LoadResult("mTLS row", "agent", 20000, 0, 1.25, 810, 2900.5, 4100, 5200, 0));
    assertThat(o.generatorCpuMicros()).isEqualTo(900000.0);
  }

  @Test
  void outputWithoutAResultIsRefusedWithTheOutput() {
    assertThatThrownBy(() -> MtlsStatusGenerator.parse("WARMED 10 OK, 3 failed\n", "r", "agent"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("printed no result")
        .hasMessageContaining("3 failed");
  }
}
