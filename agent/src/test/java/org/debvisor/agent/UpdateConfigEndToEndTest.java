package org.debvisor.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.rpc.BadRequest;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.MetadataUtils;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.debvisor.agent.testing.TestAgents;
import org.debvisor.agentapi.AgentSettings;
import org.debvisor.agentapi.AuthSettings;
import org.debvisor.agentapi.ConfigSettings;
import org.debvisor.agentapi.GrpcSettings;
import org.debvisor.agentapi.RateLimitSettings;
import org.debvisor.proto.ConfigBundle;
import org.debvisor.proto.ConfigFile;
import org.debvisor.proto.ConfigHistoryRequest;
import org.debvisor.proto.ConfigResult;
import org.debvisor.proto.GateCheck;
import org.debvisor.proto.GetConfigRequest;
import org.debvisor.proto.HealthGate;
import org.debvisor.proto.NodeGrpc;
import org.debvisor.proto.ServiceAction;
import org.debvisor.proto.UpdateConfigRequest;
import org.debvisor.proto.UpdateConfigResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** UpdateConfig, GetConfig and ConfigHistory through a real agent over gRPC. */
class UpdateConfigEndToEndTest {

  private static final String TOKEN = "operator-token-for-tests";

  @TempDir Path dir;
  private Path managed;
  private Path reloads;
  private AgentSettings settings;
  private Agent agent;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    managed = Files.createDirectories(dir.resolve("managed"));
    reloads = dir.resolve("reloads.log");
    String hash =
        HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-256")
                    .digest(TOKEN.getBytes(StandardCharsets.UTF_8)));
    List<String> reload = List.of("sh", "-c", "echo \"$0\" >> " + reloads, "{unit}");
    settings =
        TestAgents.settings(
            new GrpcSettings(List.of("127.0.0.1:0"), null, null, null),
            new AuthSettings(List.of(new AuthSettings.TokenSettings("alice", hash)), null),
            new RateLimitSettings(null, null, new RateLimitSettings.Bucket(100, 100), null),
            new ConfigSettings(
                dir.resolve("state"),
                List.of(managed),
                null,
                null,
                null,
                null,
                List.of("demo.service"),
                reload,
                reload,
                null,
                Map.of(
                    "ok", List.of("true"), "fails", List.of("sh", "-c", "echo broken; exit 1"))));
    startAgent();
  }

  private void startAgent() throws Exception {
    agent = TestAgents.start(settings, List.of());
    channel = TestAgents.channel(agent);
  }

  @AfterEach
  void stop() throws Exception {
    TestAgents.close(channel);
    agent.close();
  }

  private NodeGrpc.NodeBlockingStub operator() {
    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + TOKEN);
    return NodeGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
        .withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  private ConfigFile file(String name, String content) throws Exception {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    return ConfigFile.newBuilder()
        .setPath(managed.resolve(name).toString())
        .setMode(0640)
        .setContent(ByteString.copyFrom(bytes))
        .setSha256(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)))
        .build();
  }

  private UpdateConfigRequest request(
      String version, String expected, String gateCommand, ConfigFile... files) {
    ConfigBundle.Builder bundle =
        ConfigBundle.newBuilder()
            .setVersion(version)
            .addAllFiles(List.of(files))
            .addServices(
                ServiceAction.newBuilder()
                    .setUnit("demo.service")
                    .setAction(ServiceAction.Action.RELOAD));
    if (gateCommand != null) {
      bundle.setGate(
          HealthGate.newBuilder().addChecks(GateCheck.newBuilder().setCommand(gateCommand)));
    }
    return UpdateConfigRequest.newBuilder()
        .setBundle(bundle)
        .setExpectedCurrentVersion(expected)
        .build();
  }

  @Test
  void appliesThenReportsUnchangedThenRollsBackAFailedGate() throws Exception {
    UpdateConfigResponse applied =
        operator().updateConfig(request("v1", "", "ok", file("a.conf", "one\n")));

    assertThat(applied.getResult()).isEqualTo(ConfigResult.CONFIG_APPLIED);
    assertThat(Files.readString(managed.resolve("a.conf"))).isEqualTo("one\n");
    assertThat(operator().getConfig(GetConfigRequest.getDefaultInstance()).getVersion())
        .isEqualTo("v1");
    assertThat(Files.readAllLines(reloads)).containsExactly("demo.service");
    assertThat(agent.board().current().getNode().getConfigVersion()).isEqualTo("v1");

    UpdateConfigResponse again =
        operator().updateConfig(request("v1", "", "ok", file("a.conf", "one\n")));
    assertThat(again.getResult()).isEqualTo(ConfigResult.CONFIG_UNCHANGED);
    assertThat(Files.readAllLines(reloads)).hasSize(1);

    UpdateConfigResponse rolledBack =
        operator()
            .updateConfig(
                request("v2", "v1", "fails", file("a.conf", "two\n"), file("b.conf", "new\n")));
    assertThat(rolledBack.getResult()).isEqualTo(ConfigResult.CONFIG_ROLLED_BACK);
    assertThat(rolledBack.getReason()).contains("gate command 'fails' failed: exit 1: broken");
    assertThat(rolledBack.getActiveVersion()).isEqualTo("v1");
    assertThat(Files.readString(managed.resolve("a.conf"))).isEqualTo("one\n");
    assertThat(managed.resolve("b.conf")).doesNotExist();
    // reloaded for v2, and again after restoring v1
    assertThat(Files.readAllLines(reloads)).hasSize(3);

    var history =
        operator().configHistory(ConfigHistoryRequest.getDefaultInstance()).getEntriesList();
    assertThat(history)
        .extracting(e -> e.getResult())
        .startsWith(ConfigResult.CONFIG_ROLLED_BACK, ConfigResult.CONFIG_APPLIED);
    assertThat(history.get(0).getCaller()).isEqualTo("token:alice");
    assertThat(history.get(0).getReason()).contains("broken");

    String metrics =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(
                            "http://127.0.0.1:"
                                + agent.httpAddress().orElseThrow().getPort()
                                + "/metrics"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(metrics)
        .contains("debvisor_config_updates_total{result=\"applied\"} 1.0")
        .contains("debvisor_config_updates_total{result=\"unchanged\"} 1.0")
        .contains("debvisor_config_updates_total{result=\"rolled_back\"} 1.0");
  }

  @Test
  void traversalAndBadChecksumAreRefusedNamingEachFieldAndNothingChanges() throws Exception {
    ConfigFile escape =
        file("x", "evil\n").toBuilder().setPath(managed + "/../outside.conf").build();
    ConfigFile badSum = file("ok.conf", "fine\n").toBuilder().setSha256("0".repeat(64)).build();

    assertThatThrownBy(() -> operator().updateConfig(request("v1", "", null, escape, badSum)))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              BadRequest bad = badRequest(e);
              assertThat(bad.getFieldViolationsList())
                  .extracting(v -> v.getField())
                  .contains("bundle.files[0].path", "bundle.files[1].sha256");
            });
    assertThat(dir.resolve("outside.conf")).doesNotExist();
    assertThat(managed.resolve("ok.conf")).doesNotExist();
    assertThat(operator().getConfig(GetConfigRequest.getDefaultInstance()).getVersion()).isEmpty();
  }

  @Test
  void staleExpectedVersionIsAFailedPrecondition() throws Exception {
    operator().updateConfig(request("v1", "", null, file("a.conf", "one\n")));

    assertThatThrownBy(
            () -> operator().updateConfig(request("v2", "v0", null, file("a.conf", "two\n"))))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
              assertThat(e.getStatus().getDescription()).contains("'v0'", "'v1' is active");
            });
    assertThat(Files.readString(managed.resolve("a.conf"))).isEqualTo("one\n");
  }

  @Test
  void concurrentUpdatesFromTheSameVersionAreSerialisedAndOnlyOneWins() throws Exception {
    List<CompletableFuture<Status.Code>> calls = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      int n = i;
      calls.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  operator()
                      .updateConfig(request("c" + n, "", null, file("a.conf", "c" + n + "\n")));
                  return Status.Code.OK;
                } catch (StatusRuntimeException e) {
                  return e.getStatus().getCode();
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              }));
    }
    List<Status.Code> codes = calls.stream().map(CompletableFuture::join).toList();

    assertThat(codes).filteredOn(c -> c == Status.Code.OK).hasSize(1);
    assertThat(codes).filteredOn(c -> c == Status.Code.FAILED_PRECONDITION).hasSize(3);
    String active = operator().getConfig(GetConfigRequest.getDefaultInstance()).getVersion();
    assertThat(Files.readString(managed.resolve("a.conf"))).isEqualTo(active + "\n");
  }

  @Test
  void historyAndActiveVersionSurviveARestart() throws Exception {
    operator().updateConfig(request("v1", "", null, file("a.conf", "one\n")));
    operator().updateConfig(request("v2", "v1", null, file("a.conf", "two\n")));
    TestAgents.close(channel);
    agent.close();

    startAgent();

    assertThat(operator().getConfig(GetConfigRequest.getDefaultInstance()).getVersion())
        .isEqualTo("v2");
    assertThat(operator().configHistory(ConfigHistoryRequest.getDefaultInstance()).getEntriesList())
        .extracting(e -> e.getVersion())
        .containsExactly("v2", "v1");
    assertThat(agent.board().current().getNode().getConfigVersion()).isEqualTo("v2");
  }

  @Test
  void aDeadlineShorterThanTheGateWindowIsRefusedUpFront() throws Exception {
    UpdateConfigRequest slowGate =
        request("v1", "", null, file("a.conf", "one\n")).toBuilder()
            .setBundle(
                request("v1", "", null, file("a.conf", "one\n")).getBundle().toBuilder()
                    .setGate(
                        HealthGate.newBuilder()
                            .setWindow(com.google.protobuf.Duration.newBuilder().setSeconds(60))))
            .build();

    assertThatThrownBy(
            () -> operator().withDeadlineAfter(5, TimeUnit.SECONDS).updateConfig(slowGate))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
              assertThat(e.getStatus().getDescription()).contains("longer deadline");
            });
    assertThat(managed.resolve("a.conf")).doesNotExist();
  }

  @Test
  void updatesBeyondTheCallersBucketGetRetryAfter() throws Exception {
    TestAgents.close(channel);
    agent.close();
    settings =
        new AgentSettings(
            settings.node(),
            settings.grpc(),
            settings.http(),
            settings.collectors(),
            settings.logging(),
            settings.config(),
            settings.auth(),
            new RateLimitSettings(null, null, new RateLimitSettings.Bucket(2, 1), null));
    startAgent();

    List<StatusRuntimeException> refused = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      try {
        operator().getConfig(GetConfigRequest.getDefaultInstance()); // reads are not counted
        operator()
            .updateConfig(
                request("r" + i, i == 0 ? "" : "r" + (i - 1), null, file("a.conf", i + "\n")));
      } catch (StatusRuntimeException e) {
        refused.add(e);
      }
    }

    assertThat(refused).isNotEmpty();
    assertThat(refused.get(0).getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(
            refused
                .get(0)
                .getTrailers()
                .get(Metadata.Key.of("retry-after", Metadata.ASCII_STRING_MARSHALLER)))
        .isNotNull();
  }

  private static BadRequest badRequest(StatusRuntimeException e) {
    try {
      return StatusProto.fromThrowable(e).getDetails(0).unpack(BadRequest.class);
    } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
      throw new AssertionError(ex);
    }
  }
}
