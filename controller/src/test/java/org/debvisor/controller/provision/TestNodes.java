package org.debvisor.controller.provision;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Simulated Debian 13 nodes for tests, made by {@code src/test/scripts/test-nodes.sh}: each a real
 * sshd in its own network, mount, UTS and PID namespaces on an overlay of one cached root
 * filesystem. Uses its own state directory, namespace prefix and address range, so it never touches
 * nodes an operator made by hand.
 */
final class TestNodes implements AutoCloseable {

  static final Path SCRIPT = Path.of("src/test/scripts/test-nodes.sh").toAbsolutePath();

  private final Path state;
  private final String prefix;
  private final String net;
  private final int count;

  private TestNodes(Path state, String prefix, String net, int count) {
    this.state = state;
    this.prefix = prefix;
    this.net = net;
    this.count = count;
  }

  /** Why real nodes cannot run here, or null when they can. */
  static String unavailableReason() {
    if (!"root".equals(System.getProperty("user.name"))) {
      return "namespace nodes need root";
    }
    if (!Files.isExecutable(Path.of("/usr/bin/mmdebstrap"))) {
      return "mmdebstrap missing: run scripts/test.sh (DEBVISOR_TEST_PACKAGES)";
    }
    return null;
  }

  /**
   * A directory of this run for nodes' state, under the tests' state root (DEBVISOR_TEST_STATE,
   * default /var/lib/debvisor-test): the nodes' overlay mounts live there, and scripts/test.sh
   * unmounts and removes whatever a killed run left in it before the next run.
   */
  static Path runDirectory(String name) {
    String root = System.getenv("DEBVISOR_TEST_STATE");
    return Path.of(root == null || root.isBlank() ? "/var/lib/debvisor-test" : root)
        .resolve(name + "-" + ProcessHandle.current().pid());
  }

  /** Starts nodes 1..count (building the cached root filesystem first if needed). */
  static TestNodes create(Path state, String prefix, String net, int count)
      throws IOException, InterruptedException {
    TestNodes nodes = new TestNodes(state, prefix, net, count);
    nodes.script(900, "create", Integer.toString(count));
    return nodes;
  }

  /** Runs the script with this harness's environment; returns stdout, throws on failure. */
  String script(int timeoutSeconds, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(SCRIPT.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("DEBVISOR_TEST_STATE", state.toString());
    pb.environment().put("DEBVISOR_TEST_PREFIX", prefix);
    pb.environment().put("DEBVISOR_TEST_NET", net);
    Path log = Files.createTempFile("test-nodes", ".log");
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    Process p = pb.start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(
          "test-nodes.sh " + String.join(" ", args) + " timed out; " + Files.readString(log));
    }
    String out = Files.readString(log, StandardCharsets.UTF_8);
    Files.delete(log);
    if (p.exitValue() != 0) {
      throw new IOException("test-nodes.sh " + String.join(" ", args) + " failed: " + out);
    }
    return out;
  }

  /** {@code root@ADDRESS} of node i (1-based). */
  String host(int i) {
    return "root@" + address(i);
  }

  String address(int i) {
    return net + "." + (i / 64) + "." + (4 * (i % 64) + 2);
  }

  Path clientKey() {
    return state.resolve("id_ed25519");
  }

  /** known_hosts with every node's key. */
  Path knownHosts() {
    return state.resolve("known_hosts");
  }

  /** The known_hosts line of node i alone. */
  String knownHostsLine(int i) throws IOException {
    return Files.readString(state.resolve("nodes/" + i + "/known_hosts")).strip();
  }

  /** Node i's root filesystem as seen from the host (the merged overlay). */
  Path root(int i) {
    return state.resolve("nodes/" + i + "/root");
  }

  /** Cuts every SSH connection to node i (its sshd keeps listening). */
  void killConnections(int i) throws IOException, InterruptedException {
    script(30, "kill-connections", Integer.toString(i));
  }

  int count() {
    return count;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    script(120, "destroy");
    try (Stream<Path> walk = Files.walk(state)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
