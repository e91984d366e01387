package org.debvisor.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.debvisor.controller.fleet.AnsibleInventoryContract;
import org.debvisor.controller.inventory.Database;
import org.debvisor.controller.server.RunningController;
import org.debvisor.controller.server.TestNode;
import org.debvisor.proto.HealthState;
import org.debvisor.proto.HeartbeatRequest;
import org.debvisor.proto.NodeIdentity;
import org.debvisor.proto.NodeStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code debvisor inventory --ansible} and {@code token create --cluster} against a served
 * controller whose nodes enrolled with real tokens and sent real heartbeats.
 */
class InventoryCliTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path state;

  private ServedCli served;
  private RunningController ctl;
  private Map<String, String> env;

  @BeforeEach
  void start() throws Exception {
    served = ServedCli.start(state);
    ctl = served.ctl;
    env = served.env;
  }

  @AfterEach
  void stop() {
    served.close();
  }

  private int run(String... args) {
    return served.run(args);
  }

  /** Creates a token through the CLI (with {@code tokenArgs}) and enrols a node with it. */
  private TestNode enrol(String id, String hostname, String profile, String... tokenArgs)
      throws Exception {
    List<String> args = new ArrayList<>(List.of("token", "create", "--ttl", "1h"));
    args.addAll(List.of(tokenArgs));
    assertThat(run(args.toArray(String[]::new))).as(served.err()).isZero();
    String token = served.out().strip();
    TestNode node = new TestNode(id, hostname);
    try (var anon = ctl.anonymous()) {
      String pem =
          anon.controller(120)
              .registerNode(node.request(token).setProfile(profile).build())
              .getCertificatePem();
      node.mtls(ctl, pem)
          .heartbeat(
              HeartbeatRequest.newBuilder()
                  .setStatus(
                      NodeStatus.newBuilder()
                          .setNode(NodeIdentity.newBuilder().setAgentVersion("0.2.0"))
                          .setState(HealthState.HEALTH_OK))
                  .build());
    }
    node.close();
    return node;
  }

  private JsonNode listed() throws Exception {
    assertThat(run("inventory", "--ansible", "--list")).as(served.err()).isZero();
    assertThat(AnsibleInventoryContract.listProblems(served.out())).isEmpty();
    return JSON.readTree(served.out());
  }

  private static List<String> hosts(JsonNode inventory, String group) {
    List<String> hosts = new ArrayList<>();
    inventory.path(group).path("hosts").forEach(h -> hosts.add(h.asText()));
    return hosts;
  }

  @Test
  void anEmptyFleetIsAValidInventory() throws Exception {
    JsonNode inventory = listed();

    assertThat(inventory.get("_meta").get("hostvars").size()).isZero();
    assertThat(served.err()).isEmpty();
  }

  @Test
  void enrolledNodesAreGroupedByProfileAndTheClusterOfTheirToken() throws Exception {
    enrol("id-c1", "ceph-1", "ceph", "--cluster", "prod-a");
    enrol("id-c2", "ceph-2", "ceph", "--cluster", "prod-a");
    assertThat(served.err()).contains("cluster prod-a");
    enrol("id-h1", "hv-1", "hypervisor");
    assertThat(served.err()).contains("cluster default");
    enrol("id-k1", "k8s-1", "k8s", "--cluster", "edge-7");
    assertThat(run("node", "revoke", "k8s-1", "--reason", "test")).as(served.err()).isZero();

    JsonNode inventory = listed();

    assertThat(hosts(inventory, "ceph")).containsExactly("ceph-1", "ceph-2");
    assertThat(hosts(inventory, "hypervisor")).containsExactly("hv-1");
    assertThat(hosts(inventory, "cluster_prod_a")).containsExactly("ceph-1", "ceph-2");
    assertThat(hosts(inventory, "cluster_default")).containsExactly("hv-1");
    // The revoked node and the groups only it was in are gone.
    assertThat(inventory.has("k8s")).isFalse();
    assertThat(inventory.has("cluster_edge_7")).isFalse();
    assertThat(served.out()).doesNotContain("k8s-1");

    JsonNode vars = inventory.get("_meta").get("hostvars").get("ceph-1");
    assertThat(vars.get("ansible_host").asText()).isEqualTo(TestNode.addressOf("id-c1"));
    assertThat(vars.get("debvisor_node_id").asText()).isEqualTo("id-c1");
    assertThat(vars.get("debvisor_cluster").asText()).isEqualTo("prod-a");
    assertThat(vars.get("debvisor_profile").asText()).isEqualTo("ceph");
    assertThat(vars.get("debvisor_health").asText()).isEqualTo("OK");
    assertThat(vars.get("debvisor_last_seen").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    // The heartbeat's version, not the 0.1.0 sent at enrolment.
    assertThat(AnsibleInventoryContract.text(vars.get("debvisor_agent_version")))
        .isEqualTo("0.2.0");
    assertThat(AnsibleInventoryContract.text(vars.get("debvisor_arch"))).isEqualTo("amd64");
    assertThat(vars.get("debvisor_facts").get("disks")).hasSize(4);
    assertThat(vars.get("debvisor_facts").get("cpu").get("threads").asInt()).isEqualTo(16);

    assertThat(run("inventory", "--ansible", "--host", "ceph-1")).as(served.err()).isZero();
    assertThat(AnsibleInventoryContract.hostOutputProblems(served.out())).isEmpty();
    assertThat(JSON.readTree(served.out())).isEqualTo(vars);
    assertThat(run("inventory", "--ansible", "--host", "k8s-1")).isZero();
    assertThat(served.out().strip()).isEqualTo("{ }");

    assertThat(run("nodes", "list")).isZero();
    assertThat(served.out().lines().filter(l -> l.startsWith("id-c2")))
        .singleElement()
        .asString()
        .contains("prod-a");
    assertThat(served.out().lines().findFirst().orElseThrow()).contains("CLUSTER");
    assertThat(run("nodes", "show", "ceph-2")).isZero();
    assertThat(served.out()).contains("cluster:       prod-a");
    assertThat(run("nodes", "list", "--selector", "cluster=prod-a", "-o", "json")).isZero();
    assertThat(served.out()).contains("ceph-1").contains("ceph-2").doesNotContain("hv-1");
  }

  @Test
  void nodesSharingAHostnameAreBothListedAndTheClashIsReported() throws Exception {
    enrol("id-old", "ceph-1", "ceph");
    enrol("id-new", "ceph-1", "ceph");

    JsonNode inventory = listed();

    assertThat(hosts(inventory, "ceph")).containsExactly("ceph-1_id-new", "ceph-1_id-old");
    assertThat(served.err())
        .contains("warning: 2 nodes share the hostname ceph-1")
        .contains("debvisor node revoke");
  }

  @Test
  void aBadClusterNameIsRefusedNamingTheRuleAndNothingIsWritten() throws Exception {
    long tokens = count("bootstrap_tokens");
    long audit = count("audit_log");

    for (String bad : List.of("Prod", "prod_a", "-prod", "a".repeat(64), "prod a")) {
      assertThat(run("token", "create", "--ttl", "1h", "--cluster", bad)).isEqualTo(2);
      assertThat(served.err())
          .as(bad)
          .contains("INVALID_ARGUMENT")
          .contains("cluster:")
          .contains("1-63 characters of a-z, 0-9 and '-'");
      assertThat(served.out()).isEmpty();
    }

    assertThat(count("bootstrap_tokens")).isEqualTo(tokens);
    assertThat(count("audit_log")).isEqualTo(audit);
  }

  private long count(String table) throws Exception {
    try (Connection c = Database.readOnlyConnection(state.resolve("controller.db"));
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*) FROM " + table)) {
      r.next();
      return r.getLong(1);
    }
  }

  @Test
  void argumentsAndAnUnreachableControllerAreExplainedWithNothingOnStdout() {
    assertThat(run("inventory", "--list")).isEqualTo(2);
    assertThat(served.err()).contains("--ansible");
    assertThat(run("inventory", "--ansible")).isEqualTo(2);
    assertThat(served.err()).contains("--list").contains("--host");
    assertThat(run("inventory", "--ansible", "--list", "--host", "x")).isEqualTo(2);

    env.put("DEBVISOR_CONTROLLER", "127.0.0.1:1");
    assertThat(run("inventory", "--ansible", "--list", "--timeout", "5")).isEqualTo(1);
    assertThat(served.err()).contains("unreachable").contains("--controller");
    // Ansible parses standard output: a failure must leave it empty.
    assertThat(served.out()).isEmpty();
  }

  @Test
  void theCaFileCanComeFromTheEnvironment() throws Exception {
    env.put("DEBVISOR_CA_FILE", state.resolve("no-such-ca.pem").toString());
    assertThat(run("inventory", "--ansible", "--list")).isEqualTo(1);
    assertThat(served.err()).contains("no-such-ca.pem");

    env.put("DEBVISOR_CA_FILE", ctl.caFile().toString());
    env.put("DEBVISOR_STATE_DIR", state.resolve("elsewhere").toString());
    env.put("DEBVISOR_TOKEN", ctl.operatorToken());
    assertThat(run("inventory", "--ansible", "--list")).as(served.err()).isZero();
  }
}
