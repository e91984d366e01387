package org.debvisor.controller.fleet;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Ansible's contract for executable inventories, checked in Java because ansible-inventory is not
 * installable here. From Ansible's "Developing dynamic inventory" guide and its script inventory
 * plugin: the output of {@code --list} is one JSON object (strict JSON, UTF-8); every key but
 * {@code _meta} is a group whose value is an object of {@code hosts} (list of names), {@code vars}
 * (object) and {@code children} (list of groups); {@code _meta.hostvars} maps each host to an
 * object of variables, and with it present Ansible never calls {@code --host}, so every listed host
 * must have an entry. Group and variable names must be valid identifiers (Ansible warns about and
 * rewrites others). An object holding {@code __ansible_unsafe} is read by Ansible's JSON decoder as
 * that one string, so it must hold nothing else and a string. {@code --host} prints one JSON
 * object.
 */
public final class AnsibleInventoryContract {

  private static final ObjectMapper STRICT =
      new ObjectMapper()
          .disable(JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS)
          .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Set<String> GROUP_KEYS = Set.of("hosts", "vars", "children");

  private AnsibleInventoryContract() {}

  /** Parses {@code --list} output and returns every breach of the contract (empty when none). */
  public static List<String> listProblems(String output) {
    List<String> problems = new ArrayList<>();
    JsonNode root;
    try {
      root = STRICT.readTree(output);
    } catch (Exception e) {
      return List.of("not strict JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      return List.of("the top level is not a JSON object");
    }
    Set<String> listed = new TreeSet<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> group = it.next();
      if (group.getKey().equals("_meta")) {
        continue;
      }
      String name = group.getKey();
      if (!IDENTIFIER.matcher(name).matches()) {
        problems.add("group '" + name + "' is not a valid group name");
      }
      if (name.equals("all") || name.equals("ungrouped")) {
        problems.add("group '" + name + "' is Ansible's own");
      }
      JsonNode body = group.getValue();
      if (!body.isObject()) {
        problems.add("group '" + name + "' is not an object of hosts/vars/children");
        continue;
      }
      body.fieldNames()
          .forEachRemaining(
              k -> {
                if (!GROUP_KEYS.contains(k)) {
                  problems.add("group '" + name + "' has key '" + k + "'");
                }
              });
      JsonNode hosts = body.path("hosts");
      if (!hosts.isMissingNode()) {
        if (!hosts.isArray()) {
          problems.add("group '" + name + "': hosts is not a list");
        } else {
          hosts.forEach(
              h -> {
                if (!h.isTextual() || h.asText().isEmpty()) {
                  problems.add("group '" + name + "': host " + h + " is not a name");
                } else {
                  listed.add(h.asText());
                }
              });
        }
      }
      if (!body.path("vars").isMissingNode() && !body.get("vars").isObject()) {
        problems.add("group '" + name + "': vars is not an object");
      }
      JsonNode children = body.path("children");
      if (!children.isMissingNode()) {
        children.forEach(
            c -> {
              if (!root.has(c.asText())) {
                problems.add("group '" + name + "': child " + c + " is not a group");
              }
            });
      }
    }
    JsonNode hostvars = root.path("_meta").path("hostvars");
    if (!hostvars.isObject()) {
      problems.add(
          "_meta.hostvars is missing or not an object (Ansible would call --host per host)");
      return problems;
    }
    Set<String> withVars = new TreeSet<>();
    hostvars
        .fields()
        .forEachRemaining(
            e -> {
              withVars.add(e.getKey());
              problems.addAll(hostProblems(e.getKey(), e.getValue()));
            });
    if (!withVars.equals(listed)) {
      problems.add("hosts in groups " + listed + " differ from hosts in hostvars " + withVars);
    }
    return problems;
  }

  /** Parses {@code --host} output and returns every breach of the contract. */
  public static List<String> hostOutputProblems(String output) {
    try {
      return hostProblems("--host", STRICT.readTree(output));
    } catch (Exception e) {
      return List.of("not strict JSON: " + e.getMessage());
    }
  }

  private static List<String> hostProblems(String host, JsonNode vars) {
    List<String> problems = new ArrayList<>();
    if (vars == null || !vars.isObject()) {
      return List.of(host + ": variables are not an object");
    }
    vars.fieldNames()
        .forEachRemaining(
            k -> {
              if (!IDENTIFIER.matcher(k).matches()) {
                problems.add(host + ": '" + k + "' is not a valid variable name");
              }
            });
    unsafeProblems(host, vars, problems);
    return problems;
  }

  private static void unsafeProblems(String where, JsonNode node, List<String> problems) {
    if (node.isObject() && node.has("__ansible_unsafe")) {
      if (node.size() != 1 || !node.get("__ansible_unsafe").isTextual()) {
        problems.add(where + ": an __ansible_unsafe object must hold exactly one string");
      }
      return;
    }
    if (node.isContainerNode()) {
      node.forEach(child -> unsafeProblems(where, child, problems));
    }
  }

  /** The value as Ansible reads it: {@code {"__ansible_unsafe": s}} becomes {@code s}. */
  public static String text(JsonNode value) {
    return value.has("__ansible_unsafe") ? value.get("__ansible_unsafe").asText() : value.asText();
  }
}
