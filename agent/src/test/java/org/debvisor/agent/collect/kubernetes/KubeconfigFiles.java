package org.debvisor.agent.collect.kubernetes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes kubeconfig files for tests. */
final class KubeconfigFiles {

  private KubeconfigFiles() {}

  /** A kubeconfig with one context "test" joining cluster "local" and user "agent". */
  static Path write(Path dir, String clusterLines, String userLines) throws IOException {
    String yaml =
        """
        apiVersion: v1
        kind: Config
        current-context: test
        clusters:
        - name: local
          cluster:
        %s
        contexts:
        - name: test
          context:
            cluster: local
            user: agent
        users:
        - name: agent
          user:
        %s
        """
            .formatted(indent(clusterLines), indent(userLines));
    return raw(dir, yaml);
  }

  static Path raw(Path dir, String yaml) throws IOException {
    Path file = dir.resolve("kubeconfig");
    Files.writeString(file, yaml);
    return file;
  }

  private static String indent(String lines) {
    return lines.strip().lines().map(l -> "    " + l).reduce((a, b) -> a + "\n" + b).orElse("");
  }
}
