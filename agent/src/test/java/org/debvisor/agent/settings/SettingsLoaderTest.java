package org.debvisor.agent.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.debvisor.agentapi.AgentSettings;
import org.debvisor.agentapi.ControllerSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsLoaderTest {

  @TempDir Path dir;

  private Path write(String yaml) throws IOException {
    Path file = dir.resolve("agent.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  private SettingsException failure(String yaml) throws IOException {
    Path file = write(yaml);
    try {
      new SettingsLoader().load(file);
    } catch (SettingsException e) {
      assertThat(e.getMessage()).contains(file.toString());
      return e;
    }
    throw new AssertionError("expected the configuration to be refused:\n" + yaml);
  }

  @Test
  void emptyFileGivesDefaults() throws Exception {
    AgentSettings s = new SettingsLoader().load(write(""));

    assertThat(s.grpc().listen()).containsExactly("127.0.0.1:5000");
    assertThat(s.grpc().maxInboundMessageBytes()).isEqualTo(4 * 1024 * 1024);
    assertThat(s.collectors().ceph().confFile()).isEqualTo(Path.of("/etc/ceph/ceph.conf"));
    assertThat(s.collectors().ceph().clientId()).isEqualTo("debvisor");
    assertThat(s.collectors().hypervisor().uri()).isEqualTo("qemu:///system");
    assertThat(s.collectors().system().interval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.logging().format()).isEqualTo("json");
  }

  @Test
  void readsEveryKindOfValue() throws Exception {
    AgentSettings s =
        new SettingsLoader()
            .load(
                write(
                    """
                    node:
                      id: node-7
                    grpc:
                      listen: ["127.0.0.1:5001", "[::1]:5001"]
                      maxInboundMessageBytes: 65536
                      watchHeartbeat: 2m
                    http:
                      listen: ""
                    collectors:
                      ceph:
                        enabled: false
                        interval: 30s
                        timeout: 500ms
                      hypervisor:
                        uri: test:///default
                        maxDomains: 10
                    logging:
                      level: debug
                    """));

    assertThat(s.node().id()).isEqualTo("node-7");
    assertThat(s.grpc().listen()).containsExactly("127.0.0.1:5001", "[::1]:5001");
    assertThat(s.grpc().watchHeartbeat()).isEqualTo(Duration.ofMinutes(2));
    assertThat(s.http().enabled()).isFalse();
    assertThat(s.collectors().ceph().enabled()).isFalse();
    assertThat(s.collectors().ceph().timeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(s.collectors().hypervisor().maxDomains()).isEqualTo(10);
    assertThat(s.logging().level()).isEqualTo("DEBUG");
  }

  @Test
  void unknownKeyIsNamedWithTheAllowedOnes() throws Exception {
    SettingsException e = failure("collectors:\n  ceph:\n    intervall: 15s\n");

    assertThat(e.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.key()).isEqualTo("collectors.ceph.intervall");
              assertThat(p.rule()).contains("unknown key", "line 3", "interval", "keyringFile");
            });
  }

  @Test
  void badDurationNamesKeyAndFormat() throws Exception {
    SettingsException e = failure("collectors:\n  system:\n    interval: 10 seconds\n");

    assertThat(e.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.key()).isEqualTo("collectors.system.interval");
              assertThat(p.rule()).contains("'10 seconds' is not a duration", "15s");
            });
  }

  @Test
  void wrongTypeNamesKey() throws Exception {
    SettingsException e = failure("grpc:\n  maxInboundMessageBytes: lots\n");

    assertThat(e.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.key()).isEqualTo("grpc.maxInboundMessageBytes");
              assertThat(p.rule()).contains("'lots'", "whole number");
            });
  }

  @Test
  void plaintextOnNonLoopbackAddressIsRefused() throws Exception {
    SettingsException e = failure("grpc:\n  listen: [\"0.0.0.0:5000\"]\n");

    assertThat(e.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.key()).isEqualTo("grpc.listen[0]");
              assertThat(p.rule())
                  .contains("not a loopback address", "plaintext is only allowed on loopback")
                  .contains("grpc.tls.certFile");
            });
  }

  @Test
  void nonLoopbackWithTlsFilesIsAccepted() throws Exception {
    Path cert = Files.writeString(dir.resolve("node.crt"), "cert");
    Path key = Files.writeString(dir.resolve("node.key"), "key");
    AgentSettings s =
        new SettingsLoader()
            .load(
                write(
                    "grpc:\n  listen: [\"0.0.0.0:5000\"]\n  tls:\n    certFile: "
                        + cert
                        + "\n    keyFile: "
                        + key
                        + "\n"));

    assertThat(s.grpc().tls().configured()).isTrue();
  }

  @Test
  void everyRuleViolationIsListedAtOnce() throws Exception {
    SettingsException e =
        failure(
            """
            grpc:
              listen: ["localhost"]
              maxInboundMessageBytes: 10
              tls:
                certFile: /nonexistent/node.crt
            collectors:
              system:
                interval: 5s
                timeout: 10s
                filesystemWarnPercent: 99
                filesystemErrorPercent: 90
            logging:
              format: xml
            """);

    assertThat(e.problems())
        .extracting(SettingsProblem::key)
        .containsExactlyInAnyOrder(
            "grpc.listen[0]",
            "grpc.tls",
            "grpc.tls.certFile",
            "grpc.maxInboundMessageBytes",
            "collectors.system.timeout",
            "collectors.system.filesystemWarnPercent",
            "logging.format");
  }

  @Test
  void missingFileSaysSo() {
    Path missing = dir.resolve("nope.yaml");

    assertThatThrownBy(() -> new SettingsLoader().load(missing))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("does not exist");
  }

  @Test
  void brokenYamlNamesTheLine() throws Exception {
    SettingsException e = failure("grpc:\n  listen: [\"127.0.0.1:5000\"\nhttp: {\n");

    assertThat(e.problems().get(0).rule()).contains("line");
  }

  @Test
  void listenAddressParsing() {
    assertThat(ListenAddress.parse("[::1]:5000")).isEqualTo(new ListenAddress("::1", 5000));
    assertThat(ListenAddress.parse("127.0.0.1:5000").isLoopback()).isTrue();
    assertThat(ListenAddress.parse("[::1]:5000").isLoopback()).isTrue();
    assertThat(ListenAddress.parse("0.0.0.0:5000").isLoopback()).isFalse();
    assertThatThrownBy(() -> ListenAddress.parse("::1:5000")).hasMessageContaining("brackets");
    assertThatThrownBy(() -> ListenAddress.parse("127.0.0.1:70000"))
        .hasMessageContaining("port must be from 1 to 65535");
  }

  @Test
  void controllerSectionDefaultsToNoEnrolment() throws Exception {
    AgentSettings s = new SettingsLoader().load(write(""));

    assertThat(s.controller()).isEqualTo(ControllerSettings.defaults());
    assertThat(s.controller().enabled()).isFalse();
    assertThat(s.controller().stateDir()).isEqualTo(Path.of("/var/lib/debvisor/pki"));
    assertThat(s.controller().heartbeatInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.controller().retryMax()).isEqualTo(Duration.ofMinutes(5));
    assertThat(s.auth().controllerNames()).containsExactly("debvisor-controller");
  }

  @Test
  void withAControllerNonLoopbackAddressesNeedNoTlsFiles() throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.pem"), "pinned");
    AgentSettings s =
        new SettingsLoader()
            .load(
                write(
                    "grpc:\n  listen: [\"127.0.0.1:5000\", \"10.0.0.5:5000\"]\n"
                        + "controller:\n  address: ctl.example:5443\n  caFile: "
                        + ca
                        + "\n  profile: ceph\n  heartbeatInterval: 30s\n"));

    assertThat(s.controller().enabled()).isTrue();
    assertThat(s.controller().address()).isEqualTo("ctl.example:5443");
    assertThat(s.controller().heartbeatInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.grpc().tls().configured()).isFalse();
  }

  @Test
  void badControllerSettingsAreEachNamed() throws Exception {
    SettingsException e =
        failure(
            """
            controller:
              address: "ctl.example"
              caFile: /nonexistent/ca.pem
              stateDir: relative/pki
              advertiseAddress: "no-port"
              heartbeatInterval: 500ms
              retryMax: 48h
              profile: storage
            """);

    assertThat(e.problems())
        .extracting(SettingsProblem::key)
        .containsExactlyInAnyOrder(
            "controller.address",
            "controller.caFile",
            "controller.stateDir",
            "controller.advertiseAddress",
            "controller.heartbeatInterval",
            "controller.retryMax",
            "controller.profile");
    assertThat(e.getMessage())
        .contains("/nonexistent/ca.pem does not exist")
        .contains("must be ceph, hypervisor, k8s")
        .contains("is not host:port");
  }

  @Test
  void withoutAControllerThePinnedCaIsNotRequired() throws Exception {
    AgentSettings s =
        new SettingsLoader().load(write("controller:\n  caFile: /nonexistent/ca.pem\n"));

    assertThat(s.controller().enabled()).isFalse();
  }
}
