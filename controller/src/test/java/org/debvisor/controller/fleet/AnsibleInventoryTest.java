package org.debvisor.controller.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.debvisor.proto.CpuFacts;
import org.debvisor.proto.DiskFacts;
import org.debvisor.proto.EnrolmentState;
import org.debvisor.proto.HardwareFacts;
import org.debvisor.proto.HealthState;
import org.debvisor.proto.NicFacts;
import org.debvisor.proto.NodeRecord;
import org.debvisor.proto.NodeStatus;
import org.junit.jupiter.api.Test;

/** The Ansible inventory built from node records, checked against Ansible's contract. */
class AnsibleInventoryTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static NodeRecord.Builder node(String id, String hostname, String profile) {
    return NodeRecord.newBuilder()
        .setNodeId(id)
        .setHostname(hostname)
        .setProfile(profile)
        .setCluster("default")
        .setArch("amd64")
        .setAgentVersion("0.1.0")
        .setAgentAddress("192.0.2.7:5000")
        .setEnrolment(EnrolmentState.ENROLMENT_ACTIVE);
  }

  /** Serialises and checks the contract, as Ansible would read the output. */
  private static JsonNode list(List<NodeRecord> nodes) throws Exception {
    String out = JSON.writeValueAsString(AnsibleInventory.of(nodes).list());
    assertThat(AnsibleInventoryContract.listProblems(out)).as(out).isEmpty();
    return JSON.readTree(out);
  }

  private static List<String> hosts(JsonNode inventory, String group) {
    List<String> hosts = new ArrayList<>();
    inventory.path(group).path("hosts").forEach(h -> hosts.add(h.asText()));
    return hosts;
  }

  @Test
  void emptyFleetIsValidJsonWithEmptyHostvars() throws Exception {
    JsonNode inventory = list(List.of());

    assertThat(inventory.size()).isEqualTo(1);
    assertThat(inventory.get("_meta").get("hostvars").isObject()).isTrue();
    assertThat(inventory.get("_meta").get("hostvars").size()).isZero();
    assertThat(AnsibleInventory.of(List.of()).host("anything").size()).isZero();
  }

  @Test
  void groupsByProfileAndClusterWithRevokedNodesLeftOut() throws Exception {
    JsonNode inventory =
        list(
            List.of(
                node("c1", "ceph-1", "ceph").build(),
                node("c2", "ceph-2", "ceph").setCluster("prod-eu-1").build(),
                node("h1", "hv-1", "hypervisor").setCluster("prod-eu-1").build(),
                node("k1", "k8s-1", "k8s").build(),
                node("x1", "bare-1", "").build(),
                node("r1", "old-ceph", "ceph")
                    .setEnrolment(EnrolmentState.ENROLMENT_REVOKED)
                    .build()));

    assertThat(hosts(inventory, "ceph")).containsExactly("ceph-1", "ceph-2");
    assertThat(hosts(inventory, "hypervisor")).containsExactly("hv-1");
    assertThat(hosts(inventory, "k8s")).containsExactly("k8s-1");
    assertThat(hosts(inventory, "cluster_default")).containsExactly("bare-1", "ceph-1", "k8s-1");
    assertThat(hosts(inventory, "cluster_prod_eu_1")).containsExactly("ceph-2", "hv-1");
    assertThat(inventory.toString()).doesNotContain("old-ceph").doesNotContain("r1");
    assertThat(inventory.get("_meta").get("hostvars").size()).isEqualTo(5);
  }

  @Test
  void hostVarsCarryAddressIdentityHealthAndFacts() throws Exception {
    NodeRecord node =
        node("c1", "ceph-1", "ceph")
            .setCluster("rack-7")
            .setArch("arm64")
            .setAgentVersion("0.2.1")
            .setAgentAddress("[2001:db8::7]:5000")
            .setLastSeen(Timestamp.newBuilder().setSeconds(1_764_000_000L))
            .setLastStatus(NodeStatus.newBuilder().setState(HealthState.HEALTH_WARN))
            .setFacts(
                HardwareFacts.newBuilder()
                    .setCpu(
                        CpuFacts.newBuilder().setModel("Neoverse-N1").setCores(64).setThreads(64))
                    .setMemoryBytes(256L << 30)
                    .addDisks(
                        DiskFacts.newBuilder()
                            .setName("nvme0n1")
                            .setSizeBytes(3_840_000_000_000L)
                            .setModel("PM9A3")
                            .setRotational(false)
                            .setByIdPath("/dev/disk/by-id/nvme-PM9A3_S1"))
                    .addNics(
                        NicFacts.newBuilder()
                            .setName("enp1s0")
                            .setMac("02:00:00:00:00:07")
                            .setSpeedMbps(25_000)))
            .build();

    JsonNode vars = list(List.of(node)).get("_meta").get("hostvars").get("ceph-1");

    assertThat(vars.get("ansible_host").asText()).isEqualTo("2001:db8::7");
    assertThat(vars.get("debvisor_node_id").asText()).isEqualTo("c1");
    assertThat(vars.get("debvisor_profile").asText()).isEqualTo("ceph");
    assertThat(vars.get("debvisor_cluster").asText()).isEqualTo("rack-7");
    assertThat(AnsibleInventoryContract.text(vars.get("debvisor_arch"))).isEqualTo("arm64");
    assertThat(AnsibleInventoryContract.text(vars.get("debvisor_agent_version")))
        .isEqualTo("0.2.1");
    assertThat(vars.get("debvisor_last_seen").asText()).isEqualTo("2025-11-24T16:00:00Z");
    assertThat(vars.get("debvisor_health").asText()).isEqualTo("WARN");
    JsonNode facts = vars.get("debvisor_facts");
    assertThat(AnsibleInventoryContract.text(facts.get("cpu").get("model")))
        .isEqualTo("Neoverse-N1");
    assertThat(facts.get("cpu").get("cores").asInt()).isEqualTo(64);
    assertThat(facts.get("cpu").get("threads").asInt()).isEqualTo(64);
    assertThat(facts.get("memory_bytes").asLong()).isEqualTo(256L << 30);
    JsonNode disk = facts.get("disks").get(0);
    assertThat(AnsibleInventoryContract.text(disk.get("name"))).isEqualTo("nvme0n1");
    assertThat(disk.get("size_bytes").asLong()).isEqualTo(3_840_000_000_000L);
    assertThat(AnsibleInventoryContract.text(disk.get("model"))).isEqualTo("PM9A3");
    assertThat(disk.get("rotational").asBoolean()).isFalse();
    assertThat(AnsibleInventoryContract.text(disk.get("by_id")))
        .isEqualTo("/dev/disk/by-id/nvme-PM9A3_S1");
    JsonNode nic = facts.get("nics").get(0);
    assertThat(AnsibleInventoryContract.text(nic.get("mac"))).isEqualTo("02:00:00:00:00:07");
    assertThat(nic.get("speed_mbps").asInt()).isEqualTo(25_000);

    // --host gives the same variables; an unknown name gives {} (Ansible's contract).
    String host = JSON.writeValueAsString(AnsibleInventory.of(List.of(node)).host("ceph-1"));
    assertThat(AnsibleInventoryContract.hostOutputProblems(host)).isEmpty();
    assertThat(JSON.readTree(host)).isEqualTo(vars);
    assertThat(JSON.writeValueAsString(AnsibleInventory.of(List.of(node)).host("ceph-9")))
        .isEqualTo("{}");
  }

  @Test
  void aNodeWithoutReportsHasTheSameShapeAndUnknownHealth() throws Exception {
    JsonNode vars =
        list(List.of(node("n1", "new-1", "k8s").setAgentAddress("node-1.example:5000").build()))
            .get("_meta")
            .get("hostvars")
            .get("new-1");

    assertThat(vars.get("ansible_host").asText()).isEqualTo("node-1.example");
    assertThat(vars.get("debvisor_last_seen").isNull()).isTrue();
    assertThat(vars.get("debvisor_health").asText()).isEqualTo("UNKNOWN");
    assertThat(vars.get("debvisor_facts").get("disks").isArray()).isTrue();
    assertThat(vars.get("debvisor_facts").get("nics").size()).isZero();
    assertThat(vars.get("debvisor_facts").get("memory_bytes").asLong()).isZero();
  }

  @Test
  void nodeReportedTextIsMarkedUnsafeSoAnsibleNeverTemplatesIt() throws Exception {
    String hostile = "{{ lookup('pipe', 'touch /tmp/pwned') }}";
    JsonNode vars =
        list(List.of(
                node("c1", "ceph-1", "ceph")
                    .setAgentVersion(hostile)
                    .setFacts(
                        HardwareFacts.newBuilder()
                            .setCpu(CpuFacts.newBuilder().setModel(hostile))
                            .addDisks(DiskFacts.newBuilder().setModel(hostile))
                            .addNics(NicFacts.newBuilder().setName(hostile)))
                    .build()))
            .get("_meta")
            .get("hostvars")
            .get("ceph-1");

    assertThat(vars.get("debvisor_agent_version").get("__ansible_unsafe").asText())
        .isEqualTo(hostile);
    JsonNode facts = vars.get("debvisor_facts");
    assertThat(facts.get("cpu").get("model").get("__ansible_unsafe").asText()).isEqualTo(hostile);
    assertThat(facts.get("disks").get(0).get("model").get("__ansible_unsafe").asText())
        .isEqualTo(hostile);
    assertThat(facts.get("nics").get(0).get("name").get("__ansible_unsafe").asText())
        .isEqualTo(hostile);
    // No plain string anywhere carries a template.
    assertThat(plainStrings(vars)).noneMatch(s -> s.contains("{{"));
  }

  private static List<String> plainStrings(JsonNode node) {
    List<String> out = new ArrayList<>();
    if (node.isTextual()) {
      out.add(node.asText());
    } else if (node.isObject() && !node.has("__ansible_unsafe")) {
      node.forEach(child -> out.addAll(plainStrings(child)));
    } else if (node.isArray()) {
      node.forEach(child -> out.addAll(plainStrings(child)));
    }
    return out;
  }

  @Test
  void sharedHostnamesAreDisambiguatedWithTheNodeIdAndReported() throws Exception {
    List<NodeRecord> nodes =
        List.of(
            node("id-old", "ceph-1", "ceph").build(),
            node("id-new", "CEPH-1", "ceph").build(),
            node("id-2", "ceph-2", "ceph").build(),
            // A revoked twin is not a clash: it is not listed at all.
            node("id-gone", "ceph-2", "ceph")
                .setEnrolment(EnrolmentState.ENROLMENT_REVOKED)
                .build());
    AnsibleInventory inventory = AnsibleInventory.of(nodes);
    JsonNode listed = list(nodes);

    assertThat(hosts(listed, "ceph")).containsExactly("CEPH-1_id-new", "ceph-1_id-old", "ceph-2");
    assertThat(
            listed
                .get("_meta")
                .get("hostvars")
                .get("ceph-1_id-old")
                .get("debvisor_node_id")
                .asText())
        .isEqualTo("id-old");
    assertThat(inventory.warnings())
        .singleElement()
        .asString()
        .contains("2 nodes share the hostname")
        .contains("ceph-1_id-old (node id-old)")
        .contains("CEPH-1_id-new (node id-new)")
        .contains("debvisor node revoke");
    assertThat(inventory.host("ceph-1").size()).isZero();
    assertThat(inventory.host("ceph-1_id-old").get("debvisor_node_id").asText())
        .isEqualTo("id-old");
  }

  @Test
  void groupNamesAreMadeValidForAnsible() {
    assertThat(AnsibleNames.clusterGroup("prod-eu-1")).isEqualTo("cluster_prod_eu_1");
    assertThat(AnsibleNames.group("9lives")).isEqualTo("_9lives");
    assertThat(AnsibleNames.group("gpu.nodes/a b")).isEqualTo("gpu_nodes_a_b");
    assertThat(AnsibleNames.group("ärger")).isEqualTo("_rger");
    assertThat(AnsibleNames.profileGroup("all")).isEqualTo("profile_all");
    assertThat(AnsibleNames.profileGroup("ungrouped")).isEqualTo("profile_ungrouped");
    assertThat(AnsibleNames.profileGroup("ceph")).isEqualTo("ceph");
  }

  @Test
  void anOddProfileNameStillMakesAValidGroup() throws Exception {
    JsonNode inventory = list(List.of(node("g1", "gpu-1", "gpu-a100").build()));

    assertThat(hosts(inventory, "gpu_a100")).containsExactly("gpu-1");
    assertThat(inventory.get("_meta").get("hostvars").get("gpu-1").get("debvisor_profile").asText())
        .isEqualTo("gpu-a100");
  }

  @Test
  void theContractCheckCatchesBrokenOutput() {
    // The checker itself must be able to fail, or the tests above prove nothing.
    assertThat(AnsibleInventoryContract.listProblems("[]")).isNotEmpty();
    assertThat(AnsibleInventoryContract.listProblems("{\"ceph\": {\"hosts\": [\"a\"]}}"))
        .anySatisfy(p -> assertThat(p).contains("_meta.hostvars"));
    assertThat(
            AnsibleInventoryContract.listProblems(
                "{\"bad-group\": {\"hosts\": [\"a\"]}, \"_meta\": {\"hostvars\": {\"a\": {}}}}"))
        .anySatisfy(p -> assertThat(p).contains("'bad-group' is not a valid group name"));
    assertThat(
            AnsibleInventoryContract.listProblems(
                "{\"g\": {\"hosts\": [\"a\", \"b\"]}, \"_meta\": {\"hostvars\": {\"a\": {}}}}"))
        .anySatisfy(p -> assertThat(p).contains("differ from hosts in hostvars"));
    assertThat(
            AnsibleInventoryContract.hostOutputProblems(
                "{\"x\": {\"__ansible_unsafe\": \"a\", \"y\": 1}}"))
        .isNotEmpty();
    assertThat(AnsibleInventoryContract.hostOutputProblems("{\"a-b\": 1}")).isNotEmpty();
    assertThat(AnsibleInventoryContract.listProblems("{\"_meta\": {\"hostvars\": {}}} x"))
        .isNotEmpty();
  }
}
