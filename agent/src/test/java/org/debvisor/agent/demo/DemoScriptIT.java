package org.debvisor.agent.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README command (1) minus the installs: {@code scripts/demo.sh start} brings up the micro Ceph
 * cluster, libvirt's test driver and the agent; the report shows all of them; {@code stop} ends it.
 * Runs on free ports and in its own directory, so a developer's demo is left alone.
 */
class DemoScriptIT {

  @TempDir Path demoDir;

  private record Result(int exit, String out) {}

  private Result run(Map<String, String> env, List<String> command) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.directory(Path.of("..").toAbsolutePath().normalize().toFile());
    builder.environment().putAll(env);
    Process p = builder.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
    return new Result(p.exitValue(), out);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void demoStartsEverythingAndStopsCleanly() throws Exception {
    int grpc = freePort();
    int http = freePort();
    Map<String, String> env =
        Map.of(
            "DEBVISOR_DEMO_DIR", demoDir.toString(),
            "DEBVISOR_DEMO_GRPC_PORT", Integer.toString(grpc),
            "DEBVISOR_DEMO_HTTP_PORT", Integer.toString(http));
    try {
      Result start = run(env, List.of("scripts/demo.sh", "start"));
      assertThat(start.exit()).as(start.out()).isZero();
      assertThat(start.out())
          .contains("DebVisor demo is running", "grpcurl -plaintext localhost:" + grpc);

      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      String jar = System.getProperty("debvisor.shadedJar");
      String report = "";
      for (int i = 0; i < 60; i++) {
        report =
            run(
                    Map.of(),
                    List.of(
                        java, "-jar", jar, "status", "--target", "127.0.0.1:" + grpc, "-o", "json"))
                .out();
        if (report.contains("\"healthStatus\": \"HEALTH_OK\"")) {
          break;
        }
        Thread.sleep(500);
      }
      assertThat(report)
          .contains("\"healthStatus\": \"HEALTH_OK\"")
          .contains("\"libvirtReachable\": true")
          .contains("\"subsystem\": \"SUBSYSTEM_KUBERNETES\",\n    \"state\": \"HEALTH_ABSENT\"")
          .contains("\"memoryTotalBytes\"");
    } finally {
      Result stop = run(env, List.of("scripts/demo.sh", "stop"));
      assertThat(stop.out()).contains("demo stopped");
    }
    assertThat(demoDir.resolve("ceph")).doesNotExist();
    try (ServerSocket again = new ServerSocket(grpc, 1, InetAddress.getLoopbackAddress())) {
      assertThat(again.getLocalPort()).as("the agent released its port").isEqualTo(grpc);
    }
  }
}
