package org.debvisor.agent.collect.kubernetes;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Kubernetes Node objects in the apiserver's JSON wire format, as kubectl get -o json shows. */
final class NodeJson {

  static final String SINCE = "2025-03-01T08:15:30Z";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String name;
  private String kubeletVersion = "v1.31.4";
  private final Map<String, String[]> conditions = new LinkedHashMap<>();

  private NodeJson(String name) {
    this.name = name;
    condition(
        "MemoryPressure",
        "False",
        "KubeletHasSufficientMemory",
        "kubelet has sufficient memory available");
    condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure");
    condition(
        "PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available");
    condition("Ready", "True", "KubeletReady", "kubelet is posting ready status");
  }

  /** A healthy node. */
  static NodeJson node(String name) {
    return new NodeJson(name);
  }

  NodeJson condition(String type, String status, String reason, String message) {
    conditions.put(type, new String[] {status, reason, message});
    return this;
  }

  NodeJson kubelet(String version) {
    this.kubeletVersion = version;
    return this;
  }

  NodeJson notReady() {
    return condition(
        "Ready",
        "False",
        "KubeletNotReady",
        "container runtime network not ready: NetworkReady=false");
  }

  ObjectNode tree() {
    ObjectNode node = JSON.createObjectNode();
    node.put("kind", "Node").put("apiVersion", "v1");
    ObjectNode metadata = node.putObject("metadata");
    metadata.put("name", name).put("uid", "5c1e6f0e-" + Math.abs(name.hashCode()));
    metadata.put("resourceVersion", "48213").put("creationTimestamp", "2025-02-11T10:00:00Z");
    metadata
        .putObject("labels")
        .put("kubernetes.io/hostname", name)
        .put("kubernetes.io/os", "linux");
    node.putObject("spec").put("podCIDR", "10.244.1.0/24");
    ObjectNode status = node.putObject("status");
    status.putObject("capacity").put("cpu", "8").put("memory", "32857180Ki").put("pods", "110");
    ArrayNode list = status.putArray("conditions");
    conditions.forEach(
        (type, values) ->
            list.addObject()
                .put("type", type)
                .put("status", values[0])
                .put("lastHeartbeatTime", "2025-03-02T09:00:00Z")
                .put("lastTransitionTime", SINCE)
                .put("reason", values[1])
                .put("message", values[2]));
    status
        .putObject("nodeInfo")
        .put("kubeletVersion", kubeletVersion)
        .put("kubeProxyVersion", kubeletVersion)
        .put("operatingSystem", "linux")
        .put("architecture", "amd64")
        .put("containerRuntimeVersion", "containerd://1.7.24")
        .put("osImage", "Debian GNU/Linux 13 (trixie)");
    return node;
  }

  String json() {
    return tree().toString();
  }

  /** A NodeList page; {@code continueToken} empty on the last page. */
  static String list(List<NodeJson> nodes, String continueToken) {
    ObjectNode list = JSON.createObjectNode();
    list.put("kind", "NodeList").put("apiVersion", "v1");
    ObjectNode metadata = list.putObject("metadata").put("resourceVersion", "48213");
    if (!continueToken.isEmpty()) {
      metadata.put("continue", continueToken).put("remainingItemCount", 1);
    }
    ArrayNode items = list.putArray("items");
    nodes.forEach(n -> items.add(n.tree()));
    return list.toString();
  }
}
