package org.debvisor.controller.fleet;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.debvisor.controller.inventory.AgentHost;
import org.debvisor.controller.inventory.ClusterName;
import org.debvisor.proto.DiskFacts;
import org.debvisor.proto.HardwareFacts;
import org.debvisor.proto.HealthState;
import org.debvisor.proto.NicFacts;
import org.debvisor.proto.NodeRecord;

/**
 * One node's Ansible host variables: where to reach it ({@code ansible_host}) and what the
 * controller knows of it ({@code debvisor_*}).
 *
 * <p>Text a node reported about itself (arch, agent version, hardware facts) is wrapped as {@code
 * {"__ansible_unsafe": "..."}}: Ansible templates inventory strings, so a node reporting e.g. a CPU
 * model {@code {{ lookup('pipe', ...) }}} could otherwise run commands on the operator's machine.
 * Values the controller validated at enrolment (ids, hostname, profile, cluster, address) and
 * numbers stay plain.
 */
final class AnsibleHostVars {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private AnsibleHostVars() {}

  static ObjectNode of(NodeRecord node) {
    ObjectNode vars = JSON.objectNode();
    String host = addressHost(node.getAgentAddress());
    if (!host.isEmpty()) {
      vars.put("ansible_host", host);
    }
    vars.put("debvisor_node_id", node.getNodeId());
    vars.put("debvisor_hostname", node.getHostname());
    vars.put("debvisor_profile", node.getProfile());
    vars.put("debvisor_cluster", ClusterName.orDefault(node.getCluster()));
    vars.set("debvisor_arch", unsafe(node.getArch()));
    vars.set("debvisor_agent_version", unsafe(node.getAgentVersion()));
    if (node.hasLastSeen()) {
      vars.put(
          "debvisor_last_seen",
          Instant.ofEpochSecond(node.getLastSeen().getSeconds(), node.getLastSeen().getNanos())
              .toString());
    } else {
      vars.putNull("debvisor_last_seen");
    }
    vars.put("debvisor_health", health(node));
    vars.put("debvisor_stale", node.getStale());
    vars.set("debvisor_facts", facts(node.getFacts()));
    return vars;
  }

  /** OK, WARN, ERROR or UNKNOWN (also before the first heartbeat). */
  private static String health(NodeRecord node) {
    if (!node.hasLastStatus()) {
      return "UNKNOWN";
    }
    HealthState state = node.getLastStatus().getState();
    return state == HealthState.HEALTH_ABSENT ? "UNKNOWN" : Subsystems.state(state);
  }

  /** The same shape whether or not facts were reported (empty text, zeros, empty lists). */
  private static ObjectNode facts(HardwareFacts facts) {
    ObjectNode out = JSON.objectNode();
    ObjectNode cpu = out.putObject("cpu");
    cpu.set("model", unsafe(facts.getCpu().getModel()));
    cpu.put("cores", facts.getCpu().getCores());
    cpu.put("threads", facts.getCpu().getThreads());
    out.put("memory_bytes", facts.getMemoryBytes());
    ArrayNode disks = out.putArray("disks");
    for (DiskFacts d : facts.getDisksList()) {
      ObjectNode disk = disks.addObject();
      disk.set("name", unsafe(d.getName()));
      disk.put("size_bytes", d.getSizeBytes());
      disk.set("model", unsafe(d.getModel()));
      disk.put("rotational", d.getRotational());
      disk.set("by_id", unsafe(d.getByIdPath()));
    }
    ArrayNode nics = out.putArray("nics");
    for (NicFacts n : facts.getNicsList()) {
      ObjectNode nic = nics.addObject();
      nic.set("name", unsafe(n.getName()));
      nic.set("mac", unsafe(n.getMac()));
      nic.put("speed_mbps", n.getSpeedMbps());
    }
    return out;
  }

  private static ObjectNode unsafe(String text) {
    return JSON.objectNode().put("__ansible_unsafe", text);
  }

  /** The host part of {@code host:port} or {@code [v6]:port}; the address when it has no port. */
  static String addressHost(String address) {
    return AgentHost.split(address).map(AgentHost.HostPort::host).orElse(address);
  }
}
