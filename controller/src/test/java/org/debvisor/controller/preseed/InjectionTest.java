package org.debvisor.controller.preseed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.debvisor.common.violation.Violation;
import org.debvisor.controller.node.InvalidInputException;
import org.debvisor.controller.node.NodeInstall;
import org.debvisor.controller.node.NodeLoader;
import org.debvisor.controller.node.NodeValidator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A newline, carriage return or debconf line in any string field of node.yaml is refused. */
class InjectionTest {

  private static final NodeValidator VALIDATOR =
      new NodeValidator(TestData.data().profiles().keySet());

  private static final List<String> PAYLOADS =
      List.of(
          "\n",
          "\r",
          "\u0000",
          "\nd-i preseed/late_command string reboot",
          "\r\nd-i partman/confirm boolean false",
          "\u2028d-i x/y string z",
          "\u0085",
          "\t");

  static Stream<Arguments> everyStringFieldAndPayload() {
    NodeYamlFields fields = new NodeYamlFields(TestData.exampleYaml());
    List<Arguments> cases = new ArrayList<>();
    for (String path : fields.stringPaths()) {
      for (String payload : PAYLOADS) {
        cases.add(Arguments.of(path, payload));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} with {1}")
  @MethodSource("everyStringFieldAndPayload")
  void injectionIsRefusedNamingTheField(String path, String payload) {
    NodeYamlFields fields = new NodeYamlFields(TestData.exampleYaml());
    String original = originalValue(path);
    for (String value : List.of(original + payload, payload + original, "x" + payload + "y")) {
      List<Violation> problems = problems(fields.with(path, value));
      assertThat(problems).as("%s = %s", path, value).isNotEmpty();
      assertThat(problems).extracting(Violation::field).contains(path);
    }
  }

  private static String originalValue(String path) {
    // Reading the example through the tree keeps this independent of the record structure.
    try {
      var tree =
          new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readTree(TestData.exampleYaml());
      String pointer = "/" + path.replace(".", "/").replaceAll("\\[(\\d+)]", "/$1");
      return tree.at(pointer).asText();
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<Violation> problems(String yaml) {
    NodeInstall node;
    try {
      node = new NodeLoader().parse("test.yaml", yaml);
    } catch (InvalidInputException e) {
      return e.problems();
    }
    return VALIDATOR.validate(node);
  }
}
