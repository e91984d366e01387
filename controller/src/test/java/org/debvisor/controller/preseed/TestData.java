package org.debvisor.controller.preseed;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.debvisor.controller.node.InvalidInputException;
import org.debvisor.controller.node.NodeInstall;
import org.debvisor.controller.node.NodeLoader;

/** The repository's preseed/ data and the example node, as the tests use them. */
final class TestData {

  private TestData() {}

  /** The top-level preseed/ folder (surefire passes it; IDE runs fall back to ../preseed). */
  static Path preseedDir() {
    return Path.of(System.getProperty("debvisor.preseedDir", "../preseed"));
  }

  static PreseedData data() {
    try {
      return new PreseedDataLoader().fromDirectory(preseedDir());
    } catch (InvalidInputException e) {
      throw new IllegalStateException(e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String exampleYaml() {
    return resource("/examples/node.yaml");
  }

  static NodeInstall exampleNode() {
    try {
      return new NodeLoader().parse("examples/node.yaml", exampleYaml());
    } catch (InvalidInputException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  static String resource(String path) {
    try (InputStream in = TestData.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A minimal valid node: DHCP, atomic recipe, root only, no agent. */
  static String minimalYaml() {
    return """
        profile: k8s
        hostname: k1
        domain: lab.example.org
        accounts:
          root:
            passwordHash: "$6$debvisorexample$rR6kmZB8E.h//2ih6FfpD9YQfaMRN20lQtyYwmwkPTVSVZibjHqFQZbUTOmSaJt11gf.TmnM7i8HkNgyiEk7Q."
        disk:
          target: /dev/sda
        """;
  }

  static NodeInstall parse(String yaml) {
    try {
      return new NodeLoader().parse("test.yaml", yaml);
    } catch (InvalidInputException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }
}
