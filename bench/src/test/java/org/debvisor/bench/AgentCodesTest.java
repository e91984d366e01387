package org.debvisor.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentCodesTest {

  private static final String SCRAPE =
      """
      # HELP debvisor_rpc_request_duration_seconds Time from receiving an RPC to sending its status
      # TYPE debvisor_rpc_request_duration_seconds histogram
      debvisor_rpc_request_duration_seconds_bucket{code="OK",method="debvisor.Node/Status",le="0.001"} 7
      debvisor_rpc_request_duration_seconds_count{code="OK",method="debvisor.Node/Status"} 120
      debvisor_rpc_request_duration_seconds_sum{code="OK",method="debvisor.Node/Status"} 0.5
      debvisor_rpc_request_duration_seconds_count{code="RESOURCE_EXHAUSTED",method="debvisor.Node/Status"} 3
      debvisor_rpc_request_duration_seconds_count{code="OK",method="debvisor.Node/UpdateConfig"} 9
      """;

  @Test
  void countsOnlyTheMethodAskedForByCode() {
    assertThat(AgentCodes.parse(SCRAPE, "debvisor.Node/Status"))
        .containsExactlyInAnyOrderEntriesOf(Map.of("OK", 120L, "RESOURCE_EXHAUSTED", 3L));
  }

  @Test
  void readsTheOlderExpositionWithATrailingCommaAndDecimals() {
    String older =
        "debvisor_rpc_request_duration_seconds_count{code=\"OK\",method=\"debvisor.Node/Status\",}"
            + " 42.0\n";

    assertThat(AgentCodes.parse(older, "debvisor.Node/Status")).containsEntry("OK", 42L);
  }

  @Test
  void aRunWithRefusedCallsIsNotAllOk() {
    Map<String, Long> before = Map.of("OK", 100L);
    Map<String, Long> after = Map.of("OK", 150L, "RESOURCE_EXHAUSTED", 50L);

    Map<String, Long> delta = AgentCodes.delta(before, after);

    assertThat(delta)
        .containsExactlyInAnyOrderEntriesOf(Map.of("OK", 50L, "RESOURCE_EXHAUSTED", 50L));
    assertThat(delta).isNotEqualTo(Map.of("OK", 100L));
  }
}
