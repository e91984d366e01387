package org.debvisor.agent.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every range of agent.yaml at both of its edges: the last accepted value loads, the first refused
 * one is reported on its own key and nothing else is. Files named in agent.yaml are looked up under
 * a temporary root, as when checking an installed system's tree.
 */
class SettingsValidatorTest {

  /** The controller section that enrols, with a CA file that exists under the root. */
  private static final String ENROLS =
      "controller: {address: \"127.0.0.1:5443\", caFile: /etc/debvisor/ca.pem";

  @TempDir Path root;

  @BeforeEach
  void filesUnderTheRoot() throws IOException {
    Files.createDirectories(root.resolve("etc/debvisor"));
    for (String name : List.of("ca.pem", "cert.pem", "key.pem", "client-ca.pem")) {
      Files.writeString(root.resolve("etc/debvisor/" + name), "x");
    }
  }

  private List<SettingsProblem> problems(String yaml) throws IOException {
    Path file = root.resolve("agent.yaml");
    Files.writeString(file, yaml);
    try {
      new SettingsLoader(root).load(file);
      return List.of();
    } catch (SettingsException e) {
      return e.problems();
    }
  }

  private void assertOnly(String yaml, String key, String ruleFragment) throws IOException {
    List<SettingsProblem> found = problems(yaml);
    assertThat(found).as(yaml).hasSize(1);
    assertThat(found.get(0).key()).as(yaml).isEqualTo(key);
    assertThat(found.get(0).rule()).as(yaml).contains(ruleFragment);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "grpc: {maxInboundMessageBytes: 1024}",
        "grpc: {maxInboundMessageBytes: 67108864}",
        "grpc: {watchHeartbeat: 1s}",
        "grpc: {watchHeartbeat: 1h}",
        "collectors: {hypervisor: {maxDomains: 0}}",
        "collectors: {hypervisor: {maxDomains: 100000}}",
        "collectors: {system: {filesystemWarnPercent: 1, filesystemErrorPercent: 1}}",
        "collectors: {system: {filesystemWarnPercent: 100, filesystemErrorPercent: 100}}",
        "collectors: {system: {interval: 5s, timeout: 5s}}",
        "collectors: {ceph: {interval: 1ms, timeout: 1ms, connectTimeout: 1ms}}",
        "collectors: {hypervisor: {interval: 2s, timeout: 2s}}",
        "collectors: {kubernetes: {interval: 3s, timeout: 3s}}",
        "rateLimits: {statusPerCaller: {capacity: 1, perSecond: 1}}",
        "logging: {format: text, level: TRACE}",
        "logging: {level: ERROR}",
        "config: {maxFileBytes: 1, maxBundleBytes: 1, maxFiles: 1, historyLimit: 1}",
        "config: {maxFileBytes: 67108864, maxBundleBytes: 67108864}",
        "config: {maxFiles: 10000, historyLimit: 1000000}",
        "config: {allowedRoots: [/srv, /etc/a/b]}",
        "config: {gateCommands: {web-1.ok_X: [curl, -f]}}",
        "auth: {tokens: [{name: alice@example.org, sha256: "
            + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef}]}",
        "grpc: {listen: [\"0.0.0.0:5000\"], tls: {certFile: /etc/debvisor/cert.pem,"
            + " keyFile: /etc/debvisor/key.pem, clientCaFile: /etc/debvisor/client-ca.pem}}",
        "grpc: {listen: [\"0.0.0.0:5000\"]}\n" + ENROLS + "}",
        ENROLS + ", heartbeatInterval: 1s, retryMax: 1s}",
        ENROLS + ", heartbeatInterval: 1h, retryMax: 24h, profile: k8s}",
        ENROLS + ", advertiseAddress: \"10.0.0.5:5000\", profile: ceph}",
        "http: {listen: \"\"}",
        "controller: {caFile: /etc/debvisor/none.pem, stateDir: relative, profile: web}",
      })
  void theEdgesOfEveryRangeAreAccepted(String yaml) throws IOException {
    assertThat(problems(yaml)).as(yaml).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          grpc: {listen: []}                                   | grpc.listen                  | at least one address
          grpc: {listen: ["nope"]}                             | grpc.listen[0]               | not host:port
          grpc: {listen: ["127.0.0.1:5000", "10.1.2.3:5000"]}  | grpc.listen[1]               | not a loopback address
          grpc: {maxInboundMessageBytes: 1023}                 | grpc.maxInboundMessageBytes  | from 1024 to 67108864, not 1023
          grpc: {maxInboundMessageBytes: 67108865}             | grpc.maxInboundMessageBytes  | not 67108865
          grpc: {watchHeartbeat: 999ms}                        | grpc.watchHeartbeat          | from 1s to 1h
          grpc: {watchHeartbeat: 3601s}                        | grpc.watchHeartbeat          | from 1s to 1h
          grpc: {tls: {certFile: /etc/debvisor/cert.pem}}      | grpc.tls                     | given together
          grpc: {tls: {keyFile: /etc/debvisor/key.pem}}        | grpc.tls                     | given together
          grpc: {tls: {clientCaFile: /etc/debvisor/ca.pem}}    | grpc.tls.clientCaFile        | needs grpc.tls.certFile
          http: {listen: "9500"}                               | http.listen                  | or "" to disable
          collectors: {ceph: {clientId: ""}}                   | collectors.ceph.clientId     | without 'client.'
          collectors: {ceph: {clientId: client.admin}}         | collectors.ceph.clientId     | without 'client.'
          collectors: {ceph: {connectTimeout: 0s}}             | collectors.ceph.connectTimeout | longer than 0
          collectors: {ceph: {interval: 0s}}                   | collectors.ceph.interval     | longer than 0
          collectors: {ceph: {timeout: 0s}}                    | collectors.ceph.timeout      | longer than 0
          collectors: {ceph: {interval: 10s, timeout: 10001ms}} | collectors.ceph.timeout     | not be longer than collectors.ceph.interval
          collectors: {hypervisor: {uri: ""}}                  | collectors.hypervisor.uri    | must not be empty
          collectors: {hypervisor: {maxDomains: -1}}           | collectors.hypervisor.maxDomains | from 0 to 100000
          collectors: {hypervisor: {maxDomains: 100001}}       | collectors.hypervisor.maxDomains | from 0 to 100000
          collectors: {hypervisor: {interval: 1s, timeout: 2s}} | collectors.hypervisor.timeout | not be longer
          collectors: {kubernetes: {interval: 1s, timeout: 2s}} | collectors.kubernetes.timeout | not be longer
          collectors: {system: {interval: 1s, timeout: 2s}}    | collectors.system.timeout    | not be longer
          collectors: {system: {filesystemWarnPercent: 0}}     | collectors.system.filesystemWarnPercent | from 1 to 100
          collectors: {system: {filesystemWarnPercent: 1, filesystemErrorPercent: 0}} | collectors.system.filesystemErrorPercent | from 1 to 100
          collectors: {system: {filesystemErrorPercent: 101}}  | collectors.system.filesystemErrorPercent | from 1 to 100
          collectors: {system: {filesystemWarnPercent: 91, filesystemErrorPercent: 90}} | collectors.system.filesystemWarnPercent | not be above filesystemErrorPercent
          config: {stateDir: var/lib/x}                        | config.stateDir              | absolute path
          config: {allowedRoots: []}                           | config.allowedRoots          | at least one directory
          config: {allowedRoots: [/srv, srv]}                  | config.allowedRoots[1]       | absolute, normalised
          config: {allowedRoots: [/srv/../etc]}                | config.allowedRoots[0]       | absolute, normalised
          config: {allowedRoots: [/]}                          | config.allowedRoots[0]       | other than /
          config: {maxFileBytes: 0}                            | config.maxFileBytes          | from 1 to 67108864, not 0
          config: {maxFileBytes: 67108865}                     | config.maxFileBytes          | not 67108865
          config: {maxBundleBytes: 0}                          | config.maxBundleBytes        | not 0
          config: {maxBundleBytes: 67108865}                   | config.maxBundleBytes        | not 67108865
          config: {maxFiles: 0}                                | config.maxFiles              | from 1 to 10000, not 0
          config: {maxFiles: 10001}                            | config.maxFiles              | not 10001
          config: {historyLimit: 0}                            | config.historyLimit          | from 1 to 1000000, not 0
          config: {historyLimit: 1000001}                      | config.historyLimit          | not 1000001
          config: {reloadCommand: []}                          | config.reloadCommand         | non-empty list
          config: {restartCommand: [" "]}                      | config.restartCommand        | non-empty list
          config: {unitActiveCommand: [""]}                    | config.unitActiveCommand     | non-empty list
          config: {gateCommands: {ok: []}}                     | config.gateCommands.ok       | non-empty list
          auth: {tokens: [{name: "bad name", sha256: 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef}]} | auth.tokens[0].name | A-Za-z0-9._@-
          auth: {tokens: [{name: alice, sha256: 0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef}]} | auth.tokens[0].sha256 | 64 lower-case hex
          rateLimits: {statusPerCaller: {capacity: 0, perSecond: 1}} | rateLimits.statusPerCaller | at least 1
          rateLimits: {statusGlobal: {capacity: 1, perSecond: 0}} | rateLimits.statusGlobal    | at least 1
          rateLimits: {configPerCaller: {capacity: 0, perSecond: 5}} | rateLimits.configPerCaller | at least 1
          rateLimits: {configGlobal: {capacity: 50, perSecond: 0}} | rateLimits.configGlobal    | at least 1
          controller: {address: "nope", caFile: /etc/debvisor/ca.pem} | controller.address | or "" to run without a controller
          controller: {address: "127.0.0.1:5443,nope", caFile: /etc/debvisor/ca.pem} | controller.address | 'nope' is not host:port
          controller: {address: " , ", caFile: /etc/debvisor/ca.pem} | controller.address | names no host:port
          controller: {address: "127.0.0.1:5443,[::1]:5443", caFile: /etc/debvisor/none.pem} | controller.caFile | does not exist or cannot be read
          controller: {address: "127.0.0.1:5443", caFile: /etc/debvisor/none.pem} | controller.caFile | does not exist or cannot be read
          logging: {format: xml}                               | logging.format               | json or text, not 'xml'
          logging: {level: loud}                              | logging.level                | TRACE, DEBUG
          """)
  void theFirstValueOutsideARangeIsRefusedOnItsKeyAlone(String yaml, String key, String rule)
      throws IOException {
    assertOnly(yaml, key, rule);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          , stateDir: var/lib/pki}             | controller.stateDir          | absolute path
          , tokenFile: etc/token}              | controller.tokenFile         | absolute path
          , advertiseAddress: "x"}             | controller.advertiseAddress  | or "" to derive it
          , heartbeatInterval: 999ms}          | controller.heartbeatInterval | from 1s to 1h
          , heartbeatInterval: 3601s}          | controller.heartbeatInterval | from 1s to 1h
          , retryMax: 999ms}                   | controller.retryMax          | from 1s to 24h
          , retryMax: 86401s}                  | controller.retryMax          | from 1s to 24h
          , profile: web}                      | controller.profile           | not 'web'
          """)
  void theControllerSectionIsCheckedWhenTheAgentEnrols(String rest, String key, String rule)
      throws IOException {
    assertOnly(ENROLS + rest, key, rule);
  }

  @Test
  void filesNamedForTlsMustBeReadableUnderTheRoot() throws IOException {
    assertOnly(
        "grpc: {tls: {certFile: /etc/debvisor/missing.pem, keyFile: /etc/debvisor/key.pem}}",
        "grpc.tls.certFile",
        "/etc/debvisor/missing.pem does not exist or cannot be read");
    assertOnly(
        "grpc: {tls: {certFile: /etc/debvisor/cert.pem, keyFile: /etc/debvisor/missing.pem}}",
        "grpc.tls.keyFile",
        "does not exist");
    assertOnly(
        "grpc: {tls: {certFile: /etc/debvisor/cert.pem, keyFile: /etc/debvisor/key.pem,"
            + " clientCaFile: /etc/debvisor/missing.pem}}",
        "grpc.tls.clientCaFile",
        "does not exist");
  }

  @Test
  void aGateNameOutsideItsAlphabetIsRefusedButItsCommandStillChecked() throws IOException {
    assertOnly(
        "config: {gateCommands: {\"a b\": [curl]}}", "config.gateCommands.a b", "1-64 characters");
    assertOnly(
        "config: {gateCommands: {" + "g".repeat(65) + ": [curl]}}",
        "config.gateCommands." + "g".repeat(65),
        "1-64 characters");
    assertThat(problems("config: {gateCommands: {\"a b\": []}}"))
        .extracting(SettingsProblem::key)
        .containsExactly("config.gateCommands.a b", "config.gateCommands.a b");
  }

  @Test
  void aWarnPercentOutOfRangeIsAlsoReportedAsAboveTheErrorPercent() throws IOException {
    assertThat(problems("collectors: {system: {filesystemWarnPercent: 101}}"))
        .extracting(SettingsProblem::key, SettingsProblem::rule)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "collectors.system.filesystemWarnPercent", "must be from 1 to 100"),
            org.assertj.core.groups.Tuple.tuple(
                "collectors.system.filesystemWarnPercent",
                "must not be above filesystemErrorPercent"));
  }

  @Test
  void everyProblemIsReportedInOneLoadInFieldOrder() throws IOException {
    assertThat(
            problems(
                "grpc: {maxInboundMessageBytes: 1}\n"
                    + "logging: {format: xml, level: loud}\n"
                    + "config: {maxFiles: 0}\n"))
        .extracting(SettingsProblem::key)
        .containsExactly(
            "grpc.maxInboundMessageBytes", "config.maxFiles", "logging.format", "logging.level");
  }
}
