package org.debvisor.controller.fleet;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.debvisor.proto.NodeRecord;

/**
 * Names in Ansible's inventory: group names made valid, and one unique host name per node (its
 * hostname, or {@code hostname_nodeid} when several nodes share a hostname).
 *
 * @param hosts inventory host name per node id, in hostname order
 * @param warnings one line per hostname several nodes share, saying how they are named instead
 */
record AnsibleNames(Map<String, String> hosts, List<String> warnings) {

  // Ansible's own names; a group called so would merge with or hide them.
  private static final Set<String> RESERVED = Set.of("all", "ungrouped", "_meta");

  /** Copies the map and list. */
  AnsibleNames {
    hosts = Collections.unmodifiableMap(new LinkedHashMap<>(hosts));
    warnings = List.copyOf(warnings);
  }

  /**
   * Names {@code nodes}. Hostnames are compared ignoring case (DNS does); a clash gives every node
   * of it the name {@code hostname_nodeid}, which no real hostname can take ('_' is not allowed in
   * one), so no node silently wins the plain name.
   */
  static AnsibleNames of(List<NodeRecord> nodes) {
    Map<String, List<NodeRecord>> byHostname = new TreeMap<>();
    for (NodeRecord node : nodes) {
      byHostname
          .computeIfAbsent(hostnameOf(node).toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .add(node);
    }
    Map<String, String> hosts = new LinkedHashMap<>();
    List<String> warnings = new ArrayList<>();
    for (List<NodeRecord> same : byHostname.values()) {
      if (same.size() == 1) {
        NodeRecord node = same.get(0);
        hosts.put(node.getNodeId(), hostnameOf(node));
        continue;
      }
      List<String> named = new ArrayList<>();
      for (NodeRecord node : same) {
        String name = hostnameOf(node) + "_" + node.getNodeId();
        hosts.put(node.getNodeId(), name);
        named.add(name + " (node " + node.getNodeId() + ")");
      }
      warnings.add(
          same.size()
              + " nodes share the hostname "
              + hostnameOf(same.get(0))
              + "; listed as "
              + String.join(", ", named)
              + ". Revoke the stale one with `debvisor node revoke ID` if a machine was"
              + " reinstalled, or give the nodes distinct hostnames");
    }
    return new AnsibleNames(hosts, warnings);
  }

  private static String hostnameOf(NodeRecord node) {
    return node.getHostname().isEmpty() ? node.getNodeId() : node.getHostname();
  }

  /** The group of a node's profile; Ansible's own group names get a {@code profile_} prefix. */
  static String profileGroup(String profile) {
    String group = group(profile);
    return RESERVED.contains(group) ? "profile_" + group : group;
  }

  /** The group of a cluster: {@code cluster_<name>}, made valid. */
  static String clusterGroup(String cluster) {
    return group("cluster_" + cluster);
  }

  /**
   * {@code name} as a valid Ansible group name (a Python identifier): every character other than an
   * ASCII letter, digit or '_' becomes '_', as Ansible itself transforms invalid group names, and a
   * name starting with a digit gets a '_' in front.
   */
  static String group(String name) {
    String cleaned = name.replaceAll("[^A-Za-z0-9_]", "_");
    return cleaned.isEmpty() || Character.isDigit(cleaned.charAt(0)) ? "_" + cleaned : cleaned;
  }
}
