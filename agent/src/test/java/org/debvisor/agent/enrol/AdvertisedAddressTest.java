package org.debvisor.agent.enrol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AdvertisedAddressTest {

  @Test
  void configuredAddressWins() {
    assertThat(AdvertisedAddress.of("node.example:5000", List.of("10.0.0.5:5000"), "n1"))
        .isEqualTo("node.example:5000");
  }

  @Test
  void firstNonLoopbackListenAddressIsUsed() {
    assertThat(
            AdvertisedAddress.of(
                "", List.of("127.0.0.1:5000", "10.0.0.5:5001", "10.0.0.6:5002"), "n1"))
        .isEqualTo("10.0.0.5:5001");
  }

  @Test
  void wildcardHostBecomesTheHostname() {
    assertThat(AdvertisedAddress.of("", List.of("127.0.0.1:5000", "0.0.0.0:5001"), "n1"))
        .isEqualTo("n1:5001");
    assertThat(AdvertisedAddress.of("", List.of("[::]:5001"), "n1")).isEqualTo("n1:5001");
  }

  @Test
  void loopbackOnlyAdvertisesNothing() {
    assertThat(AdvertisedAddress.of("", List.of("127.0.0.1:5000", "[::1]:5000"), "n1")).isEmpty();
  }
}
