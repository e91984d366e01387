package org.debvisor.common.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.List;
import org.debvisor.common.violation.Violation;
import org.junit.jupiter.api.Test;

class YamlProblemsTest {

  record Disk(String device, Integer sizeGb) {}

  record Node(String hostname, Boolean wipe, List<Disk> disks) {}

  private final ObjectMapper mapper =
      YAMLMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  private Violation problem(String yaml) {
    JsonMappingException e =
        catchThrowableOfType(JsonMappingException.class, () -> mapper.readValue(yaml, Node.class));
    return YamlProblems.describe(e, yaml);
  }

  @Test
  void anUnknownKeyIsNamedWithItsLineAndTheAllowedKeys() {
    Violation v = problem("hostname: n1\ndisks:\n  - device: sda\n    sizGb: 3\n");

    assertThat(v.field()).isEqualTo("disks[0].sizGb");
    assertThat(v.rule()).isEqualTo("unknown key 'sizGb' (line 4); allowed here: device, sizeGb");
  }

  @Test
  void aWrongTypeSaysWhatWasExpectedAndWhere() {
    Violation number = problem("disks:\n  - sizeGb: lots\n");
    Violation flag = problem("wipe: [1]\n");
    Violation section = problem("disks: [3]\n");

    assertThat(number.field()).isEqualTo("disks[0].sizeGb");
    assertThat(number.rule()).startsWith("'lots' is not a valid whole number (line 2, column");
    assertThat(flag.rule()).startsWith("expected boolean (true or false) (line 1");
    assertThat(section.field()).isEqualTo("disks[0]");
    assertThat(section.rule()).startsWith("expected section (a mapping of keys)");
  }

  @Test
  void brokenYamlIsASyntaxProblem() {
    JsonProcessingException e =
        catchThrowableOfType(
            JsonProcessingException.class, () -> mapper.readValue("a: [1, 2\n", Node.class));

    Violation v = YamlProblems.syntax(e);

    assertThat(v.field()).isEqualTo("(syntax)");
    assertThat(v.rule()).startsWith("not valid YAML (line ");
  }
}
