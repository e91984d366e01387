package org.debvisor.agent.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.debvisor.proto.ConfigBundle;
import org.debvisor.proto.ConfigFile;
import org.debvisor.proto.ConfigResult;
import org.debvisor.proto.GateCheck;
import org.debvisor.proto.HealthGate;
import org.debvisor.proto.NodeGrpc;
import org.debvisor.proto.ServiceAction;
import org.debvisor.proto.UpdateConfigRequest;
import org.debvisor.proto.UpdateConfigResponse;
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

  /** The README's UpdateConfig example, with the demo's operator token. */
  private void pushConfigurationAsTheReadmeShows(int grpc) throws Exception {
    String token = Files.readString(demoDir.resolve("operator-token")).strip();
    byte[] content = "hello from the demo\n".getBytes(StandardCharsets.UTF_8);
    Path target = demoDir.resolve("managed/motd");
    UpdateConfigRequest request =
        UpdateConfigRequest.newBuilder()
            .setBundle(
                ConfigBundle.newBuilder()
                    .setVersion("v1")
                    .addFiles(
                        ConfigFile.newBuilder()
                            .setPath(target.toString())
                            .setMode(0644)
                            .setContent(ByteString.copyFrom(content))
                            .setSha256(
                                HexFormat.of()
                                    .formatHex(
                                        MessageDigest.getInstance("SHA-256").digest(content))))
                    .addServices(
                        ServiceAction.newBuilder()
                            .setUnit("demo.service")
                            .setAction(ServiceAction.Action.RELOAD))
                    .setGate(
                        HealthGate.newBuilder().addChecks(GateCheck.newBuilder().setCommand("ok"))))
            .build();
    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", grpc).usePlaintext().build();
    try {
      UpdateConfigResponse response =
          NodeGrpc.newBlockingStub(channel)
              .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
              .withDeadlineAfter(30, TimeUnit.SECONDS)
              .updateConfig(request);
      assertThat(response.getResult()).isEqualTo(ConfigResult.CONFIG_APPLIED);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    assertThat(Files.readString(target)).isEqualTo("hello from the demo\n");
    assertThat(Files.readString(demoDir.resolve("reloads.log"))).contains("reload demo.service");
  }

  @Test
  void demoStartsEverythingAndStopsCleanly() throws Exception {
    int grpc = freePort();
    int http = freePort();
    int rest = freePort();
    Map<String, String> env =
        Map.of(
            "DEBVISOR_DEMO_DIR", demoDir.toString(),
            "DEBVISOR_DEMO_GRPC_PORT", Integer.toString(grpc),
            "DEBVISOR_DEMO_HTTP_PORT", Integer.toString(http),
            "DEBVISOR_DEMO_REST_PORT", Integer.toString(rest));
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
      pushConfigurationAsTheReadmeShows(grpc);
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
