package org.debvisor.controller.upgrade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.debvisor.agent.Agent;
import org.debvisor.agent.config.ApplyHandle;
import org.debvisor.agent.config.ConfigStore;
import org.debvisor.agent.config.RecoveryOutcome;
import org.debvisor.agent.enrol.CredentialStore;
import org.debvisor.agent.testing.TestAgents;
import org.debvisor.agentapi.AgentSettings;
import org.debvisor.agentapi.ConfigSettings;
import org.debvisor.agentapi.ControllerSettings;
import org.debvisor.agentapi.GrpcSettings;
import org.debvisor.agentapi.HttpSettings;
import org.debvisor.common.testing.Poll;
import org.debvisor.common.tls.NodeCredentials;
import org.debvisor.controller.server.RunningController;
import org.debvisor.proto.ConfigBundle;
import org.debvisor.proto.ConfigFile;
import org.debvisor.proto.ConfigHistoryEntry;
import org.debvisor.proto.ConfigHistoryRequest;
import org.debvisor.proto.CreateRolloutRequest;
import org.debvisor.proto.GetNodeStatusRequest;
import org.debvisor.proto.GetRolloutRequest;
import org.debvisor.proto.NodeGrpc;
import org.debvisor.proto.NodeIdentity;
import org.debvisor.proto.NodeRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * This build's agent on the state the previous release's agent left: its identity (key and
 * certificate), its configuration history and active version. With this build's controller on the
 * previous release's controller state, it heartbeats without re-enrolling and takes a rollout.
 */
class AgentUpgradeFromPreviousReleaseTest {

  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir Path dir;

  @Test
  void identityAndConfigurationHistoryOpenAndANewBundleAppliesOnTop() throws Exception {
    PreviousRelease old = PreviousRelease.copyTo(dir);
    NodeCredentials credentials =
        new CredentialStore(old.agentDir().resolve("pki")).load().orElseThrow();
    assertThat(credentials.serialHex().toLowerCase(Locale.ROOT))
        .isEqualTo(old.fact("node.serial").toLowerCase(Locale.ROOT));
    assertThat(credentials.keyMatchesCertificate()).isTrue();
    assertThat(credentials.leaf().getSubjectX500Principal().getName())
        .contains("CN=" + PreviousRelease.NODE_ID);

    ConfigStore store = new ConfigStore(config(old), Clock.systemUTC());
    assertThat(store.current().getVersion()).isEqualTo(old.fact("config.current"));
    assertThat(store.current().getFilesList()).hasSize(1);
    assertThat(store.history(100))
        .extracting(ConfigHistoryEntry::getVersion)
        .containsSubsequence(old.configVersions().reversed());
    assertThat(store.recover().action()).isEqualTo(RecoveryOutcome.Action.NOTHING_TO_DO);

    ApplyHandle handle = store.apply(bundle(old, "after-upgrade"));
    assertThat(handle.previousVersion()).isEqualTo(old.fact("config.current"));
    handle.commit("test");
    assertThat(store.current().getVersion()).isEqualTo("after-upgrade");
    assertThat(store.history(100))
        .extracting(ConfigHistoryEntry::getVersion)
        .startsWith("after-upgrade")
        .containsSubsequence(old.configVersions().reversed());
    assertThat(Files.readString(old.agentDir().resolve("managed/after-upgrade.conf")))
        .isEqualTo("after-upgrade\n");

    // Reopened, as the next start of the agent would.
    assertThat(new ConfigStore(config(old), Clock.systemUTC()).current().getVersion())
        .isEqualTo("after-upgrade");
  }

