package org.debvisor.controller.fleet;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.debvisor.controller.inventory.ClusterName;
import org.debvisor.proto.EnrolmentState;
import org.debvisor.proto.NodeRecord;

/**
 * The fleet as Ansible's executable-inventory JSON: {@code --list} gives every group with its
 * {@code hosts} plus {@code _meta.hostvars} (so Ansible never calls {@code --host}); {@code --host
 * NAME} gives one host's variables, {@code {}} for a name it does not know. Groups: the node's
 * profile ({@code ceph}, {@code hypervisor}, {@code k8s}) and {@code cluster_<name>}; every host is
 * in {@code all} implicitly. Revoked nodes are left out.
 */
public final class AnsibleInventory {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final Map<String, TreeSet<String>> groups;
  private final Map<String, ObjectNode> hostvars;
  private final List<String> warnings;

  private AnsibleInventory(
      Map<String, TreeSet<String>> groups,
      Map<String, ObjectNode> hostvars,
      List<String> warnings) {
    this.groups = groups;
    this.hostvars = hostvars;
    this.warnings = warnings;
  }

  /** The inventory of {@code nodes} as ListNodes returned them. */
  public static AnsibleInventory of(List<NodeRecord> nodes) {
    List<NodeRecord> active =
        nodes.stream().filter(n -> n.getEnrolment() != EnrolmentState.ENROLMENT_REVOKED).toList();
    AnsibleNames names = AnsibleNames.of(active);
    Map<String, TreeSet<String>> groups = new TreeMap<>();
    Map<String, ObjectNode> hostvars = new TreeMap<>();
    for (NodeRecord node : active) {
      String host = names.hosts().get(node.getNodeId());
      hostvars.put(host, AnsibleHostVars.of(node));
      if (!node.getProfile().isEmpty()) {
        groups
            .computeIfAbsent(AnsibleNames.profileGroup(node.getProfile()), g -> new TreeSet<>())
            .add(host);
      }
      groups
          .computeIfAbsent(
              AnsibleNames.clusterGroup(ClusterName.orDefault(node.getCluster())),
              g -> new TreeSet<>())
          .add(host);
    }
    return new AnsibleInventory(groups, hostvars, names.warnings());
  }

  /** What {@code --list} prints. */
  public ObjectNode list() {
    ObjectNode out = JSON.objectNode();
    groups.forEach(
        (group, hosts) -> {
          ArrayNode list = out.putObject(group).putArray("hosts");
          hosts.forEach(list::add);
        });
    ObjectNode vars = out.putObject("_meta").putObject("hostvars");
    hostvars.forEach((host, v) -> vars.set(host, v.deepCopy()));
    return out;
  }

  /** What {@code --host NAME} prints: the host's variables, {@code {}} when unknown. */
  public ObjectNode host(String name) {
    ObjectNode vars = hostvars.get(name);
    return vars == null ? JSON.objectNode() : vars.deepCopy();
  }

  /** Things the operator should know, e.g. hostnames several nodes share; for standard error. */
  public List<String> warnings() {
    return warnings;
  }
}
