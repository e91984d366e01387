package org.debvisor.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class InstantTextTest {

  @Test
  void givesInstantsOwnTextForEdgesAndEveryFractionLength() {
    List<Instant> instants =
        new ArrayList<>(
            List.of(
                Instant.EPOCH,
                Instant.parse("2026-12-03T09:52:56Z"),
                Instant.parse("2026-12-03T09:52:00Z"),
                Instant.parse("2026-12-03T00:00:00.100Z"),
                Instant.parse("2026-12-03T09:52:56.401Z"),
                Instant.parse("2026-12-03T09:52:56.401144Z"),
                Instant.parse("2026-12-03T09:52:56.000000001Z"),
                Instant.parse("2024-02-29T23:59:59.999999999Z"),
                Instant.parse("0000-01-01T00:00:00Z"),
                Instant.parse("0999-06-15T12:00:00.5Z"),
                Instant.parse("9999-12-31T23:59:59.999Z"),
                Instant.parse("+10000-01-01T00:00:00Z"),
                Instant.parse("-0001-12-31T23:59:59Z"),
                Instant.MIN,
                Instant.MAX));
    SplittableRandom random = new SplittableRandom(23);
    for (int i = 0; i < 10_000; i++) {
      long seconds = random.nextLong(-70_000_000_000L, 260_000_000_000L);
      int nanos =
          switch (i % 4) {
            case 0 -> 0;
            case 1 -> random.nextInt(1000) * 1_000_000;
            case 2 -> random.nextInt(1_000_000) * 1_000;
            default -> random.nextInt(1_000_000_000);
          };
      instants.add(Instant.ofEpochSecond(seconds, nanos));
    }

    for (Instant at : instants) {
      assertThat(InstantText.of(at)).as("%s", at).isEqualTo(at.toString());
    }
  }
}