  @Test
  void heartbeatsToThisBuildsControllerWithoutReEnrollingAndTakesARollout() throws Exception {
    PreviousRelease old = PreviousRelease.copyTo(dir);
    assumeTrue(old.nodeCertificateValid(), PreviousRelease::regenerateHint);
    Path pki = old.agentDir().resolve("pki");
    Map<String, byte[]> identity =
        Map.of(
            "node.key", Files.readAllBytes(pki.resolve("node.key")),
            "node.pem", Files.readAllBytes(pki.resolve("node.pem")));
    // A token no controller issued: if the agent tried to enrol again, it would be refused.
    Path token = dir.resolve("no-token");
    Files.writeString(token, "dvb_0000000000000000_" + "A".repeat(43) + "\n");
    Instant started = Instant.now();

    try (RunningController ctl =
        RunningController.start(
            old.controllerState(),
            s -> s.withBundleRoots(List.of(old.agentDir().resolve("managed"))))) {
      int tls = freePort();
      AgentSettings settings =
          new AgentSettings(
              null,
              new GrpcSettings(List.of("127.0.0.1:0", "0.0.0.0:" + tls), null, null, null),
              new HttpSettings(""),
              null,
              null,
              config(old),
              null,
              null,
              new ControllerSettings(
                  ctl.target(),
                  ctl.caFile(),
                  token,
                  pki,
                  "127.0.0.1:" + tls,
                  Duration.ofSeconds(1),
                  Duration.ofSeconds(1),
                  "ceph"));
      Agent agent =
          new Agent(
              settings,
              NodeIdentity.newBuilder()
                  .setNodeId(PreviousRelease.NODE_ID)
                  .setHostname(PreviousRelease.NODE_ID)
                  .setArch("amd64")
                  .setAgentVersion("this-build")
                  .build(),
              List.of(),
              Clock.systemUTC());
      agent.start();
      ManagedChannel channel = TestAgents.channel(agent);
      try {
        awaitTrue(
            "a heartbeat of this build's agent",
            () -> {
              NodeRecord r = node(ctl);
              return r.getAgentVersion().equals("this-build")
                  && r.getLastSeen().getSeconds() >= started.getEpochSecond();
            });
        assertThat(node(ctl).getCertificateSerial()).isEqualTo(old.fact("node.serial"));

        String rollout =
            ctl.operator()
                .createRollout(
                    CreateRolloutRequest.newBuilder()
                        .setBundle(bundle(old, "pushed-after-upgrade"))
                        .setCanary(1)
                        .addWavePercents(100)
                        .setMaxUnavailable(1)
                        .setGateWindow(com.google.protobuf.Duration.getDefaultInstance())
                        .build())
                .getId();
        awaitTrue(
            "rollout " + rollout + " succeeded",
            () ->
                ctl.operator()
                    .getRollout(GetRolloutRequest.newBuilder().setId(rollout).build())
                    .getState()
                    .equals("SUCCEEDED"));
        List<ConfigHistoryEntry> history =
            NodeGrpc.newBlockingStub(channel)
                .withDeadlineAfter(30, TimeUnit.SECONDS)
                .configHistory(ConfigHistoryRequest.getDefaultInstance())
                .getEntriesList();
        assertThat(history)
            .extracting(ConfigHistoryEntry::getVersion)
            .startsWith("pushed-after-upgrade")
            .containsSubsequence(old.configVersions().reversed());
      } finally {
        TestAgents.close(channel);
        agent.close();
      }
    }
    for (Map.Entry<String, byte[]> file : identity.entrySet()) {
      assertThat(Files.readAllBytes(pki.resolve(file.getKey())))
          .as(file.getKey() + " kept: no re-enrolment, no renewal")
          .isEqualTo(file.getValue());
    }
  }

  private static NodeRecord node(RunningController ctl) {
    return ctl.operator()
        .getNodeStatus(GetNodeStatusRequest.newBuilder().setNode(PreviousRelease.NODE_ID).build());
  }

  private static ConfigSettings config(PreviousRelease old) {
    return new ConfigSettings(
        old.agentDir().resolve("config"),
        List.of(old.agentDir().resolve("managed")),
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  private static ConfigBundle bundle(PreviousRelease old, String version) throws Exception {
    byte[] content = (version + "\n").getBytes(StandardCharsets.UTF_8);
    return ConfigBundle.newBuilder()
        .setVersion(version)
        .addFiles(
            ConfigFile.newBuilder()
                .setPath(old.agentDir().resolve("managed/" + version + ".conf").toString())
                .setMode(0644)
                .setContent(ByteString.copyFrom(content))
                .setSha256(
                    HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content))))
        .build();
  }

  private static void awaitTrue(String what, BooleanSupplier condition)
      throws InterruptedException {
    Poll.until(what, WAIT, Duration.ofMillis(200), condition);
  }

  private static int freePort() throws java.io.IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
