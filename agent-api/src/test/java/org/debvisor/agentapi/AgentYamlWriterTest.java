package org.debvisor.agentapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentYamlWriterTest {

  private final AgentYamlWriter writer = new AgentYamlWriter();

  @Test
  void defaultsWriteNothingButTheComment() {
    assertThat(writer.write(AgentSettings.defaults(), "Written by a test.", ""))
        .isEqualTo("# Written by a test.\n#\n{}\n");
  }

  @Test
  void writesOnlyTheKeysThatDifferFromTheDefaults() {
    AgentSettings settings =
        new AgentSettings(
            new NodeSettings(null, "node01"),
            null,
            null,
            new CollectorsSettings(
                null, null, null, new SystemSettings(Duration.ofMinutes(2), null, null, null)),
            new LoggingSettings("text", null),
            null,
            null,
            null,
            new ControllerSettings(
                "ctl.example:5443", null, Path.of("/run/token"), null, null, null, null, "ceph"));

    String yaml = writer.write(settings);

    assertThat(yaml)
        .isEqualTo(
            """
            node:
              hostname: "node01"
            collectors:
              system:
                interval: "2m"
            logging:
              format: "text"
            controller:
              address: "ctl.example:5443"
              tokenFile: "/run/token"
              profile: "ceph"
            """);
  }

  @Test
  void listsAreWrittenWhole() {
    AgentSettings settings =
        new AgentSettings(
            null,
            new GrpcSettings(
                List.of("127.0.0.1:" + AgentPorts.GRPC, "[fd00::5]:5000"), null, null, null),
            null,
            null,
            null);

    assertThat(writer.write(settings))
        .isEqualTo("grpc:\n  listen:\n  - \"127.0.0.1:5000\"\n  - \"[fd00::5]:5000\"\n");
  }

  @Test
  void valuesStayScalarsWhateverTheyHold() {
    String hostile = "ctl:5443\"\nauth:\n  tokens: [x]";
    AgentSettings settings =
        new AgentSettings(
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            new ControllerSettings(hostile, null, null, null, null, null, null, null));

    assertThat(writer.write(settings))
        .doesNotContain("\nauth:")
        .contains("address: \"ctl:5443\\\"");
  }

  @Test
  void durationsUseTheLargestExactUnitAndParseBack() {
    for (Duration d :
        List.of(
            Duration.ZERO,
            Duration.ofMillis(500),
            Duration.ofMillis(1500),
            Duration.ofSeconds(15),
            Duration.ofSeconds(90),
            Duration.ofMinutes(2),
            Duration.ofHours(24))) {
      assertThat(DurationParser.parse(DurationParser.format(d))).isEqualTo(d);
    }
    assertThat(DurationParser.format(Duration.ofSeconds(90))).isEqualTo("90s");
    assertThat(DurationParser.format(Duration.ofHours(2))).isEqualTo("2h");
    assertThatThrownBy(() -> DurationParser.format(Duration.ofNanos(5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("whole milliseconds");
  }
}
